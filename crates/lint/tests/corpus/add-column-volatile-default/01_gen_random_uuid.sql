SET lock_timeout = '5s';

ALTER TABLE public.users ADD COLUMN external_id uuid NOT NULL DEFAULT gen_random_uuid();
