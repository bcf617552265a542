ALTER TABLE public.users ALTER COLUMN nickname SET DEFAULT 'anon', ALTER COLUMN nickname SET NOT NULL, ALTER COLUMN "Order Notes" TYPE varchar(500);
