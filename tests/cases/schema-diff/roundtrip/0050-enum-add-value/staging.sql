ALTER TYPE public.mood ADD VALUE 'meh' AFTER 'sad'; ALTER TYPE public.mood ADD VALUE 'ecstatic';
