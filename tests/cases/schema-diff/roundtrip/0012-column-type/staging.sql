ALTER TABLE public.users ALTER COLUMN nickname TYPE varchar(40);
