ALTER TABLE public.users ADD COLUMN bio text DEFAULT 'none' NOT NULL;
