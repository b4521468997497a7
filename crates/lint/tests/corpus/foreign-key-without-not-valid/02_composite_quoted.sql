SET lock_timeout = '5s';

ALTER TABLE "IMS"."Attachments"
    ADD CONSTRAINT "Attachments_session_fkey"
    FOREIGN KEY (session_id, "Session Started At")
    REFERENCES "IMS"."Crawl Sessions" (session_id, started_at) ON DELETE SET NULL;
