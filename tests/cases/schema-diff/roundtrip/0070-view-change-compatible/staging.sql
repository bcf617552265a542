CREATE OR REPLACE VIEW public.active_users AS SELECT id, email, nickname FROM public.users WHERE nickname IS NOT NULL;
