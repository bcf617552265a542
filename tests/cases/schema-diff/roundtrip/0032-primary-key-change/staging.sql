ALTER TABLE public.orgs ADD COLUMN code text NOT NULL DEFAULT 'x'; ALTER TABLE public.orgs ADD CONSTRAINT orgs_code_key UNIQUE (code);
