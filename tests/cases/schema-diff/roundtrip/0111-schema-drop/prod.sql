CREATE SCHEMA legacy; CREATE TABLE legacy.t (id int PRIMARY KEY, ref bigint REFERENCES public.users (id)); CREATE SEQUENCE legacy.s;
