ALTER TABLE public.users ADD COLUMN "drop me; --" text DEFAULT E'back\\slash ''q''';
