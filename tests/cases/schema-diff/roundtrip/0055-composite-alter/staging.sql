CREATE TYPE public.pair AS (a bigint, c text);
