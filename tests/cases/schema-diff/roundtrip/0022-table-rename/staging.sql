ALTER TABLE public.orgs RENAME TO organisations;
