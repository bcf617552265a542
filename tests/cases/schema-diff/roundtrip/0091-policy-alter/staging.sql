ALTER TABLE public.users ENABLE ROW LEVEL SECURITY; CREATE POLICY tenant ON public.users TO reporting, PUBLIC USING (org_id = 2) WITH CHECK (org_id > 0);
