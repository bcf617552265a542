ALTER TABLE public.users ADD COLUMN email_lower text GENERATED ALWAYS AS (lower(email)) STORED;
