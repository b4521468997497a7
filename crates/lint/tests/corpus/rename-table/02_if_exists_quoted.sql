SET lock_timeout = '5s';

ALTER TABLE IF EXISTS "Legacy"."Imported Rows" RENAME TO "Imported Rows (old)";
