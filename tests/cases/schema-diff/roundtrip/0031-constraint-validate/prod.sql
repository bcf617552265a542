ALTER TABLE public.users ADD CONSTRAINT nick_len CHECK (length(nickname) < 50) NOT VALID;
