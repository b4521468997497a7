SET lock_timeout = '5s';

DROP INDEX IF EXISTS "IMS"."Issues_Body_fts", ims.issues_state_idx CASCADE;
