ALTER TABLE public.users RENAME COLUMN email TO mail; COMMENT ON COLUMN public.users.mail IS 'login';
