DROP VIEW public.active_users; CREATE VIEW public.active_users AS SELECT email, id FROM public.users; CREATE VIEW public.active_emails AS SELECT email FROM public.active_users;
