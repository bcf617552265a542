ALTER DOMAIN public.email DROP CONSTRAINT email_check; ALTER DOMAIN public.email ADD CHECK (VALUE LIKE '%_@_%'); ALTER DOMAIN public.email SET DEFAULT 'x@y';
