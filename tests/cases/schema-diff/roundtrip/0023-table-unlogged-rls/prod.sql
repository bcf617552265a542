CREATE TABLE public.scratch (id int PRIMARY KEY, v text);
