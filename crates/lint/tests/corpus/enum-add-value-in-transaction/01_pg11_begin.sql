-- corpus: pg-version 11
BEGIN;
ALTER TYPE steam.app_type ADD VALUE IF NOT EXISTS 'tool' AFTER 'application';
COMMIT;
