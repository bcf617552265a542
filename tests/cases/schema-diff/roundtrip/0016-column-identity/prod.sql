CREATE TABLE public.tags (id int NOT NULL, label text);
