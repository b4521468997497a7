-- check function bodies when they run
SET LOCAL check_function_bodies = off;

-- create extension vector
CREATE EXTENSION IF NOT EXISTS vector;

-- create extension pg_trgm
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- create schema ims
SET LOCAL ROLE app_owner;
CREATE SCHEMA ims AUTHORIZATION app_owner;

-- schema ims: comment on schema ims
COMMENT ON SCHEMA ims IS 'IMS crawler metadata: users, crawl sessions, crawled issues, search history, analytics and audit';

-- schema ims: grant usage on schema
GRANT USAGE ON SCHEMA ims TO ims_admin;

-- schema ims: grant usage on schema
GRANT USAGE ON SCHEMA ims TO ims_user;

-- schema ims: grant usage on schema
GRANT USAGE ON SCHEMA ims TO ims_readonly;

-- create schema steam
CREATE SCHEMA steam AUTHORIZATION app_owner;

-- schema steam: comment on schema steam
COMMENT ON SCHEMA steam IS 'Steam Store catalogue and user reviews, with 384-dimension embeddings for semantic search';

-- create schema streaming
CREATE SCHEMA streaming AUTHORIZATION app_owner;

-- schema streaming: comment on schema streaming
COMMENT ON SCHEMA streaming IS 'Synthetic users, transactions and transaction line items that each pipeline run appends to';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create type steam.app_type
CREATE TYPE steam.app_type AS ENUM ('game', 'dlc', 'demo', 'mod', 'music', 'video', 'series', 'episode', 'hardware', 'advertising', 'application', 'tool');

-- type steam.app_type: comment on type steam.app_type
COMMENT ON TYPE steam.app_type IS 'The `type` field of the Steam appdetails API';

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create function ims.aggregate_daily_stats
CREATE FUNCTION ims.aggregate_daily_stats(p_date date DEFAULT CURRENT_DATE)
RETURNS integer
LANGUAGE plpgsql
VOLATILE SECURITY DEFINER
SET search_path TO ims, pg_temp
AS $body$DECLARE
    v_rows integer;
    v_month_start date := date_trunc('month', p_date)::date;
    v_month_end date := (date_trunc('month', p_date) + interval '1 month')::date;
BEGIN
    WITH day_sessions AS (
        SELECT s.*
        FROM ims.crawl_sessions s
        WHERE s.started_at >= p_date
          AND s.started_at < p_date + 1
    ),
    per_user AS (
        SELECT s.user_id,
               count(*) AS total_sessions,
               count(*) FILTER (WHERE s.status = 'completed') AS completed_sessions,
               count(*) FILTER (WHERE s.status = 'failed') AS failed_sessions,
               COALESCE(sum(s.total_issues_found), 0) AS total_issues_found,
               round(avg(s.duration_seconds), 2) AS avg_session_duration
        FROM day_sessions s
        GROUP BY s.user_id
    ),
    per_user_issues AS (
        SELECT s.user_id, count(DISTINCT si.issue_pk) AS unique_issues
        FROM day_sessions s
        JOIN ims.session_issues si
          ON si.session_id = s.session_id
         AND si.session_started_at = s.started_at
        GROUP BY s.user_id
    ),
    per_user_errors AS (
        SELECT s.user_id, count(*) AS total_errors
        FROM day_sessions s
        JOIN ims.session_errors e
          ON e.session_id = s.session_id
         AND e.session_started_at = s.started_at
        GROUP BY s.user_id
    ),
    per_user_queries AS (
        SELECT q.user_id, count(*) AS total_queries
        FROM ims.search_queries q
        WHERE q.created_at >= p_date
          AND q.created_at < p_date + 1
        GROUP BY q.user_id
    ),
    per_user_products AS (
        SELECT x.user_id, jsonb_object_agg(x.product, x.sessions) AS product_breakdown
        FROM (
            SELECT s.user_id, COALESCE(s.product, '(none)') AS product, count(*) AS sessions
            FROM day_sessions s
            GROUP BY 1, 2
        ) x
        GROUP BY x.user_id
    ),
    active_users AS (
        SELECT pu.user_id FROM per_user pu
        UNION
        SELECT pq.user_id FROM per_user_queries pq
    )
    INSERT INTO ims.analytics_daily AS d (
        user_id, stat_date, total_sessions, completed_sessions, failed_sessions,
        total_issues_found, unique_issues, total_queries, total_errors,
        avg_session_duration, product_breakdown, updated_at
    )
    SELECT a.user_id,
           p_date,
           COALESCE(pu.total_sessions, 0),
           COALESCE(pu.completed_sessions, 0),
           COALESCE(pu.failed_sessions, 0),
           COALESCE(pu.total_issues_found, 0),
           COALESCE(pi.unique_issues, 0),
           COALESCE(pq.total_queries, 0),
           COALESCE(pe.total_errors, 0),
           pu.avg_session_duration,
           COALESCE(pp.product_breakdown, '{}'::jsonb),
           now()
    FROM active_users a
    LEFT JOIN per_user pu ON pu.user_id = a.user_id
    LEFT JOIN per_user_issues pi ON pi.user_id = a.user_id
    LEFT JOIN per_user_errors pe ON pe.user_id = a.user_id
    LEFT JOIN per_user_queries pq ON pq.user_id = a.user_id
    LEFT JOIN per_user_products pp ON pp.user_id = a.user_id
    ON CONFLICT (user_id, stat_date) DO UPDATE
       SET total_sessions = EXCLUDED.total_sessions,
           completed_sessions = EXCLUDED.completed_sessions,
           failed_sessions = EXCLUDED.failed_sessions,
           total_issues_found = EXCLUDED.total_issues_found,
           unique_issues = EXCLUDED.unique_issues,
           total_queries = EXCLUDED.total_queries,
           total_errors = EXCLUDED.total_errors,
           avg_session_duration = EXCLUDED.avg_session_duration,
           product_breakdown = EXCLUDED.product_breakdown,
           updated_at = now();
    GET DIAGNOSTICS v_rows = ROW_COUNT;

    INSERT INTO ims.analytics_monthly AS m (
        user_id, year, month, total_sessions, total_issues_found, total_queries,
        total_errors, active_days, avg_issues_per_session, product_distribution,
        quality_metrics, updated_at
    )
    SELECT d.user_id,
           EXTRACT(YEAR FROM v_month_start)::integer,
           EXTRACT(MONTH FROM v_month_start)::smallint,
           sum(d.total_sessions),
           sum(d.total_issues_found),
           sum(d.total_queries),
           sum(d.total_errors),
           count(*) FILTER (WHERE d.total_sessions > 0 OR d.total_queries > 0),
           round(sum(d.total_issues_found)::numeric / NULLIF(sum(d.total_sessions), 0), 2),
           COALESCE((
               SELECT jsonb_object_agg(t.product, t.sessions)
               FROM (
                   SELECT kv.key AS product, sum(kv.value::bigint) AS sessions
                   FROM ims.analytics_daily d2
                   CROSS JOIN LATERAL jsonb_each_text(d2.product_breakdown) AS kv
                   WHERE d2.user_id = d.user_id
                     AND d2.stat_date >= v_month_start
                     AND d2.stat_date < v_month_end
                   GROUP BY kv.key
               ) t
           ), '{}'::jsonb),
           jsonb_build_object(
               'success_rate',
               round(sum(d.completed_sessions)::numeric / NULLIF(sum(d.total_sessions), 0), 4),
               'errors_per_session',
               round(sum(d.total_errors)::numeric / NULLIF(sum(d.total_sessions), 0), 4)
           ),
           now()
    FROM ims.analytics_daily d
    WHERE d.stat_date >= v_month_start
      AND d.stat_date < v_month_end
    GROUP BY d.user_id
    ON CONFLICT (user_id, year, month) DO UPDATE
       SET total_sessions = EXCLUDED.total_sessions,
           total_issues_found = EXCLUDED.total_issues_found,
           total_queries = EXCLUDED.total_queries,
           total_errors = EXCLUDED.total_errors,
           active_days = EXCLUDED.active_days,
           avg_issues_per_session = EXCLUDED.avg_issues_per_session,
           product_distribution = EXCLUDED.product_distribution,
           quality_metrics = EXCLUDED.quality_metrics,
           updated_at = now();

    RETURN v_rows;
END;
$body$;

-- function ims.aggregate_daily_stats: comment on function ims.aggregate_daily_stats(date)
COMMENT ON FUNCTION ims.aggregate_daily_stats(date) IS 'Upserts analytics_daily for one day and rolls its month up into analytics_monthly; returns the daily rows written';

-- function ims.aggregate_daily_stats: revoke all on function
REVOKE ALL ON FUNCTION ims.aggregate_daily_stats(date) FROM PUBLIC;

-- function ims.aggregate_daily_stats: grant execute on function
GRANT EXECUTE ON FUNCTION ims.aggregate_daily_stats(date) TO ims_admin;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create function ims.delete_old_sessions
CREATE FUNCTION ims.delete_old_sessions(p_user_id bigint, p_older_than_days integer DEFAULT 90)
RETURNS TABLE(deleted_sessions bigint, deleted_session_issues bigint, deleted_errors bigint)
LANGUAGE plpgsql
VOLATILE
AS $body$DECLARE
    v_cutoff timestamptz;
    v_sessions bigint;
    v_links bigint;
    v_errors bigint;
BEGIN
    IF p_older_than_days IS NULL OR p_older_than_days < 1 THEN
        RAISE EXCEPTION 'ims.delete_old_sessions: p_older_than_days must be at least 1, got %',
            p_older_than_days;
    END IF;
    v_cutoff := now() - make_interval(days => p_older_than_days);

    SELECT count(*) INTO v_links
    FROM ims.session_issues si
    JOIN ims.crawl_sessions s
      ON s.session_id = si.session_id
     AND s.started_at = si.session_started_at
    WHERE s.user_id = p_user_id
      AND s.started_at < v_cutoff;

    SELECT count(*) INTO v_errors
    FROM ims.session_errors e
    JOIN ims.crawl_sessions s
      ON s.session_id = e.session_id
     AND s.started_at = e.session_started_at
    WHERE s.user_id = p_user_id
      AND s.started_at < v_cutoff;

    DELETE FROM ims.crawl_sessions s
    WHERE s.user_id = p_user_id
      AND s.started_at < v_cutoff;
    GET DIAGNOSTICS v_sessions = ROW_COUNT;

    INSERT INTO ims.audit_log (user_id, action, entity_type, entity_id, new_values)
    VALUES (
        NULLIF(current_setting('ims.current_user_id', true), '')::bigint,
        'delete_old_sessions',
        'crawl_sessions',
        p_user_id::text,
        jsonb_build_object(
            'older_than_days', p_older_than_days,
            'cutoff', v_cutoff,
            'deleted_sessions', v_sessions,
            'deleted_session_issues', v_links,
            'deleted_errors', v_errors
        )
    );

    deleted_sessions := v_sessions;
    deleted_session_issues := v_links;
    deleted_errors := v_errors;
    RETURN NEXT;
END;
$body$;

