CREATE FUNCTION public.f() RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint';
