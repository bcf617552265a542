ALTER TABLE public.users ALTER COLUMN nickname TYPE text COLLATE "C";
