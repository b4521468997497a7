#!/usr/bin/env bash
# Semantic search on the whole Steam sample (8,711 apps, seed 000's size): provision the
# model into a database of the project-local server, import the generated sample, embed
# every application's combined_text with all-MiniLM-L6-v2 (scripts/embed.py), then ask
# the HNSW index for each of QUERIES apps' 10 nearest neighbours and report how often a
# neighbour shares a genre with the query, against two random apps.
#
#   scripts/steam-semantic-search.sh            (QUERIES=500 APPS=8711 by default)
#
# The suite's examples/steam/tests/semantic.rs does the same on 300 apps.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

apps="${APPS:-8711}"
queries="${QUERIES:-500}"
db="${DATABASE:-steam_semantic_full}"
work=target/steam-semantic
mkdir -p "$work"

scripts/install-python-deps.sh >/dev/null
test -f .env || cp .env.example .env
cargo build -q -p schemactl -p steam-example
schemactl=target/debug/schemactl
steam_import=target/debug/steam-import
admin_url="$($schemactl local start 2>/dev/null | tail -n 1)"
url="$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p._replace(path="/" + sys.argv[2]).geturl())' "$admin_url" "$db")"
psql=(target/postgres/pg18/bin/psql -X -q -v ON_ERROR_STOP=1 -d "$url")

start=$(date +%s)
$schemactl provision "$db" --recreate --yes >/dev/null
$steam_import generate --apps "$apps" -o "$work/sample.json" >/dev/null
$steam_import import "$work/sample.json" --database-url "$url" >/dev/null
echo "provisioned and imported $apps apps in $(($(date +%s) - start)) s"

start=$(date +%s)
"${psql[@]}" -At -c "COPY (SELECT json_build_object('id', appid, 'text', combined_text) FROM steam.applications) TO STDOUT" >"$work/texts.jsonl"
PYTHONPATH=target/python HF_HUB_OFFLINE=1 python3 scripts/embed.py <"$work/texts.jsonl" >"$work/vectors.tsv"
echo "embedded $(wc -l <"$work/vectors.tsv") texts in $(($(date +%s) - start)) s"

"${psql[@]}" <<SQL
BEGIN;
CREATE TEMP TABLE vectors (appid bigint PRIMARY KEY, v vector(384));
\copy vectors FROM '$work/vectors.tsv'
UPDATE steam.applications a SET description_embedding = v.v FROM vectors v WHERE a.appid = v.appid;
COMMIT;
ANALYZE steam.applications;
\timing on
-- The index, not a sort of the table: EXPLAIN of one query.
EXPLAIN (COSTS OFF) SELECT appid FROM steam.applications
 ORDER BY description_embedding <=> (SELECT description_embedding FROM steam.applications LIMIT 1) LIMIT 10;
WITH q AS (
    SELECT appid, description_embedding AS e FROM steam.applications ORDER BY md5(appid::text) LIMIT $queries
), n AS (
    SELECT q.appid AS query, nb.appid AS neighbour
      FROM q CROSS JOIN LATERAL (
           SELECT a.appid FROM steam.applications a WHERE a.appid <> q.appid
            ORDER BY a.description_embedding <=> q.e LIMIT 10) nb
), pairs AS (
    SELECT a.appid AS query, b.appid AS neighbour
      FROM (SELECT appid FROM steam.applications ORDER BY md5(appid::text) LIMIT 300) a
      JOIN (SELECT appid FROM steam.applications ORDER BY md5('x' || appid) LIMIT 300) b ON a.appid <> b.appid
), shares AS (
    SELECT 'hnsw neighbours' AS pairs, query, neighbour FROM n
    UNION ALL SELECT 'random pairs', query, neighbour FROM pairs
)
SELECT pairs, count(*) AS compared,
       round(avg((EXISTS (SELECT 1 FROM steam.application_genres g1
                            JOIN steam.application_genres g2 USING (genre_id)
                           WHERE g1.appid = s.query AND g2.appid = s.neighbour))::int), 3) AS share_a_genre
  FROM shares s GROUP BY pairs ORDER BY pairs;
SQL
