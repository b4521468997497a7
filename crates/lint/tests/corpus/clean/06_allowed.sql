SET lock_timeout = '5s';
-- schemactl-lint: allow drop-column the mobile app stopped reading it in 4.2
ALTER TABLE accounts.users DROP COLUMN legacy_password_hash;
DROP TABLE steam.review_imports; -- schemactl-lint: allow drop-table
/* schemactl-lint: allow rename-column, rename-table */
ALTER TABLE "Legacy"."Imported Rows" RENAME TO imported_rows;
