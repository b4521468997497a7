SET lock_timeout = '5s';

ALTER TABLE steam.applications
    ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('english', coalesce(name, '') || ' ' || coalesce(short_description, ''))) STORED;
