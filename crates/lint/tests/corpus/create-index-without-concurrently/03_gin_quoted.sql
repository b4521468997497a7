SET lock_timeout = '5s';

CREATE INDEX "Issues_Body_fts" ON "IMS"."Issues" USING gin (to_tsvector('english', "Body"));
