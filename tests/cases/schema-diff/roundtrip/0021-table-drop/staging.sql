DROP TABLE public.users CASCADE;
