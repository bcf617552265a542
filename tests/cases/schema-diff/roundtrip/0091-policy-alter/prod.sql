ALTER TABLE public.users ENABLE ROW LEVEL SECURITY; CREATE POLICY tenant ON public.users TO reporting USING (org_id = 1);
