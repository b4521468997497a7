SET lock_timeout = '5s';

-- Experiment buckets, assigned once per existing row.
ALTER TABLE experiments."Assignments"
    ADD COLUMN bucket integer DEFAULT (floor(random() * 100))::integer;
