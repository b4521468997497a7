-- Citus tables of the requested schemas ($1): partmethod 'h' is hash-distributed (its
-- column named by column_to_column_name), 'n' with replication model 't' a reference
-- table; other 'n' tables are single-shard (a distributed schema's) or Citus-managed
-- local tables. The colocation group and its shard count come from pg_dist_colocation.
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       p.partmethod::text AS method,
       p.repmodel::text AS replication,
       CASE WHEN p.partmethod = 'h'
            THEN column_to_column_name(p.logicalrelid, p.partkey)::text END AS distribution_column,
       p.colocationid::bigint AS colocation,
       g.shardcount::bigint AS shard_count
FROM pg_dist_partition p
JOIN pg_class c ON c.oid = p.logicalrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_dist_colocation g ON g.colocationid = p.colocationid
WHERE n.nspname = ANY($1)
ORDER BY 1, 2
