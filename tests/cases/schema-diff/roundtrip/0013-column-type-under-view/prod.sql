GRANT SELECT ON public.active_users TO reporting; COMMENT ON VIEW public.active_users IS 'who is active';
