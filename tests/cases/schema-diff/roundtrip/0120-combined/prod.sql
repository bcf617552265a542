CREATE TABLE public.legacy (id int PRIMARY KEY); ALTER TABLE public.users ADD COLUMN legacy_id int REFERENCES public.legacy (id);
