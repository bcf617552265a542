GRANT SELECT, INSERT ON public.users TO reporting;