-- function ims.delete_old_sessions: comment on function ims.delete_old_sessions(bigint,
COMMENT ON FUNCTION ims.delete_old_sessions(bigint, integer) IS 'Deletes a user''s crawl sessions older than the given number of days (their issue links and errors cascade) and records it in audit_log under the acting user; runs with the caller''s rights, so an ims_user can only delete its own sessions';

-- function ims.delete_old_sessions: revoke all on function
REVOKE ALL ON FUNCTION ims.delete_old_sessions(bigint, integer) FROM PUBLIC;

-- function ims.delete_old_sessions: grant execute on function
GRANT EXECUTE ON FUNCTION ims.delete_old_sessions(bigint, integer) TO ims_admin;

-- function ims.delete_old_sessions: grant execute on function
GRANT EXECUTE ON FUNCTION ims.delete_old_sessions(bigint, integer) TO ims_user;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create function ims.get_user_stats
CREATE FUNCTION ims.get_user_stats(p_user_id bigint)
RETURNS TABLE(
    user_id bigint,
    username varchar,
    total_sessions bigint,
    completed_sessions bigint,
    failed_sessions bigint,
    total_issues_found bigint,
    total_queries bigint,
    total_errors bigint,
    avg_session_duration numeric,
    last_session_at timestamptz
)
LANGUAGE sql
STABLE
AS $body$SELECT u.user_id,
       u.username,
       count(s.session_id),
       count(s.session_id) FILTER (WHERE s.status = 'completed'),
       count(s.session_id) FILTER (WHERE s.status = 'failed'),
       COALESCE(sum(s.total_issues_found), 0)::bigint,
       (SELECT count(*) FROM ims.search_queries q WHERE q.user_id = u.user_id),
       (SELECT count(*)
          FROM ims.session_errors e
          JOIN ims.crawl_sessions s2
            ON s2.session_id = e.session_id
           AND s2.started_at = e.session_started_at
         WHERE s2.user_id = u.user_id),
       round(avg(s.duration_seconds), 2),
       max(s.started_at)
FROM ims.users u
LEFT JOIN ims.crawl_sessions s ON s.user_id = u.user_id
WHERE u.user_id = p_user_id
GROUP BY u.user_id, u.username
$body$;

-- function ims.get_user_stats: comment on function ims.get_user_stats(bigint)
COMMENT ON FUNCTION ims.get_user_stats(bigint) IS 'Session, issue, query and error totals of one user (as far as the caller may see them)';

-- function ims.get_user_stats: revoke all on function
REVOKE ALL ON FUNCTION ims.get_user_stats(bigint) FROM PUBLIC;

-- function ims.get_user_stats: grant execute on function
GRANT EXECUTE ON FUNCTION ims.get_user_stats(bigint) TO ims_admin;

-- function ims.get_user_stats: grant execute on function
GRANT EXECUTE ON FUNCTION ims.get_user_stats(bigint) TO ims_user;

-- function ims.get_user_stats: grant execute on function
GRANT EXECUTE ON FUNCTION ims.get_user_stats(bigint) TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create function ims.refresh_materialized_views
CREATE FUNCTION ims.refresh_materialized_views()
RETURNS void
LANGUAGE plpgsql
VOLATILE SECURITY DEFINER
SET search_path TO ims, pg_temp
AS $body$BEGIN
    IF (SELECT ispopulated FROM pg_catalog.pg_matviews
         WHERE schemaname = 'ims' AND matviewname = 'mv_issue_trends') THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY ims.mv_issue_trends;
    ELSE
        REFRESH MATERIALIZED VIEW ims.mv_issue_trends;
    END IF;
    IF (SELECT ispopulated FROM pg_catalog.pg_matviews
         WHERE schemaname = 'ims' AND matviewname = 'mv_product_statistics') THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY ims.mv_product_statistics;
    ELSE
        REFRESH MATERIALIZED VIEW ims.mv_product_statistics;
    END IF;
END;
$body$;

-- function ims.refresh_materialized_views: comment on function ims.refresh_materialized_views()
COMMENT ON FUNCTION ims.refresh_materialized_views() IS 'Refreshes mv_issue_trends and mv_product_statistics, concurrently once they are populated';

-- function ims.refresh_materialized_views: revoke all on function
REVOKE ALL ON FUNCTION ims.refresh_materialized_views() FROM PUBLIC;

-- function ims.refresh_materialized_views: grant execute on function
GRANT EXECUTE ON FUNCTION ims.refresh_materialized_views() TO ims_admin;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create function ims.search_issues
CREATE FUNCTION ims.search_issues(p_query text, p_product text DEFAULT NULL, p_limit integer DEFAULT 50)
RETURNS TABLE(
    issue_pk bigint,
    issue_id varchar,
    title text,
    product varchar,
    status varchar,
    priority varchar,
    reported_at timestamptz,
    rank real
)
LANGUAGE sql
STABLE
AS $body$SELECT i.issue_pk,
       i.issue_id,
       i.title,
       i.product,
       i.status,
       i.priority,
       i.reported_at,
       ts_rank(setweight(to_tsvector('english', coalesce(i.title, '')), 'A')
                 || setweight(to_tsvector('english', coalesce(i.description, '')), 'B'),
               q.query) AS rank
FROM ims.issues i
CROSS JOIN websearch_to_tsquery('english', p_query) AS q(query)
WHERE (to_tsvector('english', coalesce(i.title, '')) @@ q.query
       OR to_tsvector('english', coalesce(i.description, '')) @@ q.query)
  AND (p_product IS NULL OR i.product = p_product)
ORDER BY rank DESC, i.reported_at DESC NULLS LAST
LIMIT p_limit
$body$;

-- function ims.search_issues: comment on function ims.search_issues(text,
COMMENT ON FUNCTION ims.search_issues(text, text, integer) IS 'Full-text search over issue titles (weight A) and descriptions (weight B), best first';

-- function ims.search_issues: revoke all on function
REVOKE ALL ON FUNCTION ims.search_issues(text, text, integer) FROM PUBLIC;

-- function ims.search_issues: grant execute on function
GRANT EXECUTE ON FUNCTION ims.search_issues(text, text, integer) TO ims_admin;

-- function ims.search_issues: grant execute on function
GRANT EXECUTE ON FUNCTION ims.search_issues(text, text, integer) TO ims_user;

-- function ims.search_issues: grant execute on function
GRANT EXECUTE ON FUNCTION ims.search_issues(text, text, integer) TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create function ims.set_current_user
CREATE FUNCTION ims.set_current_user(p_user_id bigint)
RETURNS void
LANGUAGE plpgsql
VOLATILE
AS $body$BEGIN
    IF p_user_id IS NULL THEN
        RAISE EXCEPTION 'ims.set_current_user: the user id must not be NULL';
    END IF;
    PERFORM set_config('ims.current_user_id', p_user_id::text, false);
END;
$body$;

-- function ims.set_current_user: comment on function ims.set_current_user(bigint)
COMMENT ON FUNCTION ims.set_current_user(bigint) IS 'Sets the user the row-level security policies of this session compare with (setting ims.current_user_id)';

-- function ims.set_current_user: revoke all on function
REVOKE ALL ON FUNCTION ims.set_current_user(bigint) FROM PUBLIC;

-- function ims.set_current_user: grant execute on function
GRANT EXECUTE ON FUNCTION ims.set_current_user(bigint) TO ims_admin;

-- function ims.set_current_user: grant execute on function
GRANT EXECUTE ON FUNCTION ims.set_current_user(bigint) TO ims_user;

-- function ims.set_current_user: grant execute on function
GRANT EXECUTE ON FUNCTION ims.set_current_user(bigint) TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create function ims.update_updated_at
CREATE FUNCTION ims.update_updated_at()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $body$BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$body$;

-- function ims.update_updated_at: comment on function ims.update_updated_at()
COMMENT ON FUNCTION ims.update_updated_at() IS 'Trigger function: sets updated_at to now() on every UPDATE';

-- function ims.update_updated_at: revoke all on function
REVOKE ALL ON FUNCTION ims.update_updated_at() FROM PUBLIC;

-- function ims.update_updated_at: grant execute on function
GRANT EXECUTE ON FUNCTION ims.update_updated_at() TO ims_admin;

-- function ims.update_updated_at: grant execute on function
GRANT EXECUTE ON FUNCTION ims.update_updated_at() TO ims_user;

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create function steam.get_database_stats
CREATE FUNCTION steam.get_database_stats()
RETURNS TABLE(metric text, value bigint)
LANGUAGE sql
STABLE
AS $body$SELECT 'applications'::text, count(*) FROM steam.applications
UNION ALL SELECT 'games', count(*) FROM steam.applications WHERE type = 'game'
UNION ALL SELECT 'dlc', count(*) FROM steam.applications WHERE type = 'dlc'
UNION ALL SELECT 'free_applications', count(*) FROM steam.applications WHERE is_free
UNION ALL SELECT 'applications_with_embedding', count(*) FROM steam.applications WHERE description_embedding IS NOT NULL
UNION ALL SELECT 'reviews', count(*) FROM steam.reviews
UNION ALL SELECT 'reviews_with_embedding', count(*) FROM steam.reviews WHERE review_embedding IS NOT NULL
UNION ALL SELECT 'developers', count(*) FROM steam.developers
UNION ALL SELECT 'publishers', count(*) FROM steam.publishers
UNION ALL SELECT 'genres', count(*) FROM steam.genres
UNION ALL SELECT 'categories', count(*) FROM steam.categories
UNION ALL SELECT 'screenshots', count(*) FROM steam.application_screenshots
UNION ALL SELECT 'movies', count(*) FROM steam.application_movies
$body$;

-- function steam.get_database_stats: comment on function steam.get_database_stats()
COMMENT ON FUNCTION steam.get_database_stats() IS 'Row counts of the Steam schema, for checking an import (SELECT * FROM steam.get_database_stats())';

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.analytics_daily
CREATE TABLE ims.analytics_daily (
    stat_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    user_id bigint NOT NULL,
    stat_date date NOT NULL,
    total_sessions integer DEFAULT 0 NOT NULL,
    completed_sessions integer DEFAULT 0 NOT NULL,
    failed_sessions integer DEFAULT 0 NOT NULL,
    total_issues_found integer DEFAULT 0 NOT NULL,
    unique_issues integer DEFAULT 0 NOT NULL,
    total_queries integer DEFAULT 0 NOT NULL,
    total_errors integer DEFAULT 0 NOT NULL,
    avg_session_duration numeric(10,2),
    product_breakdown jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT analytics_daily_pkey PRIMARY KEY (stat_id),
    CONSTRAINT analytics_daily_user_date_key UNIQUE (user_id, stat_date)
);

-- table ims.analytics_daily: comment on table ims.analytics_daily
COMMENT ON TABLE ims.analytics_daily IS 'Daily per-user statistics, written by ims.aggregate_daily_stats()';

-- table ims.analytics_daily: comment on column ims.analytics_daily.avg_session_duration
COMMENT ON COLUMN ims.analytics_daily.avg_session_duration IS 'Seconds';

-- table ims.analytics_daily: comment on column ims.analytics_daily.product_breakdown
COMMENT ON COLUMN ims.analytics_daily.product_breakdown IS 'Sessions per product, e.g. {"OpenFrame": 3}';

-- table ims.analytics_daily: grant all on table
GRANT ALL ON TABLE ims.analytics_daily TO ims_admin;

-- table ims.analytics_daily: grant select on table
GRANT SELECT ON TABLE ims.analytics_daily TO ims_user;

-- table ims.analytics_daily: grant select on table
GRANT SELECT ON TABLE ims.analytics_daily TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.analytics_monthly
CREATE TABLE ims.analytics_monthly (
    stat_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    user_id bigint NOT NULL,
    year integer NOT NULL,
    month smallint NOT NULL,
    total_sessions integer DEFAULT 0 NOT NULL,
    total_issues_found integer DEFAULT 0 NOT NULL,
    total_queries integer DEFAULT 0 NOT NULL,
    total_errors integer DEFAULT 0 NOT NULL,
    active_days integer DEFAULT 0 NOT NULL,
    avg_issues_per_session numeric(10,2),
    keyword_trends jsonb DEFAULT '{}'::jsonb NOT NULL,
    product_distribution jsonb DEFAULT '{}'::jsonb NOT NULL,
    quality_metrics jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT analytics_monthly_pkey PRIMARY KEY (stat_id),
    CONSTRAINT analytics_monthly_user_period_key UNIQUE (user_id, year, month),
    CONSTRAINT analytics_monthly_year_check CHECK (year BETWEEN 2000 AND 2100),
    CONSTRAINT analytics_monthly_month_check CHECK (month BETWEEN 1 AND 12)
);

-- table ims.analytics_monthly: comment on table ims.analytics_monthly
COMMENT ON TABLE ims.analytics_monthly IS 'Monthly per-user trends, rolled up from analytics_daily';

-- table ims.analytics_monthly: comment on column ims.analytics_monthly.keyword_trends
COMMENT ON COLUMN ims.analytics_monthly.keyword_trends IS 'Most frequent query keywords and their counts';

-- table ims.analytics_monthly: comment on column ims.analytics_monthly.product_distribution
COMMENT ON COLUMN ims.analytics_monthly.product_distribution IS 'Sessions per product over the month';

-- table ims.analytics_monthly: comment on column ims.analytics_monthly.quality_metrics
COMMENT ON COLUMN ims.analytics_monthly.quality_metrics IS 'Success rate, error rate, average parsing confidence';

-- table ims.analytics_monthly: grant all on table
GRANT ALL ON TABLE ims.analytics_monthly TO ims_admin;

-- table ims.analytics_monthly: grant select on table
GRANT SELECT ON TABLE ims.analytics_monthly TO ims_user;

-- table ims.analytics_monthly: grant select on table
GRANT SELECT ON TABLE ims.analytics_monthly TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.attachments
CREATE TABLE ims.attachments (
    attachment_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    issue_pk bigint NOT NULL,
    session_id bigint,
    session_started_at timestamp with time zone,
    file_name character varying(500) NOT NULL,
    file_url text,
    local_path text,
    file_size bigint,
    mime_type character varying(200),
    file_hash character varying(64),
    extracted_text text,
    extraction_status character varying(20) DEFAULT 'pending' NOT NULL,
    extraction_method character varying(50),
    page_count integer,
    extraction_metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    downloaded_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT attachments_pkey PRIMARY KEY (attachment_id),
    CONSTRAINT attachments_file_size_check CHECK (file_size >= 0),
    CONSTRAINT attachments_extraction_status_check CHECK (extraction_status IN ('pending', 'success', 'failed', 'skipped'))
);

-- table ims.attachments: comment on table ims.attachments
COMMENT ON TABLE ims.attachments IS 'Files attached to IMS issues, with the text extracted from them for search and RAG';

-- table ims.attachments: comment on column ims.attachments.session_id
COMMENT ON COLUMN ims.attachments.session_id IS 'Session that downloaded the file';

-- table ims.attachments: comment on column ims.attachments.file_size
COMMENT ON COLUMN ims.attachments.file_size IS 'Size in bytes';

-- table ims.attachments: comment on column ims.attachments.file_hash
COMMENT ON COLUMN ims.attachments.file_hash IS 'SHA-256 of the file';

-- table ims.attachments: comment on column ims.attachments.extracted_text
COMMENT ON COLUMN ims.attachments.extracted_text IS 'Text extracted from the file (PDF, Office, logs)';

-- table ims.attachments: grant all on table
GRANT ALL ON TABLE ims.attachments TO ims_admin;

-- table ims.attachments: grant select, insert, update
GRANT SELECT, INSERT, UPDATE ON TABLE ims.attachments TO ims_user;

-- table ims.attachments: grant select on table
GRANT SELECT ON TABLE ims.attachments TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.audit_log
CREATE TABLE ims.audit_log (
    log_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    user_id bigint,
    action character varying(100) NOT NULL,
    entity_type character varying(50),
    entity_id character varying(100),
    old_values jsonb,
    new_values jsonb,
    ip_address inet,
    user_agent text,
    success boolean DEFAULT true NOT NULL,
    error_message text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT audit_log_pkey PRIMARY KEY (log_id)
);

-- table ims.audit_log: comment on table ims.audit_log
COMMENT ON TABLE ims.audit_log IS 'Append-only trail of important operations';

-- table ims.audit_log: comment on column ims.audit_log.user_id
COMMENT ON COLUMN ims.audit_log.user_id IS 'Acting user; NULL for system jobs or deleted users';

-- table ims.audit_log: comment on column ims.audit_log.action
COMMENT ON COLUMN ims.audit_log.action IS 'What happened, e.g. login, crawl_started, delete_old_sessions';

-- table ims.audit_log: grant all on table
GRANT ALL ON TABLE ims.audit_log TO ims_admin;

-- table ims.audit_log: grant select, insert on
GRANT SELECT, INSERT ON TABLE ims.audit_log TO ims_user;

-- table ims.audit_log: grant select on table
GRANT SELECT ON TABLE ims.audit_log TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.crawl_sessions
CREATE TABLE ims.crawl_sessions (
    session_id bigserial NOT NULL,
    session_uuid uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id bigint NOT NULL,
    query_text text NOT NULL,
    parsed_query jsonb,
    product character varying(100),
    search_strategy character varying(50),
    status character varying(20) DEFAULT 'pending' NOT NULL,
    max_results integer,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    completed_at timestamp with time zone,
    duration_seconds numeric(10,2),
    total_issues_found integer DEFAULT 0 NOT NULL,
    issues_crawled integer DEFAULT 0 NOT NULL,
    issues_failed integer DEFAULT 0 NOT NULL,
    attachments_downloaded integer DEFAULT 0 NOT NULL,
    pages_visited integer DEFAULT 0 NOT NULL,
    error_count integer DEFAULT 0 NOT NULL,
    crawl_options jsonb DEFAULT '{}'::jsonb NOT NULL,
    performance_metrics jsonb DEFAULT '{}'::jsonb NOT NULL,
    client_ip inet,
    app_version character varying(50),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT crawl_sessions_pkey PRIMARY KEY (session_id, started_at),
    CONSTRAINT crawl_sessions_session_uuid_key UNIQUE (session_uuid, started_at),
    CONSTRAINT crawl_sessions_status_check CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    CONSTRAINT crawl_sessions_max_results_check CHECK (max_results > 0),
    CONSTRAINT crawl_sessions_completed_after_started CHECK (completed_at IS NULL OR completed_at >= started_at)
) PARTITION BY RANGE (started_at);

-- table ims.crawl_sessions: comment on table ims.crawl_sessions
COMMENT ON TABLE ims.crawl_sessions IS 'One crawl run of a user''s query; partitioned by month of started_at';

-- table ims.crawl_sessions: comment on column ims.crawl_sessions.session_id
COMMENT ON COLUMN ims.crawl_sessions.session_id IS 'Session number (a sequence; unique across partitions)';

-- table ims.crawl_sessions: comment on column ims.crawl_sessions.session_uuid
COMMENT ON COLUMN ims.crawl_sessions.session_uuid IS 'Id the crawler client generates and logs';

-- table ims.crawl_sessions: comment on column ims.crawl_sessions.query_text
COMMENT ON COLUMN ims.crawl_sessions.query_text IS 'The user''s natural-language query';

-- table ims.crawl_sessions: comment on column ims.crawl_sessions.parsed_query
COMMENT ON COLUMN ims.crawl_sessions.parsed_query IS 'Keywords, filters and intent extracted from query_text';

-- table ims.crawl_sessions: comment on column ims.crawl_sessions.product
COMMENT ON COLUMN ims.crawl_sessions.product IS 'Product filter (e.g. OpenFrame, Tibero, JEUS)';

-- table ims.crawl_sessions: comment on column ims.crawl_sessions.search_strategy
COMMENT ON COLUMN ims.crawl_sessions.search_strategy IS 'keyword, semantic or hybrid';

-- table ims.crawl_sessions: comment on column ims.crawl_sessions.started_at
COMMENT ON COLUMN ims.crawl_sessions.started_at IS 'Start of the run; the partition key';

-- table ims.crawl_sessions: comment on column ims.crawl_sessions.error_count
COMMENT ON COLUMN ims.crawl_sessions.error_count IS 'Errors the crawler counted (details in session_errors)';

-- table ims.crawl_sessions: comment on column ims.crawl_sessions.crawl_options
COMMENT ON COLUMN ims.crawl_sessions.crawl_options IS 'Options the run used (headless, page limit, attachment download, ...)';

-- table ims.crawl_sessions: comment on column ims.crawl_sessions.performance_metrics
COMMENT ON COLUMN ims.crawl_sessions.performance_metrics IS 'Timings and request counts';

-- table ims.crawl_sessions: grant all on table
GRANT ALL ON TABLE ims.crawl_sessions TO ims_admin;

-- table ims.crawl_sessions: grant usage on sequence
GRANT USAGE ON SEQUENCE ims.crawl_sessions_session_id_seq TO ims_admin;

-- table ims.crawl_sessions: grant select, insert, update,
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ims.crawl_sessions TO ims_user;

-- table ims.crawl_sessions: grant usage on sequence
GRANT USAGE ON SEQUENCE ims.crawl_sessions_session_id_seq TO ims_user;

-- table ims.crawl_sessions: grant select on table
GRANT SELECT ON TABLE ims.crawl_sessions TO ims_readonly;

-- create partition ims.crawl_sessions_2026_01
CREATE TABLE ims.crawl_sessions_2026_01 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');

-- create partition ims.crawl_sessions_2026_02
CREATE TABLE ims.crawl_sessions_2026_02 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-02-01') TO ('2026-03-01');

-- create partition ims.crawl_sessions_2026_03
CREATE TABLE ims.crawl_sessions_2026_03 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');

-- create partition ims.crawl_sessions_2026_04
CREATE TABLE ims.crawl_sessions_2026_04 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-04-01') TO ('2026-05-01');

-- create partition ims.crawl_sessions_2026_05
CREATE TABLE ims.crawl_sessions_2026_05 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-05-01') TO ('2026-06-01');

-- create partition ims.crawl_sessions_2026_06
CREATE TABLE ims.crawl_sessions_2026_06 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-06-01') TO ('2026-07-01');

-- create partition ims.crawl_sessions_2026_07
CREATE TABLE ims.crawl_sessions_2026_07 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-07-01') TO ('2026-08-01');

-- create partition ims.crawl_sessions_2026_08
CREATE TABLE ims.crawl_sessions_2026_08 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-08-01') TO ('2026-09-01');

-- create partition ims.crawl_sessions_2026_09
CREATE TABLE ims.crawl_sessions_2026_09 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-09-01') TO ('2026-10-01');

-- create partition ims.crawl_sessions_2026_10
CREATE TABLE ims.crawl_sessions_2026_10 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-10-01') TO ('2026-11-01');

-- create partition ims.crawl_sessions_2026_11
CREATE TABLE ims.crawl_sessions_2026_11 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');

-- create partition ims.crawl_sessions_2026_12
CREATE TABLE ims.crawl_sessions_2026_12 PARTITION OF ims.crawl_sessions FOR VALUES FROM ('2026-12-01') TO ('2027-01-01');

-- create partition ims.crawl_sessions_default
CREATE TABLE ims.crawl_sessions_default PARTITION OF ims.crawl_sessions DEFAULT;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.issue_comments
CREATE TABLE ims.issue_comments (
    comment_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    issue_pk bigint NOT NULL,
    external_comment_id character varying(100),
    author character varying(100),
    content text NOT NULL,
    comment_type character varying(30) DEFAULT 'comment' NOT NULL,
    is_internal boolean DEFAULT false NOT NULL,
    commented_at timestamp with time zone,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT issue_comments_pkey PRIMARY KEY (comment_id)
);

-- table ims.issue_comments: comment on table ims.issue_comments
COMMENT ON TABLE ims.issue_comments IS 'Comments on IMS issues';

-- table ims.issue_comments: comment on column ims.issue_comments.external_comment_id
COMMENT ON COLUMN ims.issue_comments.external_comment_id IS 'The comment''s id in IMS, when shown';

-- table ims.issue_comments: comment on column ims.issue_comments.comment_type
COMMENT ON COLUMN ims.issue_comments.comment_type IS 'comment, status_change, resolution, ...';

-- table ims.issue_comments: comment on column ims.issue_comments.is_internal
COMMENT ON COLUMN ims.issue_comments.is_internal IS 'Internal note, hidden from the customer';

-- table ims.issue_comments: comment on column ims.issue_comments.updated_at
COMMENT ON COLUMN ims.issue_comments.updated_at IS 'Maintained by trigger trg_issue_comments_updated_at';

-- table ims.issue_comments: grant all on table
GRANT ALL ON TABLE ims.issue_comments TO ims_admin;

-- table ims.issue_comments: grant select, insert, update
GRANT SELECT, INSERT, UPDATE ON TABLE ims.issue_comments TO ims_user;

-- table ims.issue_comments: grant select on table
GRANT SELECT ON TABLE ims.issue_comments TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.issue_history
CREATE TABLE ims.issue_history (
    history_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    issue_pk bigint NOT NULL,
    field_name character varying(100) NOT NULL,
    old_value text,
    new_value text,
    change_type character varying(30) DEFAULT 'update' NOT NULL,
    changed_by character varying(100),
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    details jsonb,
    CONSTRAINT issue_history_pkey PRIMARY KEY (history_id),
    CONSTRAINT issue_history_change_type_check CHECK (change_type IN ('create', 'update', 'delete', 'status_change', 'assignment'))
);

-- table ims.issue_history: comment on table ims.issue_history
COMMENT ON TABLE ims.issue_history IS 'Field-level change history of IMS issues, as seen between crawls';

-- table ims.issue_history: grant all on table
GRANT ALL ON TABLE ims.issue_history TO ims_admin;

-- table ims.issue_history: grant select, insert on
GRANT SELECT, INSERT ON TABLE ims.issue_history TO ims_user;

-- table ims.issue_history: grant select on table
GRANT SELECT ON TABLE ims.issue_history TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.issues
CREATE TABLE ims.issues (
    issue_pk bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    issue_id character varying(50) NOT NULL,
    title text NOT NULL,
    description text,
    product character varying(100),
    module character varying(100),
    version character varying(50),
    status character varying(50),
    priority character varying(20),
    severity character varying(20),
    issue_type character varying(50),
    reporter character varying(100),
    assignee character varying(100),
    customer character varying(200),
    reported_at timestamp with time zone,
    resolved_at timestamp with time zone,
    issue_url text,
    labels text[] DEFAULT '{}'::text[] NOT NULL,
    custom_fields jsonb DEFAULT '{}'::jsonb NOT NULL,
    raw_data jsonb,
    content_hash character varying(64),
    crawl_count integer DEFAULT 1 NOT NULL,
    first_crawled_at timestamp with time zone DEFAULT now() NOT NULL,
    last_crawled_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT issues_pkey PRIMARY KEY (issue_pk),
    CONSTRAINT issues_issue_id_key UNIQUE (issue_id),
    CONSTRAINT issues_resolved_after_reported CHECK (resolved_at IS NULL OR reported_at IS NULL OR resolved_at >= reported_at)
);

-- table ims.issues: comment on table ims.issues
COMMENT ON TABLE ims.issues IS 'IMS issues as last crawled; shared by all users';

-- table ims.issues: comment on column ims.issues.issue_pk
COMMENT ON COLUMN ims.issues.issue_pk IS 'Surrogate key';

-- table ims.issues: comment on column ims.issues.issue_id
COMMENT ON COLUMN ims.issues.issue_id IS 'The issue number in IMS';

-- table ims.issues: comment on column ims.issues.version
COMMENT ON COLUMN ims.issues.version IS 'Product version the issue was reported against';

-- table ims.issues: comment on column ims.issues.status
COMMENT ON COLUMN ims.issues.status IS 'IMS workflow status (new, in_progress, resolved, closed, ...)';

-- table ims.issues: comment on column ims.issues.priority
COMMENT ON COLUMN ims.issues.priority IS 'critical, high, medium or low';

-- table ims.issues: comment on column ims.issues.issue_type
COMMENT ON COLUMN ims.issues.issue_type IS 'defect, question, enhancement, ...';

-- table ims.issues: comment on column ims.issues.custom_fields
COMMENT ON COLUMN ims.issues.custom_fields IS 'Product-specific IMS fields';

-- table ims.issues: comment on column ims.issues.raw_data
COMMENT ON COLUMN ims.issues.raw_data IS 'The page as scraped, for re-parsing';

-- table ims.issues: comment on column ims.issues.content_hash
COMMENT ON COLUMN ims.issues.content_hash IS 'SHA-256 of the parsed content, to detect changes between crawls';

-- table ims.issues: comment on column ims.issues.crawl_count
COMMENT ON COLUMN ims.issues.crawl_count IS 'How many sessions crawled this issue';

-- table ims.issues: comment on column ims.issues.updated_at
COMMENT ON COLUMN ims.issues.updated_at IS 'Maintained by trigger trg_issues_updated_at';

-- table ims.issues: grant all on table
GRANT ALL ON TABLE ims.issues TO ims_admin;

-- table ims.issues: grant select, insert, update
GRANT SELECT, INSERT, UPDATE ON TABLE ims.issues TO ims_user;

-- table ims.issues: grant select on table
GRANT SELECT ON TABLE ims.issues TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.search_queries
CREATE TABLE ims.search_queries (
    query_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    user_id bigint NOT NULL,
    session_id bigint,
    session_started_at timestamp with time zone,
    original_query text NOT NULL,
    parsed_query jsonb,
    query_language character varying(10),
    parsing_method character varying(30),
    parsing_confidence numeric(4,3),
    product_filter character varying(100),
    result_count integer,
    execution_time_ms integer,
    is_saved boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT search_queries_pkey PRIMARY KEY (query_id),
    CONSTRAINT search_queries_parsing_method_check CHECK (parsing_method IN ('rule_based', 'llm', 'hybrid', 'manual')),
    CONSTRAINT search_queries_parsing_confidence_check CHECK (parsing_confidence BETWEEN 0 AND 1)
);

-- table ims.search_queries: comment on table ims.search_queries
COMMENT ON TABLE ims.search_queries IS 'Search history per user, with how the natural-language query was parsed';

-- table ims.search_queries: comment on column ims.search_queries.session_id
COMMENT ON COLUMN ims.search_queries.session_id IS 'Crawl session the query started, if any';

-- table ims.search_queries: comment on column ims.search_queries.original_query
COMMENT ON COLUMN ims.search_queries.original_query IS 'The query as typed';

-- table ims.search_queries: comment on column ims.search_queries.parsed_query
COMMENT ON COLUMN ims.search_queries.parsed_query IS 'Keywords, product and filters the parser extracted';

-- table ims.search_queries: comment on column ims.search_queries.is_saved
COMMENT ON COLUMN ims.search_queries.is_saved IS 'Saved by the user for reuse';

-- table ims.search_queries: grant all on table
GRANT ALL ON TABLE ims.search_queries TO ims_admin;

-- table ims.search_queries: grant select, insert, update,
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ims.search_queries TO ims_user;

-- table ims.search_queries: grant select on table
GRANT SELECT ON TABLE ims.search_queries TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.session_errors
CREATE TABLE ims.session_errors (
    error_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    session_id bigint NOT NULL,
    session_started_at timestamp with time zone NOT NULL,
    error_type character varying(100) NOT NULL,
    severity character varying(20) DEFAULT 'error' NOT NULL,
    error_message text NOT NULL,
    error_detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    stack_trace text,
    issue_id character varying(50),
    page_url text,
    retry_count integer DEFAULT 0 NOT NULL,
    is_resolved boolean DEFAULT false NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT session_errors_pkey PRIMARY KEY (error_id),
    CONSTRAINT session_errors_severity_check CHECK (severity IN ('debug', 'info', 'warning', 'error', 'critical'))
);

-- table ims.session_errors: comment on table ims.session_errors
COMMENT ON TABLE ims.session_errors IS 'Errors raised while a session crawled';

-- table ims.session_errors: comment on column ims.session_errors.error_type
COMMENT ON COLUMN ims.session_errors.error_type IS 'Exception class or error code';

-- table ims.session_errors: comment on column ims.session_errors.error_detail
COMMENT ON COLUMN ims.session_errors.error_detail IS 'Context of the error (request, selector, response code, ...)';

-- table ims.session_errors: comment on column ims.session_errors.issue_id
COMMENT ON COLUMN ims.session_errors.issue_id IS 'IMS issue number being processed, if any';

-- table ims.session_errors: grant all on table
GRANT ALL ON TABLE ims.session_errors TO ims_admin;

-- table ims.session_errors: grant select, insert, update
GRANT SELECT, INSERT, UPDATE ON TABLE ims.session_errors TO ims_user;

-- table ims.session_errors: grant select on table
GRANT SELECT ON TABLE ims.session_errors TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.session_issues
CREATE TABLE ims.session_issues (
    session_issue_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    session_id bigint NOT NULL,
    session_started_at timestamp with time zone NOT NULL,
    issue_pk bigint NOT NULL,
    rank_position integer,
    relevance_score numeric(6,4),
    matched_keywords text[],
    crawl_status character varying(20) DEFAULT 'success' NOT NULL,
    crawled_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT session_issues_pkey PRIMARY KEY (session_issue_id),
    CONSTRAINT session_issues_session_issue_key UNIQUE (session_id, issue_pk),
    CONSTRAINT session_issues_crawl_status_check CHECK (crawl_status IN ('success', 'failed', 'skipped', 'cached'))
);

-- table ims.session_issues: comment on table ims.session_issues
COMMENT ON TABLE ims.session_issues IS 'Which issues each crawl session found, and how they ranked';

-- table ims.session_issues: comment on column ims.session_issues.session_started_at
COMMENT ON COLUMN ims.session_issues.session_started_at IS 'started_at of the session; part of the key of the partitioned crawl_sessions';

-- table ims.session_issues: comment on column ims.session_issues.rank_position
COMMENT ON COLUMN ims.session_issues.rank_position IS 'Position of the issue in the session''s results';

-- table ims.session_issues: grant all on table
GRANT ALL ON TABLE ims.session_issues TO ims_admin;

-- table ims.session_issues: grant select, insert, update,
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE ims.session_issues TO ims_user;

-- table ims.session_issues: grant select on table
GRANT SELECT ON TABLE ims.session_issues TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create table ims.users
CREATE TABLE ims.users (
    user_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    username character varying(100) NOT NULL,
    email character varying(255),
    display_name character varying(200),
    role character varying(20) DEFAULT 'user' NOT NULL,
    department character varying(100),
    preferences jsonb DEFAULT '{}'::jsonb NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    last_login_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (user_id),
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_role_check CHECK (role IN ('admin', 'user', 'readonly'))
);

-- table ims.users: comment on table ims.users
COMMENT ON TABLE ims.users IS 'Crawler users, their role and preferences';

-- table ims.users: comment on column ims.users.username
COMMENT ON COLUMN ims.users.username IS 'Login name, e.g. yijae.shin';

-- table ims.users: comment on column ims.users.role
COMMENT ON COLUMN ims.users.role IS 'Application role; matches the database roles ims_admin, ims_user, ims_readonly';

-- table ims.users: comment on column ims.users.preferences
COMMENT ON COLUMN ims.users.preferences IS 'UI and crawler preferences (language, default product, result limits, ...)';

-- table ims.users: comment on column ims.users.updated_at
COMMENT ON COLUMN ims.users.updated_at IS 'Maintained by trigger trg_users_updated_at';

-- table ims.users: grant all on table
GRANT ALL ON TABLE ims.users TO ims_admin;

-- table ims.users: grant select, update on
GRANT SELECT, UPDATE ON TABLE ims.users TO ims_user;

-- table ims.users: grant select on table
GRANT SELECT ON TABLE ims.users TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.application_categories
CREATE TABLE steam.application_categories (
    appid bigint NOT NULL,
    category_id integer NOT NULL,
    CONSTRAINT application_categories_pkey PRIMARY KEY (appid, category_id)
);

-- table steam.application_categories: comment on table steam.application_categories
COMMENT ON TABLE steam.application_categories IS 'Categories of each application';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.application_developers
CREATE TABLE steam.application_developers (
    appid bigint NOT NULL,
    developer_id integer NOT NULL,
    CONSTRAINT application_developers_pkey PRIMARY KEY (appid, developer_id)
);

-- table steam.application_developers: comment on table steam.application_developers
COMMENT ON TABLE steam.application_developers IS 'Which developers made which application';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.application_genres
CREATE TABLE steam.application_genres (
    appid bigint NOT NULL,
    genre_id integer NOT NULL,
    CONSTRAINT application_genres_pkey PRIMARY KEY (appid, genre_id)
);

-- table steam.application_genres: comment on table steam.application_genres
COMMENT ON TABLE steam.application_genres IS 'Genres of each application';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.application_movies
CREATE TABLE steam.application_movies (
    movie_id bigint NOT NULL,
    appid bigint NOT NULL,
    name text,
    thumbnail text,
    webm jsonb,
    mp4 jsonb,
    highlight boolean DEFAULT false NOT NULL,
    CONSTRAINT application_movies_pkey PRIMARY KEY (movie_id)
);

-- table steam.application_movies: comment on table steam.application_movies
COMMENT ON TABLE steam.application_movies IS 'Trailers and videos of each application';

-- table steam.application_movies: comment on column steam.application_movies.movie_id
COMMENT ON COLUMN steam.application_movies.movie_id IS 'Steam movie id';

-- table steam.application_movies: comment on column steam.application_movies.webm
COMMENT ON COLUMN steam.application_movies.webm IS 'WebM sources by resolution';

-- table steam.application_movies: comment on column steam.application_movies.mp4
COMMENT ON COLUMN steam.application_movies.mp4 IS 'MP4 sources by resolution';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.application_publishers
CREATE TABLE steam.application_publishers (
    appid bigint NOT NULL,
    publisher_id integer NOT NULL,
    CONSTRAINT application_publishers_pkey PRIMARY KEY (appid, publisher_id)
);

-- table steam.application_publishers: comment on table steam.application_publishers
COMMENT ON TABLE steam.application_publishers IS 'Which publishers published which application';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.application_screenshots
CREATE TABLE steam.application_screenshots (
    appid bigint NOT NULL,
    screenshot_id integer NOT NULL,
    path_thumbnail text NOT NULL,
    path_full text NOT NULL,
    CONSTRAINT application_screenshots_pkey PRIMARY KEY (appid, screenshot_id)
);

-- table steam.application_screenshots: comment on table steam.application_screenshots
COMMENT ON TABLE steam.application_screenshots IS 'Store page screenshots of each application';

-- table steam.application_screenshots: comment on column steam.application_screenshots.screenshot_id
COMMENT ON COLUMN steam.application_screenshots.screenshot_id IS 'Position id Steam gives the screenshot within the application';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.applications
CREATE TABLE steam.applications (
    appid bigint NOT NULL,
    name text,
    type steam.app_type,
    is_free boolean DEFAULT false NOT NULL,
    required_age integer DEFAULT 0 NOT NULL,
    short_description text,
    detailed_description text,
    about_the_game text,
    supported_languages text,
    header_image text,
    capsule_image text,
    website text,
    controller_support character varying(20),
    price_overview jsonb,
    platforms jsonb,
    metacritic_score integer,
    metacritic_url text,
    recommendations_total integer,
    release_date date,
    coming_soon boolean DEFAULT false NOT NULL,
    pc_requirements jsonb,
    mac_requirements jsonb,
    linux_requirements jsonb,
    achievements_total integer,
    background text,
    content_descriptors jsonb,
    dlc_appids bigint[],
    description_embedding vector(384),
    combined_text text GENERATED ALWAYS AS (COALESCE(name, '') || ' ' || COALESCE(short_description, '') || ' ' || COALESCE(about_the_game, '')) STORED,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT applications_pkey PRIMARY KEY (appid),
    CONSTRAINT applications_required_age_check CHECK (required_age >= 0),
    CONSTRAINT applications_metacritic_score_check CHECK (metacritic_score BETWEEN 0 AND 100)
);

-- table steam.applications: comment on table steam.applications
COMMENT ON TABLE steam.applications IS 'One row per Steam application (appdetails API), with JSONB for semi-structured fields and an embedding of its text';

-- table steam.applications: comment on column steam.applications.appid
COMMENT ON COLUMN steam.applications.appid IS 'Steam application id';

-- table steam.applications: comment on column steam.applications.name
COMMENT ON COLUMN steam.applications.name IS 'Store name';

-- table steam.applications: comment on column steam.applications.type
COMMENT ON COLUMN steam.applications.type IS 'Kind of application (game, dlc, demo, ...)';

-- table steam.applications: comment on column steam.applications.required_age
COMMENT ON COLUMN steam.applications.required_age IS 'Minimum age; 0 when unrestricted';

-- table steam.applications: comment on column steam.applications.detailed_description
COMMENT ON COLUMN steam.applications.detailed_description IS 'HTML description from the store page';

-- table steam.applications: comment on column steam.applications.about_the_game
COMMENT ON COLUMN steam.applications.about_the_game IS 'HTML "About this game" section';

-- table steam.applications: comment on column steam.applications.supported_languages
COMMENT ON COLUMN steam.applications.supported_languages IS 'HTML list of interface, audio and subtitle languages';

-- table steam.applications: comment on column steam.applications.header_image
COMMENT ON COLUMN steam.applications.header_image IS 'URL of the header image';

-- table steam.applications: comment on column steam.applications.capsule_image
COMMENT ON COLUMN steam.applications.capsule_image IS 'URL of the small capsule image';

-- table steam.applications: comment on column steam.applications.controller_support
COMMENT ON COLUMN steam.applications.controller_support IS '`full` or `partial` when the store reports controller support';

-- table steam.applications: comment on column steam.applications.price_overview
COMMENT ON COLUMN steam.applications.price_overview IS 'Price block: currency, initial, final (in cents), discount_percent, formatted strings';

-- table steam.applications: comment on column steam.applications.platforms
COMMENT ON COLUMN steam.applications.platforms IS 'Supported platforms, e.g. {"windows": true, "mac": false, "linux": false}';

-- table steam.applications: comment on column steam.applications.recommendations_total
COMMENT ON COLUMN steam.applications.recommendations_total IS 'Number of Steam recommendations';

-- table steam.applications: comment on column steam.applications.pc_requirements
COMMENT ON COLUMN steam.applications.pc_requirements IS 'Minimum and recommended Windows requirements (HTML fragments)';

-- table steam.applications: comment on column steam.applications.background
COMMENT ON COLUMN steam.applications.background IS 'URL of the store page background image';

-- table steam.applications: comment on column steam.applications.content_descriptors
COMMENT ON COLUMN steam.applications.content_descriptors IS 'Mature content descriptor ids and notes';

-- table steam.applications: comment on column steam.applications.dlc_appids
COMMENT ON COLUMN steam.applications.dlc_appids IS 'appids of the DLC of this application';

-- table steam.applications: comment on column steam.applications.description_embedding
COMMENT ON COLUMN steam.applications.description_embedding IS 'Sentence embedding of combined_text (384 dimensions, cosine distance)';

-- table steam.applications: comment on column steam.applications.combined_text
COMMENT ON COLUMN steam.applications.combined_text IS 'Name, short description and about text, the input of description_embedding';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.categories
CREATE TABLE steam.categories (
    category_id integer GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    name text NOT NULL,
    steam_category_id integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT categories_pkey PRIMARY KEY (category_id),
    CONSTRAINT categories_name_key UNIQUE (name)
);

-- table steam.categories: comment on table steam.categories
COMMENT ON TABLE steam.categories IS 'Store categories (Single-player, Steam Achievements, ...)';

-- table steam.categories: comment on column steam.categories.steam_category_id
COMMENT ON COLUMN steam.categories.steam_category_id IS 'The id Steam gives the category, when known';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.developers
CREATE TABLE steam.developers (
    developer_id integer GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT developers_pkey PRIMARY KEY (developer_id),
    CONSTRAINT developers_name_key UNIQUE (name)
);

-- table steam.developers: comment on table steam.developers
COMMENT ON TABLE steam.developers IS 'Developer names, deduplicated on import';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.genres
CREATE TABLE steam.genres (
    genre_id integer GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    name text NOT NULL,
    steam_genre_id integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT genres_pkey PRIMARY KEY (genre_id),
    CONSTRAINT genres_name_key UNIQUE (name)
);

-- table steam.genres: comment on table steam.genres
COMMENT ON TABLE steam.genres IS 'Store genres (Action, Indie, ...)';

-- table steam.genres: comment on column steam.genres.steam_genre_id
COMMENT ON COLUMN steam.genres.steam_genre_id IS 'The id Steam gives the genre, when known';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.publishers
CREATE TABLE steam.publishers (
    publisher_id integer GENERATED BY DEFAULT AS IDENTITY NOT NULL,
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT publishers_pkey PRIMARY KEY (publisher_id),
    CONSTRAINT publishers_name_key UNIQUE (name)
);

-- table steam.publishers: comment on table steam.publishers
COMMENT ON TABLE steam.publishers IS 'Publisher names, deduplicated on import';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create table steam.reviews
CREATE TABLE steam.reviews (
    recommendationid text NOT NULL,
    appid bigint NOT NULL,
    author_steamid character varying(20),
    author_num_games_owned bigint,
    author_num_reviews bigint,
    author_playtime_forever bigint,
    author_playtime_last_two_weeks bigint,
    author_playtime_at_review bigint,
    author_last_played bigint,
    review text,
    language character varying(50),
    voted_up boolean,
    votes_up bigint DEFAULT 0 NOT NULL,
    votes_funny bigint DEFAULT 0 NOT NULL,
    weighted_vote_score numeric,
    comment_count integer DEFAULT 0 NOT NULL,
    steam_purchase boolean,
    received_for_free boolean,
    written_during_early_access boolean,
    primarily_steam_deck boolean,
    timestamp_created timestamp with time zone,
    timestamp_updated timestamp with time zone,
    review_embedding vector(384),
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT reviews_pkey PRIMARY KEY (recommendationid)
);

-- table steam.reviews: comment on table steam.reviews
COMMENT ON TABLE steam.reviews IS 'Steam user reviews (appreviews API); author statistics are BIGINT because power users overflow INTEGER';

-- table steam.reviews: comment on column steam.reviews.recommendationid
COMMENT ON COLUMN steam.reviews.recommendationid IS 'Steam review id';

-- table steam.reviews: comment on column steam.reviews.author_steamid
COMMENT ON COLUMN steam.reviews.author_steamid IS '64-bit SteamID of the author, as text';

-- table steam.reviews: comment on column steam.reviews.author_playtime_forever
COMMENT ON COLUMN steam.reviews.author_playtime_forever IS 'Lifetime playtime in minutes';

-- table steam.reviews: comment on column steam.reviews.author_playtime_last_two_weeks
COMMENT ON COLUMN steam.reviews.author_playtime_last_two_weeks IS 'Playtime over the last two weeks, in minutes';

-- table steam.reviews: comment on column steam.reviews.author_playtime_at_review
COMMENT ON COLUMN steam.reviews.author_playtime_at_review IS 'Playtime when the review was written, in minutes';

-- table steam.reviews: comment on column steam.reviews.author_last_played
COMMENT ON COLUMN steam.reviews.author_last_played IS 'Last time the author played, Unix epoch seconds';

-- table steam.reviews: comment on column steam.reviews.review
COMMENT ON COLUMN steam.reviews.review IS 'Review text';

-- table steam.reviews: comment on column steam.reviews.voted_up
COMMENT ON COLUMN steam.reviews.voted_up IS 'True for a positive review';

-- table steam.reviews: comment on column steam.reviews.weighted_vote_score
COMMENT ON COLUMN steam.reviews.weighted_vote_score IS 'Steam''s helpfulness score, 0 to 1';

-- table steam.reviews: comment on column steam.reviews.timestamp_created
COMMENT ON COLUMN steam.reviews.timestamp_created IS 'Creation time (the API''s Unix epoch, converted)';

-- table steam.reviews: comment on column steam.reviews.review_embedding
COMMENT ON COLUMN steam.reviews.review_embedding IS 'Sentence embedding of the review text (384 dimensions, cosine distance)';

-- session: set local search_path to
SET LOCAL search_path TO streaming, public;

-- create table streaming.detailed_transactions
CREATE TABLE streaming.detailed_transactions (
    id serial NOT NULL,
    transaction_id uuid,
    user_id uuid,
    product_name character varying(255),
    quantity integer,
    unit_price numeric(10,2),
    created_at timestamp without time zone DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT detailed_transactions_pkey PRIMARY KEY (id)
);

-- table streaming.detailed_transactions: comment on table streaming.detailed_transactions
COMMENT ON TABLE streaming.detailed_transactions IS 'Line items of transactions; the user is repeated for analytics';

-- table streaming.detailed_transactions: comment on column streaming.detailed_transactions.id
COMMENT ON COLUMN streaming.detailed_transactions.id IS 'Auto-incrementing line item id';

-- session: set local search_path to
SET LOCAL search_path TO streaming, public;

-- create table streaming.transactions
CREATE TABLE streaming.transactions (
    transaction_id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid,
    amount numeric(10,2),
    transaction_date timestamp without time zone,
    status character varying(50),
    CONSTRAINT transactions_pkey PRIMARY KEY (transaction_id)
);

-- table streaming.transactions: comment on table streaming.transactions
COMMENT ON TABLE streaming.transactions IS 'Transactions, each made by one user';

-- table streaming.transactions: comment on column streaming.transactions.amount
COMMENT ON COLUMN streaming.transactions.amount IS 'Transaction total';

-- table streaming.transactions: comment on column streaming.transactions.status
COMMENT ON COLUMN streaming.transactions.status IS 'e.g. pending, completed, failed, refunded';

-- session: set local search_path to
SET LOCAL search_path TO streaming, public;

-- create table streaming.users
CREATE TABLE streaming.users (
    user_id uuid DEFAULT gen_random_uuid() NOT NULL,
    name character varying(255),
    email character varying(255),
    age integer,
    city character varying(255),
    registration_date timestamp without time zone,
    CONSTRAINT users_pkey PRIMARY KEY (user_id)
);

-- table streaming.users: comment on table streaming.users
COMMENT ON TABLE streaming.users IS 'Users of the streaming sandbox (UUID keys, generated by the pipeline or the database)';

-- table streaming.users: comment on column streaming.users.user_id
COMMENT ON COLUMN streaming.users.user_id IS 'Unique user identifier';

-- add foreign key analytics_daily_user_id_fkey on ims.analytics_daily
ALTER TABLE ims.analytics_daily ADD CONSTRAINT analytics_daily_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users (user_id) ON DELETE CASCADE;

-- create index ims.idx_analytics_daily_date
CREATE INDEX idx_analytics_daily_date ON ims.analytics_daily (stat_date);

-- create index ims.idx_analytics_daily_product_breakdown
CREATE INDEX idx_analytics_daily_product_breakdown ON ims.analytics_daily USING gin (product_breakdown);

-- add foreign key analytics_monthly_user_id_fkey on ims.analytics_monthly
ALTER TABLE ims.analytics_monthly ADD CONSTRAINT analytics_monthly_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users (user_id) ON DELETE CASCADE;

-- create index ims.idx_analytics_monthly_period
CREATE INDEX idx_analytics_monthly_period ON ims.analytics_monthly (year, month);

-- create index ims.idx_analytics_monthly_keyword_trends
CREATE INDEX idx_analytics_monthly_keyword_trends ON ims.analytics_monthly USING gin (keyword_trends);

-- add foreign key attachments_issue_pk_fkey on ims.attachments
ALTER TABLE ims.attachments ADD CONSTRAINT attachments_issue_pk_fkey FOREIGN KEY (issue_pk) REFERENCES ims.issues (issue_pk) ON DELETE CASCADE;

-- add foreign key attachments_session_fkey on ims.attachments
ALTER TABLE ims.attachments ADD CONSTRAINT attachments_session_fkey FOREIGN KEY (session_id, session_started_at) REFERENCES ims.crawl_sessions (session_id, started_at) ON DELETE SET NULL;

-- create index ims.idx_attachments_issue
CREATE INDEX idx_attachments_issue ON ims.attachments (issue_pk);

-- create index ims.idx_attachments_session
CREATE INDEX idx_attachments_session ON ims.attachments (session_id, session_started_at);

-- create index ims.idx_attachments_file_hash
CREATE INDEX idx_attachments_file_hash ON ims.attachments (file_hash);

-- create index ims.idx_attachments_extracted_text_fts
CREATE INDEX idx_attachments_extracted_text_fts ON ims.attachments USING gin ((to_tsvector('english', coalesce(extracted_text, ''))));

-- comment on index ims.idx_attachments_extracted_text_fts
COMMENT ON INDEX ims.idx_attachments_extracted_text_fts IS 'Full-text search on extracted text';

-- create index ims.idx_attachments_pending
CREATE INDEX idx_attachments_pending ON ims.attachments (attachment_id) WHERE extraction_status = 'pending';

-- comment on index ims.idx_attachments_pending
COMMENT ON INDEX ims.idx_attachments_pending IS 'The extraction work queue';

-- create index ims.idx_attachments_metadata
CREATE INDEX idx_attachments_metadata ON ims.attachments USING gin (extraction_metadata);

-- add foreign key audit_log_user_id_fkey on ims.audit_log
ALTER TABLE ims.audit_log ADD CONSTRAINT audit_log_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users (user_id) ON DELETE SET NULL;

-- create index ims.idx_audit_log_user_created
CREATE INDEX idx_audit_log_user_created ON ims.audit_log (user_id, created_at DESC);

-- create index ims.idx_audit_log_entity
CREATE INDEX idx_audit_log_entity ON ims.audit_log (entity_type, entity_id);

-- create index ims.idx_audit_log_action
CREATE INDEX idx_audit_log_action ON ims.audit_log (action);

-- create index ims.idx_audit_log_created_brin
CREATE INDEX idx_audit_log_created_brin ON ims.audit_log USING brin (created_at);

-- comment on index ims.idx_audit_log_created_brin
COMMENT ON INDEX ims.idx_audit_log_created_brin IS 'The log is append-only, so created_at follows the physical order';

-- create index ims.idx_audit_log_failures
CREATE INDEX idx_audit_log_failures ON ims.audit_log (created_at) WHERE NOT success;

-- comment on index ims.idx_audit_log_failures
COMMENT ON INDEX ims.idx_audit_log_failures IS 'Failed operations only';

-- add foreign key crawl_sessions_user_id_fkey on ims.crawl_sessions
ALTER TABLE ims.crawl_sessions ADD CONSTRAINT crawl_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users (user_id) ON DELETE CASCADE;

-- create index ims.idx_crawl_sessions_user_started
CREATE INDEX idx_crawl_sessions_user_started ON ims.crawl_sessions (user_id, started_at DESC);

-- create index ims.idx_crawl_sessions_status
CREATE INDEX idx_crawl_sessions_status ON ims.crawl_sessions (status);

-- create index ims.idx_crawl_sessions_active
CREATE INDEX idx_crawl_sessions_active ON ims.crawl_sessions (user_id, started_at) WHERE status IN ('pending', 'running');

-- comment on index ims.idx_crawl_sessions_active
COMMENT ON INDEX ims.idx_crawl_sessions_active IS 'Sessions still in progress';

-- create index ims.idx_crawl_sessions_product
CREATE INDEX idx_crawl_sessions_product ON ims.crawl_sessions (product);

-- create index ims.idx_crawl_sessions_uuid
CREATE INDEX idx_crawl_sessions_uuid ON ims.crawl_sessions (session_uuid);

-- comment on index ims.idx_crawl_sessions_uuid
COMMENT ON INDEX ims.idx_crawl_sessions_uuid IS 'Lookup by uuid alone (the unique constraint also holds started_at)';

-- create index ims.idx_crawl_sessions_parsed_query
CREATE INDEX idx_crawl_sessions_parsed_query ON ims.crawl_sessions USING gin (parsed_query jsonb_path_ops);

-- create index ims.idx_crawl_sessions_query_fts
CREATE INDEX idx_crawl_sessions_query_fts ON ims.crawl_sessions USING gin ((to_tsvector('english', coalesce(query_text, ''))));

-- add foreign key issue_comments_issue_pk_fkey on ims.issue_comments
ALTER TABLE ims.issue_comments ADD CONSTRAINT issue_comments_issue_pk_fkey FOREIGN KEY (issue_pk) REFERENCES ims.issues (issue_pk) ON DELETE CASCADE;

-- create index ims.idx_issue_comments_issue
CREATE INDEX idx_issue_comments_issue ON ims.issue_comments (issue_pk, commented_at);

-- create index ims.idx_issue_comments_author
CREATE INDEX idx_issue_comments_author ON ims.issue_comments (author);

-- create index ims.idx_issue_comments_content_fts
CREATE INDEX idx_issue_comments_content_fts ON ims.issue_comments USING gin ((to_tsvector('english', coalesce(content, ''))));

-- comment on index ims.idx_issue_comments_content_fts
COMMENT ON INDEX ims.idx_issue_comments_content_fts IS 'Full-text search on comment content';

-- add foreign key issue_history_issue_pk_fkey on ims.issue_history
ALTER TABLE ims.issue_history ADD CONSTRAINT issue_history_issue_pk_fkey FOREIGN KEY (issue_pk) REFERENCES ims.issues (issue_pk) ON DELETE CASCADE;

-- create index ims.idx_issue_history_issue
CREATE INDEX idx_issue_history_issue ON ims.issue_history (issue_pk, changed_at DESC);

-- create index ims.idx_issue_history_field
CREATE INDEX idx_issue_history_field ON ims.issue_history (field_name);

-- create index ims.idx_issue_history_changed_at
CREATE INDEX idx_issue_history_changed_at ON ims.issue_history (changed_at);

-- create index ims.idx_issues_product_status
CREATE INDEX idx_issues_product_status ON ims.issues (product, status);

-- create index ims.idx_issues_status
CREATE INDEX idx_issues_status ON ims.issues (status);

-- create index ims.idx_issues_priority
CREATE INDEX idx_issues_priority ON ims.issues (priority);

-- create index ims.idx_issues_assignee
CREATE INDEX idx_issues_assignee ON ims.issues (assignee);

-- create index ims.idx_issues_reported_at
CREATE INDEX idx_issues_reported_at ON ims.issues (reported_at DESC NULLS LAST);

-- create index ims.idx_issues_last_crawled
CREATE INDEX idx_issues_last_crawled ON ims.issues (last_crawled_at);

-- create index ims.idx_issues_title_fts
CREATE INDEX idx_issues_title_fts ON ims.issues USING gin ((to_tsvector('english', coalesce(title, ''))));

-- comment on index ims.idx_issues_title_fts
COMMENT ON INDEX ims.idx_issues_title_fts IS 'Full-text search on titles (search_issues)';

-- create index ims.idx_issues_description_fts
CREATE INDEX idx_issues_description_fts ON ims.issues USING gin ((to_tsvector('english', coalesce(description, ''))));

-- comment on index ims.idx_issues_description_fts
COMMENT ON INDEX ims.idx_issues_description_fts IS 'Full-text search on descriptions (search_issues)';

-- create index ims.idx_issues_title_trgm
CREATE INDEX idx_issues_title_trgm ON ims.issues USING gin (title gin_trgm_ops);

-- create index ims.idx_issues_custom_fields
CREATE INDEX idx_issues_custom_fields ON ims.issues USING gin (custom_fields jsonb_path_ops);

-- create index ims.idx_issues_labels
CREATE INDEX idx_issues_labels ON ims.issues USING gin (labels);

-- create index ims.idx_issues_open
CREATE INDEX idx_issues_open ON ims.issues (product, priority) WHERE resolved_at IS NULL;

-- comment on index ims.idx_issues_open
COMMENT ON INDEX ims.idx_issues_open IS 'Open issues only';

-- add foreign key search_queries_user_id_fkey on ims.search_queries
ALTER TABLE ims.search_queries ADD CONSTRAINT search_queries_user_id_fkey FOREIGN KEY (user_id) REFERENCES ims.users (user_id) ON DELETE CASCADE;

-- add foreign key search_queries_session_fkey on ims.search_queries
ALTER TABLE ims.search_queries ADD CONSTRAINT search_queries_session_fkey FOREIGN KEY (session_id, session_started_at) REFERENCES ims.crawl_sessions (session_id, started_at) ON DELETE SET NULL;

-- create index ims.idx_search_queries_user_created
CREATE INDEX idx_search_queries_user_created ON ims.search_queries (user_id, created_at DESC);

-- create index ims.idx_search_queries_session
CREATE INDEX idx_search_queries_session ON ims.search_queries (session_id, session_started_at);

-- create index ims.idx_search_queries_query_fts
CREATE INDEX idx_search_queries_query_fts ON ims.search_queries USING gin ((to_tsvector('english', coalesce(original_query, ''))));

-- comment on index ims.idx_search_queries_query_fts
COMMENT ON INDEX ims.idx_search_queries_query_fts IS 'Full-text search on query text';

-- create index ims.idx_search_queries_parsed
CREATE INDEX idx_search_queries_parsed ON ims.search_queries USING gin (parsed_query jsonb_path_ops);

-- create index ims.idx_search_queries_saved
CREATE INDEX idx_search_queries_saved ON ims.search_queries (user_id) WHERE is_saved;

-- comment on index ims.idx_search_queries_saved
COMMENT ON INDEX ims.idx_search_queries_saved IS 'Saved queries only';

-- add foreign key session_errors_session_fkey on ims.session_errors
ALTER TABLE ims.session_errors ADD CONSTRAINT session_errors_session_fkey FOREIGN KEY (session_id, session_started_at) REFERENCES ims.crawl_sessions (session_id, started_at) ON DELETE CASCADE;

-- create index ims.idx_session_errors_session
CREATE INDEX idx_session_errors_session ON ims.session_errors (session_id, session_started_at);

-- create index ims.idx_session_errors_severity_time
CREATE INDEX idx_session_errors_severity_time ON ims.session_errors (severity, occurred_at DESC);

-- create index ims.idx_session_errors_unresolved
CREATE INDEX idx_session_errors_unresolved ON ims.session_errors (occurred_at) WHERE NOT is_resolved;

-- comment on index ims.idx_session_errors_unresolved
COMMENT ON INDEX ims.idx_session_errors_unresolved IS 'Unresolved errors only';

-- create index ims.idx_session_errors_detail
CREATE INDEX idx_session_errors_detail ON ims.session_errors USING gin (error_detail);

-- add foreign key session_issues_issue_pk_fkey on ims.session_issues
ALTER TABLE ims.session_issues ADD CONSTRAINT session_issues_issue_pk_fkey FOREIGN KEY (issue_pk) REFERENCES ims.issues (issue_pk) ON DELETE CASCADE;

-- add foreign key session_issues_session_fkey on ims.session_issues
ALTER TABLE ims.session_issues ADD CONSTRAINT session_issues_session_fkey FOREIGN KEY (session_id, session_started_at) REFERENCES ims.crawl_sessions (session_id, started_at) ON DELETE CASCADE;

-- create index ims.idx_session_issues_session
CREATE INDEX idx_session_issues_session ON ims.session_issues (session_id, session_started_at);

-- create index ims.idx_session_issues_issue
CREATE INDEX idx_session_issues_issue ON ims.session_issues (issue_pk);

-- create index ims.idx_users_role
CREATE INDEX idx_users_role ON ims.users (role);

-- create index ims.idx_users_active
CREATE INDEX idx_users_active ON ims.users (username) WHERE is_active;

-- comment on index ims.idx_users_active
COMMENT ON INDEX ims.idx_users_active IS 'Active users only';

-- create index ims.idx_users_preferences
CREATE INDEX idx_users_preferences ON ims.users USING gin (preferences);

-- create index ims.idx_users_last_login
CREATE INDEX idx_users_last_login ON ims.users (last_login_at DESC NULLS LAST);

-- add foreign key application_categories_appid_fkey on steam.application_categories
ALTER TABLE steam.application_categories ADD CONSTRAINT application_categories_appid_fkey FOREIGN KEY (appid) REFERENCES steam.applications (appid) ON DELETE CASCADE;

-- add foreign key application_categories_category_id_fkey on steam.application_categories
ALTER TABLE steam.application_categories ADD CONSTRAINT application_categories_category_id_fkey FOREIGN KEY (category_id) REFERENCES steam.categories (category_id) ON DELETE CASCADE;

-- create index steam.idx_application_categories_category
CREATE INDEX idx_application_categories_category ON steam.application_categories (category_id);

-- add foreign key application_developers_appid_fkey on steam.application_developers
ALTER TABLE steam.application_developers ADD CONSTRAINT application_developers_appid_fkey FOREIGN KEY (appid) REFERENCES steam.applications (appid) ON DELETE CASCADE;

-- add foreign key application_developers_developer_id_fkey on steam.application_developers
ALTER TABLE steam.application_developers ADD CONSTRAINT application_developers_developer_id_fkey FOREIGN KEY (developer_id) REFERENCES steam.developers (developer_id) ON DELETE CASCADE;

-- create index steam.idx_application_developers_developer
CREATE INDEX idx_application_developers_developer ON steam.application_developers (developer_id);

-- add foreign key application_genres_appid_fkey on steam.application_genres
ALTER TABLE steam.application_genres ADD CONSTRAINT application_genres_appid_fkey FOREIGN KEY (appid) REFERENCES steam.applications (appid) ON DELETE CASCADE;

-- add foreign key application_genres_genre_id_fkey on steam.application_genres
ALTER TABLE steam.application_genres ADD CONSTRAINT application_genres_genre_id_fkey FOREIGN KEY (genre_id) REFERENCES steam.genres (genre_id) ON DELETE CASCADE;

-- create index steam.idx_application_genres_genre
CREATE INDEX idx_application_genres_genre ON steam.application_genres (genre_id);

-- add foreign key application_movies_appid_fkey on steam.application_movies
ALTER TABLE steam.application_movies ADD CONSTRAINT application_movies_appid_fkey FOREIGN KEY (appid) REFERENCES steam.applications (appid) ON DELETE CASCADE;

-- create index steam.idx_application_movies_appid
CREATE INDEX idx_application_movies_appid ON steam.application_movies (appid);

-- add foreign key application_publishers_appid_fkey on steam.application_publishers
ALTER TABLE steam.application_publishers ADD CONSTRAINT application_publishers_appid_fkey FOREIGN KEY (appid) REFERENCES steam.applications (appid) ON DELETE CASCADE;

-- add foreign key application_publishers_publisher_id_fkey on steam.application_publishers
ALTER TABLE steam.application_publishers ADD CONSTRAINT application_publishers_publisher_id_fkey FOREIGN KEY (publisher_id) REFERENCES steam.publishers (publisher_id) ON DELETE CASCADE;

-- create index steam.idx_application_publishers_publisher
CREATE INDEX idx_application_publishers_publisher ON steam.application_publishers (publisher_id);

-- add foreign key application_screenshots_appid_fkey on steam.application_screenshots
ALTER TABLE steam.application_screenshots ADD CONSTRAINT application_screenshots_appid_fkey FOREIGN KEY (appid) REFERENCES steam.applications (appid) ON DELETE CASCADE;

-- create index steam.idx_applications_description_embedding
CREATE INDEX idx_applications_description_embedding ON steam.applications USING hnsw (description_embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);

-- comment on index steam.idx_applications_description_embedding
COMMENT ON INDEX steam.idx_applications_description_embedding IS 'Approximate nearest-neighbour search over descriptions';

-- create index steam.idx_applications_type
CREATE INDEX idx_applications_type ON steam.applications (type);

-- create index steam.idx_applications_release_date
CREATE INDEX idx_applications_release_date ON steam.applications (release_date DESC NULLS LAST);

-- create index steam.idx_applications_name_trgm
CREATE INDEX idx_applications_name_trgm ON steam.applications USING gin (name gin_trgm_ops);

-- comment on index steam.idx_applications_name_trgm
COMMENT ON INDEX steam.idx_applications_name_trgm IS 'Fuzzy name search (ILIKE, similarity)';

-- create index steam.idx_applications_combined_text_fts
CREATE INDEX idx_applications_combined_text_fts ON steam.applications USING gin ((to_tsvector('english', combined_text)));

-- create index steam.idx_applications_price_overview
CREATE INDEX idx_applications_price_overview ON steam.applications USING gin (price_overview jsonb_path_ops);

-- create index steam.idx_applications_platforms
CREATE INDEX idx_applications_platforms ON steam.applications USING gin (platforms);

-- create index steam.idx_applications_free
CREATE INDEX idx_applications_free ON steam.applications (appid) WHERE is_free;

-- comment on index steam.idx_applications_free
COMMENT ON INDEX steam.idx_applications_free IS 'Free applications only';

-- create index steam.idx_applications_metacritic
CREATE INDEX idx_applications_metacritic ON steam.applications (metacritic_score DESC) WHERE metacritic_score IS NOT NULL;

-- add foreign key reviews_appid_fkey on steam.reviews
ALTER TABLE steam.reviews ADD CONSTRAINT reviews_appid_fkey FOREIGN KEY (appid) REFERENCES steam.applications (appid) ON DELETE CASCADE;

-- create index steam.idx_reviews_appid
CREATE INDEX idx_reviews_appid ON steam.reviews (appid);

-- create index steam.idx_reviews_review_embedding
CREATE INDEX idx_reviews_review_embedding ON steam.reviews USING hnsw (review_embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);

-- create index steam.idx_reviews_language
CREATE INDEX idx_reviews_language ON steam.reviews (language);

-- create index steam.idx_reviews_app_created
CREATE INDEX idx_reviews_app_created ON steam.reviews (appid, timestamp_created DESC) INCLUDE (voted_up);

-- create index steam.idx_reviews_review_fts
CREATE INDEX idx_reviews_review_fts ON steam.reviews USING gin ((to_tsvector('english', COALESCE(review, ''))));

-- add foreign key detailed_transactions_transaction_id_fkey on streaming.detailed_transactions
ALTER TABLE streaming.detailed_transactions ADD CONSTRAINT detailed_transactions_transaction_id_fkey FOREIGN KEY (transaction_id) REFERENCES streaming.transactions (transaction_id);

-- add foreign key detailed_transactions_user_id_fkey on streaming.detailed_transactions
ALTER TABLE streaming.detailed_transactions ADD CONSTRAINT detailed_transactions_user_id_fkey FOREIGN KEY (user_id) REFERENCES streaming.users (user_id);

-- create index streaming.idx_detailed_transactions_transaction_id
CREATE INDEX idx_detailed_transactions_transaction_id ON streaming.detailed_transactions (transaction_id);

-- create index streaming.idx_detailed_transactions_user_id
CREATE INDEX idx_detailed_transactions_user_id ON streaming.detailed_transactions (user_id);

-- create index streaming.idx_detailed_transactions_product_name
CREATE INDEX idx_detailed_transactions_product_name ON streaming.detailed_transactions (product_name);

-- add foreign key transactions_user_id_fkey on streaming.transactions
ALTER TABLE streaming.transactions ADD CONSTRAINT transactions_user_id_fkey FOREIGN KEY (user_id) REFERENCES streaming.users (user_id);

-- create index streaming.idx_transactions_user_id
CREATE INDEX idx_transactions_user_id ON streaming.transactions (user_id);

-- create index streaming.idx_transactions_transaction_date
CREATE INDEX idx_transactions_transaction_date ON streaming.transactions (transaction_date);

-- create index streaming.idx_transactions_status
CREATE INDEX idx_transactions_status ON streaming.transactions (status);

-- create index streaming.idx_streaming_users_email
CREATE INDEX idx_streaming_users_email ON streaming.users (email);

-- create index streaming.idx_streaming_users_registration_date
CREATE INDEX idx_streaming_users_registration_date ON streaming.users (registration_date);

-- enable row level security on ims.analytics_daily [hazard: authorization]
ALTER TABLE ims.analytics_daily ENABLE ROW LEVEL SECURITY;

-- force row level security on ims.analytics_daily [hazard: authorization]
ALTER TABLE ims.analytics_daily FORCE ROW LEVEL SECURITY;

-- create policy owner_all on ims.analytics_daily [hazard: authorization]
CREATE POLICY owner_all ON ims.analytics_daily FOR ALL TO app_owner
    USING (true)
    WITH CHECK (true);

-- create policy admin_all on ims.analytics_daily [hazard: authorization]
CREATE POLICY admin_all ON ims.analytics_daily FOR ALL TO ims_admin
    USING (true)
    WITH CHECK (true);

-- create policy readonly_select on ims.analytics_daily [hazard: authorization]
CREATE POLICY readonly_select ON ims.analytics_daily FOR SELECT TO ims_readonly
    USING (true);

-- create policy user_own_select on ims.analytics_daily [hazard: authorization]
CREATE POLICY user_own_select ON ims.analytics_daily FOR SELECT TO ims_user
    USING (user_id = NULLIF(current_setting('ims.current_user_id', true), '')::bigint);

-- enable row level security on ims.analytics_monthly [hazard: authorization]
ALTER TABLE ims.analytics_monthly ENABLE ROW LEVEL SECURITY;

-- force row level security on ims.analytics_monthly [hazard: authorization]
ALTER TABLE ims.analytics_monthly FORCE ROW LEVEL SECURITY;

-- create policy owner_all on ims.analytics_monthly [hazard: authorization]
CREATE POLICY owner_all ON ims.analytics_monthly FOR ALL TO app_owner
    USING (true)
    WITH CHECK (true);

-- create policy admin_all on ims.analytics_monthly [hazard: authorization]
CREATE POLICY admin_all ON ims.analytics_monthly FOR ALL TO ims_admin
    USING (true)
    WITH CHECK (true);

-- create policy readonly_select on ims.analytics_monthly [hazard: authorization]
CREATE POLICY readonly_select ON ims.analytics_monthly FOR SELECT TO ims_readonly
    USING (true);

-- create policy user_own_select on ims.analytics_monthly [hazard: authorization]
CREATE POLICY user_own_select ON ims.analytics_monthly FOR SELECT TO ims_user
    USING (user_id = NULLIF(current_setting('ims.current_user_id', true), '')::bigint);

-- enable row level security on ims.audit_log [hazard: authorization]
ALTER TABLE ims.audit_log ENABLE ROW LEVEL SECURITY;

-- force row level security on ims.audit_log [hazard: authorization]
ALTER TABLE ims.audit_log FORCE ROW LEVEL SECURITY;

-- create policy owner_all on ims.audit_log [hazard: authorization]
CREATE POLICY owner_all ON ims.audit_log FOR ALL TO app_owner
    USING (true)
    WITH CHECK (true);

-- create policy admin_all on ims.audit_log [hazard: authorization]
CREATE POLICY admin_all ON ims.audit_log FOR ALL TO ims_admin
    USING (true)
    WITH CHECK (true);

-- create policy readonly_select on ims.audit_log [hazard: authorization]
CREATE POLICY readonly_select ON ims.audit_log FOR SELECT TO ims_readonly
    USING (true);

-- create policy user_own_select on ims.audit_log [hazard: authorization]
CREATE POLICY user_own_select ON ims.audit_log FOR SELECT TO ims_user
    USING (user_id = NULLIF(current_setting('ims.current_user_id', true), '')::bigint);

-- create policy user_own_insert on ims.audit_log [hazard: authorization]
CREATE POLICY user_own_insert ON ims.audit_log FOR INSERT TO ims_user
    WITH CHECK (user_id = NULLIF(current_setting('ims.current_user_id', true), '')::bigint);

-- enable row level security on ims.crawl_sessions [hazard: authorization]
ALTER TABLE ims.crawl_sessions ENABLE ROW LEVEL SECURITY;

-- force row level security on ims.crawl_sessions [hazard: authorization]
ALTER TABLE ims.crawl_sessions FORCE ROW LEVEL SECURITY;

-- create policy owner_all on ims.crawl_sessions [hazard: authorization]
CREATE POLICY owner_all ON ims.crawl_sessions FOR ALL TO app_owner
    USING (true)
    WITH CHECK (true);

-- create policy admin_all on ims.crawl_sessions [hazard: authorization]
CREATE POLICY admin_all ON ims.crawl_sessions FOR ALL TO ims_admin
    USING (true)
    WITH CHECK (true);

-- create policy readonly_select on ims.crawl_sessions [hazard: authorization]
CREATE POLICY readonly_select ON ims.crawl_sessions FOR SELECT TO ims_readonly
    USING (true);

-- create policy user_own on ims.crawl_sessions [hazard: authorization]
CREATE POLICY user_own ON ims.crawl_sessions FOR ALL TO ims_user
    USING (user_id = NULLIF(current_setting('ims.current_user_id', true), '')::bigint)
    WITH CHECK (user_id = NULLIF(current_setting('ims.current_user_id', true), '')::bigint);

-- create trigger trg_issue_comments_updated_at on ims.issue_comments
CREATE TRIGGER trg_issue_comments_updated_at BEFORE UPDATE ON ims.issue_comments
FOR EACH ROW
EXECUTE FUNCTION ims.update_updated_at();

-- create trigger trg_issues_updated_at on ims.issues
CREATE TRIGGER trg_issues_updated_at BEFORE UPDATE ON ims.issues
FOR EACH ROW
EXECUTE FUNCTION ims.update_updated_at();

-- enable row level security on ims.search_queries [hazard: authorization]
ALTER TABLE ims.search_queries ENABLE ROW LEVEL SECURITY;

-- force row level security on ims.search_queries [hazard: authorization]
ALTER TABLE ims.search_queries FORCE ROW LEVEL SECURITY;

-- create policy owner_all on ims.search_queries [hazard: authorization]
CREATE POLICY owner_all ON ims.search_queries FOR ALL TO app_owner
    USING (true)
    WITH CHECK (true);

-- create policy admin_all on ims.search_queries [hazard: authorization]
CREATE POLICY admin_all ON ims.search_queries FOR ALL TO ims_admin
    USING (true)
    WITH CHECK (true);

-- create policy readonly_select on ims.search_queries [hazard: authorization]
CREATE POLICY readonly_select ON ims.search_queries FOR SELECT TO ims_readonly
    USING (true);

-- create policy user_own on ims.search_queries [hazard: authorization]
CREATE POLICY user_own ON ims.search_queries FOR ALL TO ims_user
    USING (user_id = NULLIF(current_setting('ims.current_user_id', true), '')::bigint)
    WITH CHECK (user_id = NULLIF(current_setting('ims.current_user_id', true), '')::bigint);

-- enable row level security on ims.session_errors [hazard: authorization]
ALTER TABLE ims.session_errors ENABLE ROW LEVEL SECURITY;

-- create policy admin_all on ims.session_errors [hazard: authorization]
CREATE POLICY admin_all ON ims.session_errors FOR ALL TO ims_admin
    USING (true)
    WITH CHECK (true);

-- create policy readonly_select on ims.session_errors [hazard: authorization]
CREATE POLICY readonly_select ON ims.session_errors FOR SELECT TO ims_readonly
    USING (true);

-- create policy user_own_sessions on ims.session_errors [hazard: authorization]
CREATE POLICY user_own_sessions ON ims.session_errors FOR ALL TO ims_user
    USING (EXISTS (SELECT 1 FROM ims.crawl_sessions s WHERE s.session_id = session_errors.session_id AND s.started_at = session_errors.session_started_at))
    WITH CHECK (EXISTS (SELECT 1 FROM ims.crawl_sessions s WHERE s.session_id = session_errors.session_id AND s.started_at = session_errors.session_started_at));

-- enable row level security on ims.session_issues [hazard: authorization]
ALTER TABLE ims.session_issues ENABLE ROW LEVEL SECURITY;

-- create policy admin_all on ims.session_issues [hazard: authorization]
CREATE POLICY admin_all ON ims.session_issues FOR ALL TO ims_admin
    USING (true)
    WITH CHECK (true);

-- create policy readonly_select on ims.session_issues [hazard: authorization]
CREATE POLICY readonly_select ON ims.session_issues FOR SELECT TO ims_readonly
    USING (true);

-- create policy user_own_sessions on ims.session_issues [hazard: authorization]
CREATE POLICY user_own_sessions ON ims.session_issues FOR ALL TO ims_user
    USING (EXISTS (SELECT 1 FROM ims.crawl_sessions s WHERE s.session_id = session_issues.session_id AND s.started_at = session_issues.session_started_at))
    WITH CHECK (EXISTS (SELECT 1 FROM ims.crawl_sessions s WHERE s.session_id = session_issues.session_id AND s.started_at = session_issues.session_started_at));

-- create trigger trg_users_updated_at on ims.users
CREATE TRIGGER trg_users_updated_at BEFORE UPDATE ON ims.users
FOR EACH ROW
EXECUTE FUNCTION ims.update_updated_at();

-- enable row level security on ims.users [hazard: authorization]
ALTER TABLE ims.users ENABLE ROW LEVEL SECURITY;

-- force row level security on ims.users [hazard: authorization]
ALTER TABLE ims.users FORCE ROW LEVEL SECURITY;

-- create policy owner_all on ims.users [hazard: authorization]
CREATE POLICY owner_all ON ims.users FOR ALL TO app_owner
    USING (true)
    WITH CHECK (true);

-- create policy admin_all on ims.users [hazard: authorization]
CREATE POLICY admin_all ON ims.users FOR ALL TO ims_admin
    USING (true)
    WITH CHECK (true);

-- create policy readonly_select on ims.users [hazard: authorization]
CREATE POLICY readonly_select ON ims.users FOR SELECT TO ims_readonly
    USING (true);

-- create policy user_own on ims.users [hazard: authorization]
CREATE POLICY user_own ON ims.users FOR ALL TO ims_user
    USING (user_id = NULLIF(current_setting('ims.current_user_id', true), '')::bigint)
    WITH CHECK (user_id = NULLIF(current_setting('ims.current_user_id', true), '')::bigint);

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create materialized view ims.mv_issue_trends
CREATE MATERIALIZED VIEW ims.mv_issue_trends AS
SELECT date_trunc('week', COALESCE(i.reported_at, i.first_crawled_at))::date AS week_start,
       COALESCE(i.product, '(none)') AS product,
       count(*) AS new_issues,
       count(*) FILTER (WHERE i.resolved_at IS NOT NULL) AS resolved_issues,
       count(*) FILTER (WHERE i.priority IN ('critical', 'high')) AS high_priority_issues,
       count(DISTINCT i.assignee) AS assignees
FROM ims.issues i
GROUP BY 1, 2
WITH DATA;

-- materialized view ims.mv_issue_trends: comment on materialized view
COMMENT ON MATERIALIZED VIEW ims.mv_issue_trends IS 'Weekly issue trends per product; refreshed by ims.refresh_materialized_views()';

-- materialized view ims.mv_issue_trends: grant select on table
GRANT SELECT ON TABLE ims.mv_issue_trends TO ims_admin;

-- materialized view ims.mv_issue_trends: grant select on table
GRANT SELECT ON TABLE ims.mv_issue_trends TO ims_user;

-- materialized view ims.mv_issue_trends: grant select on table
GRANT SELECT ON TABLE ims.mv_issue_trends TO ims_readonly;

-- create index ims.mv_issue_trends_week_product_key
CREATE UNIQUE INDEX mv_issue_trends_week_product_key ON ims.mv_issue_trends (week_start, product);

-- index ims.mv_issue_trends_week_product_key: comment on index ims.mv_issue_trends_week_product_key
COMMENT ON INDEX ims.mv_issue_trends_week_product_key IS 'Allows REFRESH MATERIALIZED VIEW CONCURRENTLY';

-- create index ims.mv_issue_trends_product_idx
CREATE INDEX mv_issue_trends_product_idx ON ims.mv_issue_trends (product);

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create materialized view ims.mv_product_statistics
CREATE MATERIALIZED VIEW ims.mv_product_statistics AS
WITH per_issue AS (
    SELECT i.issue_pk,
           COALESCE(i.product, '(none)') AS product,
           i.priority,
           i.reported_at,
           i.resolved_at,
           (SELECT count(*) FROM ims.issue_comments c WHERE c.issue_pk = i.issue_pk) AS comments,
           (SELECT count(*) FROM ims.attachments a WHERE a.issue_pk = i.issue_pk) AS attachments,
           (SELECT count(*) FROM ims.session_issues si WHERE si.issue_pk = i.issue_pk) AS session_hits
    FROM ims.issues i
)
SELECT product,
       count(*) AS total_issues,
       count(*) FILTER (WHERE resolved_at IS NULL) AS open_issues,
       count(*) FILTER (WHERE priority IN ('critical', 'high')) AS high_priority_issues,
       sum(comments) AS total_comments,
       sum(attachments) AS total_attachments,
       sum(session_hits) AS total_session_hits,
       round(avg(comments), 2) AS avg_comments_per_issue,
       round(avg(EXTRACT(EPOCH FROM (resolved_at - reported_at)) / 86400), 2) AS avg_resolution_days,
       max(reported_at) AS last_reported_at
FROM per_issue
GROUP BY product
WITH DATA;

-- materialized view ims.mv_product_statistics: comment on materialized view
COMMENT ON MATERIALIZED VIEW ims.mv_product_statistics IS 'Per-product issue, comment, attachment and session statistics; refreshed by ims.refresh_materialized_views()';

-- materialized view ims.mv_product_statistics: grant select on table
GRANT SELECT ON TABLE ims.mv_product_statistics TO ims_admin;

-- materialized view ims.mv_product_statistics: grant select on table
GRANT SELECT ON TABLE ims.mv_product_statistics TO ims_user;

-- materialized view ims.mv_product_statistics: grant select on table
GRANT SELECT ON TABLE ims.mv_product_statistics TO ims_readonly;

-- create index ims.mv_product_statistics_product_key
CREATE UNIQUE INDEX mv_product_statistics_product_key ON ims.mv_product_statistics (product);

-- index ims.mv_product_statistics_product_key: comment on index ims.mv_product_statistics_product_key
COMMENT ON INDEX ims.mv_product_statistics_product_key IS 'Allows REFRESH MATERIALIZED VIEW CONCURRENTLY';

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create view ims.v_issue_search
CREATE VIEW ims.v_issue_search WITH (security_invoker = true) AS
SELECT i.issue_pk,
       i.issue_id,
       i.title,
       i.product,
       i.module,
       i.status,
       i.priority,
       i.severity,
       i.assignee,
       i.reported_at,
       i.resolved_at,
       i.labels,
       left(i.description, 500) AS description_excerpt,
       (SELECT count(*) FROM ims.issue_comments c WHERE c.issue_pk = i.issue_pk) AS comment_count,
       (SELECT max(c.commented_at) FROM ims.issue_comments c WHERE c.issue_pk = i.issue_pk) AS last_comment_at,
       (SELECT count(*) FROM ims.attachments a WHERE a.issue_pk = i.issue_pk) AS attachment_count,
       setweight(to_tsvector('english', coalesce(i.title, '')), 'A')
         || setweight(to_tsvector('english', coalesce(i.description, '')), 'B') AS search_vector
FROM ims.issues i;

-- view ims.v_issue_search: comment on view ims.v_issue_search
COMMENT ON VIEW ims.v_issue_search IS 'Issues with comment and attachment counts and a weighted search vector (title A, description B)';

-- view ims.v_issue_search: grant select on table
GRANT SELECT ON TABLE ims.v_issue_search TO ims_admin;

-- view ims.v_issue_search: grant select on table
GRANT SELECT ON TABLE ims.v_issue_search TO ims_user;

-- view ims.v_issue_search: grant select on table
GRANT SELECT ON TABLE ims.v_issue_search TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create view ims.v_product_stats
CREATE VIEW ims.v_product_stats WITH (security_invoker = true) AS
SELECT COALESCE(i.product, '(none)') AS product,
       count(*) AS total_issues,
       count(*) FILTER (WHERE i.resolved_at IS NULL) AS open_issues,
       count(*) FILTER (WHERE i.resolved_at IS NOT NULL) AS resolved_issues,
       count(*) FILTER (WHERE i.priority IN ('critical', 'high')) AS high_priority_issues,
       round(avg(EXTRACT(EPOCH FROM (i.resolved_at - i.reported_at)) / 86400), 2) AS avg_resolution_days,
       min(i.reported_at) AS first_reported_at,
       max(i.reported_at) AS last_reported_at,
       max(i.last_crawled_at) AS last_crawled_at
FROM ims.issues i
GROUP BY COALESCE(i.product, '(none)');

-- view ims.v_product_stats: comment on view ims.v_product_stats
COMMENT ON VIEW ims.v_product_stats IS 'Issue counts and resolution times per product, computed live';

-- view ims.v_product_stats: grant select on table
GRANT SELECT ON TABLE ims.v_product_stats TO ims_admin;

-- view ims.v_product_stats: grant select on table
GRANT SELECT ON TABLE ims.v_product_stats TO ims_user;

-- view ims.v_product_stats: grant select on table
GRANT SELECT ON TABLE ims.v_product_stats TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create view ims.v_session_detail
CREATE VIEW ims.v_session_detail WITH (security_invoker = true) AS
SELECT s.session_id,
       s.session_uuid,
       s.started_at,
       s.completed_at,
       s.status,
       s.user_id,
       u.username,
       s.product,
       s.query_text,
       s.search_strategy,
       s.duration_seconds,
       s.total_issues_found,
       s.issues_crawled,
       s.issues_failed,
       s.attachments_downloaded,
       (SELECT count(*)
          FROM ims.session_issues si
         WHERE si.session_id = s.session_id
           AND si.session_started_at = s.started_at) AS linked_issues,
       (SELECT count(*)
          FROM ims.session_errors e
         WHERE e.session_id = s.session_id
           AND e.session_started_at = s.started_at) AS logged_errors
FROM ims.crawl_sessions s
JOIN ims.users u ON u.user_id = s.user_id;

-- view ims.v_session_detail: comment on view ims.v_session_detail
COMMENT ON VIEW ims.v_session_detail IS 'Crawl sessions with their user and the issues and errors logged for them; RLS of the caller applies';

-- view ims.v_session_detail: grant select on table
GRANT SELECT ON TABLE ims.v_session_detail TO ims_admin;

-- view ims.v_session_detail: grant select on table
GRANT SELECT ON TABLE ims.v_session_detail TO ims_user;

-- view ims.v_session_detail: grant select on table
GRANT SELECT ON TABLE ims.v_session_detail TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create view ims.v_recent_errors
CREATE VIEW ims.v_recent_errors WITH (security_invoker = true) AS
SELECT e.error_id,
       e.occurred_at,
       e.severity,
       e.error_type,
       e.error_message,
       e.issue_id,
       e.retry_count,
       e.is_resolved,
       sd.session_id,
       sd.session_uuid,
       sd.user_id,
       sd.username,
       sd.product,
       sd.status AS session_status
FROM ims.session_errors e
JOIN ims.v_session_detail sd
  ON sd.session_id = e.session_id
 AND sd.started_at = e.session_started_at
WHERE e.occurred_at >= now() - interval '7 days';

-- view ims.v_recent_errors: comment on view ims.v_recent_errors
COMMENT ON VIEW ims.v_recent_errors IS 'Session errors of the last 7 days with their session (built on v_session_detail)';

-- view ims.v_recent_errors: grant select on table
GRANT SELECT ON TABLE ims.v_recent_errors TO ims_admin;

-- view ims.v_recent_errors: grant select on table
GRANT SELECT ON TABLE ims.v_recent_errors TO ims_user;

-- view ims.v_recent_errors: grant select on table
GRANT SELECT ON TABLE ims.v_recent_errors TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO ims, public;

-- create view ims.v_user_dashboard
CREATE VIEW ims.v_user_dashboard WITH (security_invoker = true) AS
SELECT u.user_id,
       u.username,
       u.display_name,
       u.role,
       u.is_active,
       u.last_login_at,
       count(sd.session_id) AS total_sessions,
       count(sd.session_id) FILTER (WHERE sd.status = 'completed') AS completed_sessions,
       count(sd.session_id) FILTER (WHERE sd.status = 'failed') AS failed_sessions,
       COALESCE(sum(sd.total_issues_found), 0) AS total_issues_found,
       COALESCE(sum(sd.logged_errors), 0) AS total_errors,
       round(avg(sd.duration_seconds), 2) AS avg_duration_seconds,
       max(sd.started_at) AS last_session_at,
       (SELECT count(*) FROM ims.search_queries q WHERE q.user_id = u.user_id) AS total_queries
FROM ims.users u
LEFT JOIN ims.v_session_detail sd ON sd.user_id = u.user_id
GROUP BY u.user_id;

-- view ims.v_user_dashboard: comment on view ims.v_user_dashboard
COMMENT ON VIEW ims.v_user_dashboard IS 'One row per user with session, issue, error and query totals (built on v_session_detail)';

-- view ims.v_user_dashboard: grant select on table
GRANT SELECT ON TABLE ims.v_user_dashboard TO ims_admin;

-- view ims.v_user_dashboard: grant select on table
GRANT SELECT ON TABLE ims.v_user_dashboard TO ims_user;

-- view ims.v_user_dashboard: grant select on table
GRANT SELECT ON TABLE ims.v_user_dashboard TO ims_readonly;

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create materialized view steam.developer_analytics
CREATE MATERIALIZED VIEW steam.developer_analytics AS
WITH review_stats AS (
    SELECT r.appid,
           count(*) AS review_count,
           count(*) FILTER (WHERE r.voted_up) AS positive_count
    FROM steam.reviews r
    GROUP BY r.appid
)
SELECT d.developer_id,
       d.name AS developer_name,
       count(DISTINCT a.appid) AS total_apps,
       count(DISTINCT a.appid) FILTER (WHERE a.type = 'game') AS total_games,
       count(DISTINCT a.appid) FILTER (WHERE a.is_free) AS free_apps,
       round(avg(a.metacritic_score), 2) AS avg_metacritic_score,
       round(avg((a.price_overview ->> 'final')::numeric / 100), 2) AS avg_price,
       COALESCE(sum(a.recommendations_total), 0) AS total_recommendations,
       COALESCE(sum(rs.review_count), 0) AS total_reviews,
       round(sum(rs.positive_count)::numeric / NULLIF(sum(rs.review_count), 0), 4) AS positive_ratio,
       min(a.release_date) AS first_release,
       max(a.release_date) AS latest_release
FROM steam.developers d
JOIN steam.application_developers ad ON ad.developer_id = d.developer_id
JOIN steam.applications a ON a.appid = ad.appid
LEFT JOIN review_stats rs ON rs.appid = a.appid
GROUP BY d.developer_id, d.name
WITH DATA;

-- materialized view steam.developer_analytics: comment on materialized view
COMMENT ON MATERIALIZED VIEW steam.developer_analytics IS 'Per-developer catalogue and review statistics; refreshed after each import';

-- create index steam.developer_analytics_developer_id_key
CREATE UNIQUE INDEX developer_analytics_developer_id_key ON steam.developer_analytics (developer_id);

-- index steam.developer_analytics_developer_id_key: comment on index steam.developer_analytics_developer_id_key
COMMENT ON INDEX steam.developer_analytics_developer_id_key IS 'Allows REFRESH MATERIALIZED VIEW CONCURRENTLY';

-- create index steam.developer_analytics_total_apps_idx
CREATE INDEX developer_analytics_total_apps_idx ON steam.developer_analytics (total_apps DESC);

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create materialized view steam.genre_analytics
CREATE MATERIALIZED VIEW steam.genre_analytics AS
WITH review_stats AS (
    SELECT r.appid,
           count(*) AS review_count,
           count(*) FILTER (WHERE r.voted_up) AS positive_count
    FROM steam.reviews r
    GROUP BY r.appid
)
SELECT g.genre_id,
       g.name AS genre_name,
       count(DISTINCT a.appid) AS total_apps,
       count(DISTINCT a.appid) FILTER (WHERE a.is_free) AS free_apps,
       round(avg((a.price_overview ->> 'final')::numeric / 100), 2) AS avg_price,
       round(avg(a.metacritic_score), 2) AS avg_metacritic_score,
       COALESCE(sum(a.recommendations_total), 0) AS total_recommendations,
       COALESCE(sum(rs.review_count), 0) AS total_reviews,
       round(sum(rs.positive_count)::numeric / NULLIF(sum(rs.review_count), 0), 4) AS positive_ratio
FROM steam.genres g
JOIN steam.application_genres ag ON ag.genre_id = g.genre_id
JOIN steam.applications a ON a.appid = ag.appid
LEFT JOIN review_stats rs ON rs.appid = a.appid
GROUP BY g.genre_id, g.name
WITH DATA;

-- materialized view steam.genre_analytics: comment on materialized view
COMMENT ON MATERIALIZED VIEW steam.genre_analytics IS 'Per-genre price, quality and review statistics; refreshed after each import';

-- create index steam.genre_analytics_genre_id_key
CREATE UNIQUE INDEX genre_analytics_genre_id_key ON steam.genre_analytics (genre_id);

-- index steam.genre_analytics_genre_id_key: comment on index steam.genre_analytics_genre_id_key
COMMENT ON INDEX steam.genre_analytics_genre_id_key IS 'Allows REFRESH MATERIALIZED VIEW CONCURRENTLY';

-- session: set local search_path to
SET LOCAL search_path TO steam, public;

-- create materialized view steam.publisher_analytics
CREATE MATERIALIZED VIEW steam.publisher_analytics AS
WITH review_stats AS (
    SELECT r.appid,
           count(*) AS review_count,
           count(*) FILTER (WHERE r.voted_up) AS positive_count
    FROM steam.reviews r
    GROUP BY r.appid
)
SELECT p.publisher_id,
       p.name AS publisher_name,
       count(DISTINCT a.appid) AS total_apps,
       count(DISTINCT a.appid) FILTER (WHERE a.type = 'game') AS total_games,
       count(DISTINCT a.appid) FILTER (WHERE a.is_free) AS free_apps,
       round(avg(a.metacritic_score), 2) AS avg_metacritic_score,
       round(avg((a.price_overview ->> 'final')::numeric / 100), 2) AS avg_price,
       COALESCE(sum(a.recommendations_total), 0) AS total_recommendations,
       COALESCE(sum(rs.review_count), 0) AS total_reviews,
       round(sum(rs.positive_count)::numeric / NULLIF(sum(rs.review_count), 0), 4) AS positive_ratio,
       min(a.release_date) AS first_release,
       max(a.release_date) AS latest_release
FROM steam.publishers p
JOIN steam.application_publishers ap ON ap.publisher_id = p.publisher_id
JOIN steam.applications a ON a.appid = ap.appid
LEFT JOIN review_stats rs ON rs.appid = a.appid
GROUP BY p.publisher_id, p.name
WITH DATA;

-- materialized view steam.publisher_analytics: comment on materialized view
COMMENT ON MATERIALIZED VIEW steam.publisher_analytics IS 'Per-publisher catalogue and review statistics; refreshed after each import';

-- create index steam.publisher_analytics_publisher_id_key
CREATE UNIQUE INDEX publisher_analytics_publisher_id_key ON steam.publisher_analytics (publisher_id);

-- index steam.publisher_analytics_publisher_id_key: comment on index steam.publisher_analytics_publisher_id_key
COMMENT ON INDEX steam.publisher_analytics_publisher_id_key IS 'Allows REFRESH MATERIALIZED VIEW CONCURRENTLY';

-- create index steam.publisher_analytics_total_apps_idx
CREATE INDEX publisher_analytics_total_apps_idx ON steam.publisher_analytics (total_apps DESC);

-- default privileges in schema ims for ims_readonly [hazard: authorization]
ALTER DEFAULT PRIVILEGES IN SCHEMA ims GRANT SELECT ON TABLES TO ims_readonly;

-- default privileges in schema ims for ims_admin [hazard: authorization]
ALTER DEFAULT PRIVILEGES IN SCHEMA ims GRANT USAGE, SELECT ON SEQUENCES TO ims_admin;

-- default privileges in schema ims for ims_user [hazard: authorization]
ALTER DEFAULT PRIVILEGES IN SCHEMA ims GRANT USAGE, SELECT ON SEQUENCES TO ims_user;

RESET ROLE;
