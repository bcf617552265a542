CREATE POLICY reader ON public.users FOR SELECT USING (org_id > 0);
