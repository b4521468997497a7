-- corpus: transaction
SET LOCAL lock_timeout = '5s';
ALTER TABLE ims.issues ADD CONSTRAINT "Issues_priority_check" CHECK (priority IN ('low', 'high')) NOT VALID;
ALTER TABLE ims.issues VALIDATE CONSTRAINT "Issues_priority_check";
