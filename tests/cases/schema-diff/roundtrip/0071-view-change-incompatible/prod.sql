CREATE VIEW public.active_emails AS SELECT email FROM public.active_users;
