SET lock_timeout = '5s';

-- IF NOT EXISTS: the table may be the live one, so the index below is not on a new table.
CREATE TABLE IF NOT EXISTS ims.search_queries (
    query_id bigint PRIMARY KEY,
    user_id bigint,
    query text NOT NULL
);
CREATE INDEX search_queries_user_idx ON ims.search_queries (user_id);
