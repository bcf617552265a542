CREATE INDEX users_m_idx ON public.users (m);
