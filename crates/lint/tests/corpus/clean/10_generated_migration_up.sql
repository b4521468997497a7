-- corpus: transaction
-- create schema ims
SET LOCAL ROLE app_owner;
CREATE SCHEMA ims AUTHORIZATION app_owner;
SET LOCAL search_path TO ims, public;
CREATE TYPE ims.issue_state AS ENUM ('open', 'closed');
CREATE TABLE ims.users (user_id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE ims.crawl_sessions (
    session_id bigint NOT NULL,
    user_id bigint NOT NULL REFERENCES ims.users (user_id),
    started_at timestamptz NOT NULL,
    PRIMARY KEY (session_id, started_at)
) PARTITION BY RANGE (started_at);
CREATE TABLE ims.crawl_sessions_2026_01 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
CREATE TABLE ims.crawl_sessions_default PARTITION OF ims.crawl_sessions DEFAULT;
CREATE INDEX crawl_sessions_user_idx ON ims.crawl_sessions (user_id);
ALTER TABLE ims.crawl_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ims.crawl_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY own_sessions ON ims.crawl_sessions FOR ALL TO ims_user USING (user_id = 1);
CREATE FUNCTION ims.touch() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    -- DROP TABLE ims.users; is text inside the body, not a statement of this file
    NEW.started_at := now();
    RETURN NEW;
END
$body$;
CREATE TRIGGER crawl_sessions_touch BEFORE UPDATE ON ims.crawl_sessions FOR EACH ROW EXECUTE FUNCTION ims.touch();
CREATE MATERIALIZED VIEW ims.mv_sessions AS SELECT user_id, count(*) AS n FROM ims.crawl_sessions GROUP BY 1 WITH DATA;
CREATE UNIQUE INDEX mv_sessions_user ON ims.mv_sessions (user_id);
COMMENT ON FUNCTION ims.touch() IS 'Keeps started_at current';
GRANT SELECT ON ims.crawl_sessions TO ims_readonly;
ALTER DEFAULT PRIVILEGES IN SCHEMA ims GRANT SELECT ON TABLES TO ims_readonly;
RESET ROLE;
