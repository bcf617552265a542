-- The schema every round-trip case starts from, on prod and on staging.
CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN public.email AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE public.orgs (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE public.users (
    id bigserial PRIMARY KEY,
    org_id bigint REFERENCES public.orgs (id),
    email varchar(100),
    nickname text,
    m public.mood DEFAULT 'ok',
    "Order Notes" text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_email_idx ON public.users (email);
CREATE VIEW public.active_users AS SELECT id, email FROM public.users;
CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql
    AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER users_touch BEFORE UPDATE ON public.users
    FOR EACH ROW EXECUTE FUNCTION public.touch();
INSERT INTO public.orgs VALUES (1, 'acme');
INSERT INTO public.users (org_id, email, nickname) VALUES (1, 'a@b', 'al');
