ALTER TABLE public.users DROP COLUMN nickname;
