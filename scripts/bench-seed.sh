#!/usr/bin/env bash
# Seeding and loading benchmarks (issue 7), each against a peer measured in the same run:
#   1. the Steam sample import (8,711 apps + 36,265 reviews; examples/steam's steam-import)
#      vs seed 000's ~12 s;
#   2. `schemactl load` of a narrow CSV vs `psql \copy` of the same file into the same table;
#   3. 1,000,000 synthetic streaming.detailed_transactions rows vs the same rows generated
#      by the server itself (INSERT … SELECT generate_series).
# Runs against the project-local PostgreSQL 18 in a scratch database that it drops at the end.
#
# Usage: scripts/bench-seed.sh [NARROW_ROWS (default 1000000)] [FAKE_ROWS (default 1000000)]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NARROW_ROWS=${1:-1000000}
FAKE_ROWS=${2:-1000000}
DB=bench_seed_$$
WORK=target/bench-seed
mkdir -p "$WORK"

# Role passwords for provisioning; any value works for a scratch database.
export APP_OWNER_PASSWORD=${APP_OWNER_PASSWORD:-bench-owner-pw}
export IMS_ADMIN_PASSWORD=${IMS_ADMIN_PASSWORD:-bench-admin-pw}
export IMS_USER_PASSWORD=${IMS_USER_PASSWORD:-bench-user-pw}
export IMS_READONLY_PASSWORD=${IMS_READONLY_PASSWORD:-bench-readonly-pw}

cargo build --release -p schemactl -p steam-example --quiet
BIN=target/release/schemactl
STEAM_IMPORT=target/release/steam-import
PSQL=target/postgres/pg18/bin/psql
ADMIN_URL=$($BIN local start | tail -n 1)
export SCHEMACTL_ADMIN_URL=$ADMIN_URL
URL=${ADMIN_URL%/*}/$DB
export SCHEMACTL_LOG=warn

cleanup() { "$PSQL" -q -X "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
sql() { "$PSQL" -X -q -t -A "$URL" -c "SET client_min_messages = warning" -c "$1"; }
# The best of three runs: the first one pays for cold caches.
best() { printf '%s\n' "$@" | sort -g | head -n 1; }

$BIN provision "$DB" >/dev/null 2>&1
# Other builds share this machine: record the load the figures were taken under.
LOAD_START=$(uptime | sed 's/.*load average: //')
echo "load average at start: $LOAD_START"

echo "== 1. Steam sample: generate and two-pass import"
SAMPLE=$WORK/steam_sample.json
$STEAM_IMPORT generate -o "$SAMPLE" >/dev/null
IMPORT=()
for run in 1 2 3; do
    sql "TRUNCATE steam.applications, steam.developers, steam.publishers, steam.genres, steam.categories CASCADE"
    t0=$(now); $STEAM_IMPORT import "$SAMPLE" --database-url "$URL" > "$WORK/import.txt"; t1=$(now)
    IMPORT+=("$(secs "$t0" "$t1")")
done
STEAM=$(best "${IMPORT[@]}")
STEAM_ROWS=$(sql "SELECT (SELECT count(*) FROM steam.applications) + (SELECT count(*) FROM steam.reviews)
                 + (SELECT count(*) FROM steam.application_developers) + (SELECT count(*) FROM steam.application_publishers)
                 + (SELECT count(*) FROM steam.application_genres) + (SELECT count(*) FROM steam.application_categories)")
cat "$WORK/import.txt"
echo "steam import: ${STEAM}s (runs: ${IMPORT[*]}), $STEAM_ROWS rows incl. junctions, $(rate "$STEAM_ROWS" "$STEAM") rows/s"
echo "  vs seed 000's 12 s: $(ratio 12 "$STEAM")x faster"

echo "== 2. Narrow-table COPY: schemactl load vs psql \\copy ($NARROW_ROWS rows of streaming.users)"
CSV=$WORK/users.csv
$BIN seed --database-url "$URL" --fake "streaming.users=$NARROW_ROWS" --rng-seed 1 >/dev/null
sql "\\copy (SELECT user_id, name, email, age, city, registration_date FROM streaming.users) TO '$CSV' CSV HEADER"
PSQL_T=(); OURS_T=()
for run in 1 2 3; do
    sql "TRUNCATE streaming.users CASCADE"
    t0=$(now); sql "\\copy streaming.users (user_id, name, email, age, city, registration_date) FROM '$CSV' CSV HEADER"; t1=$(now)
    PSQL_T+=("$(secs "$t0" "$t1")")
    sql "TRUNCATE streaming.users CASCADE"
    t0=$(now); $BIN load "streaming.users=$CSV" --database-url "$URL" > "$WORK/load.txt"; t1=$(now)
    OURS_T+=("$(secs "$t0" "$t1")")
done
LOADED=$(sql "SELECT count(*) FROM streaming.users")
PSQL_BEST=$(best "${PSQL_T[@]}"); OURS_BEST=$(best "${OURS_T[@]}")
cat "$WORK/load.txt"
echo "psql \\copy: ${PSQL_BEST}s (runs: ${PSQL_T[*]}), $(rate "$NARROW_ROWS" "$PSQL_BEST") rows/s"
echo "schemactl load (validation + COPY): ${OURS_BEST}s (runs: ${OURS_T[*]}), $(rate "$LOADED" "$OURS_BEST") rows/s"
echo "  throughput vs psql: $(awk -v p="$PSQL_BEST" -v o="$OURS_BEST" 'BEGIN { printf "%.0f%%", 100 * p / o }')"

echo "== 3. Synthetic rows: $FAKE_ROWS streaming.detailed_transactions"
sql "TRUNCATE streaming.users CASCADE"
$BIN seed --database-url "$URL" --fake "streaming.users=1000,streaming.transactions=10000" >/dev/null
FAKE_T=(); SERVER_T=()
for run in 1 2 3; do
    sql "TRUNCATE streaming.detailed_transactions"
    t0=$(now); $BIN seed --database-url "$URL" --fake "streaming.detailed_transactions=$FAKE_ROWS" > "$WORK/fake.txt"; t1=$(now)
    FAKE_T+=("$(secs "$t0" "$t1")")
    COUNT=$(sql "SELECT count(*) FROM streaming.detailed_transactions")
    ORPHANS=$(sql "SELECT count(*) FROM streaming.detailed_transactions d
                   WHERE (d.transaction_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM streaming.transactions t WHERE t.transaction_id = d.transaction_id))
                      OR (d.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM streaming.users u WHERE u.user_id = d.user_id))")
    sql "TRUNCATE streaming.detailed_transactions"
    # The peer: the server generates the same shape of rows itself, FKs checked the same way.
    t0=$(now)
    sql "WITH t AS (SELECT transaction_id, user_id, row_number() OVER () AS n FROM streaming.transactions)
         INSERT INTO streaming.detailed_transactions (transaction_id, user_id, product_name, quantity, unit_price, created_at)
         SELECT t.transaction_id, t.user_id, 'Product ' || (g % 15), 1 + g % 10, round((random() * 1000)::numeric, 2),
                now() - (g || ' seconds')::interval
         FROM generate_series(1, $FAKE_ROWS) AS g JOIN t ON t.n = 1 + g % 10000"
    t1=$(now)
    SERVER_T+=("$(secs "$t0" "$t1")")
done
FAKE_BEST=$(best "${FAKE_T[@]}"); SERVER_BEST=$(best "${SERVER_T[@]}")
cat "$WORK/fake.txt"
echo "schemactl seed --fake: ${FAKE_BEST}s (runs: ${FAKE_T[*]}), $COUNT rows, $ORPHANS orphans, $(rate "$FAKE_ROWS" "$FAKE_BEST") rows/s"
echo "server-side INSERT … SELECT generate_series: ${SERVER_BEST}s (runs: ${SERVER_T[*]})"
echo "  schemactl vs server-side: $(ratio "$SERVER_BEST" "$FAKE_BEST")x the speed; goal < 10 s"

echo
echo "load average at start: $LOAD_START; at end: $(uptime | sed 's/.*load average: //')"
echo "| Benchmark | schemactl | Peer (same run) | Ratio |"
echo "|---|---|---|---|"
echo "| Steam sample import, 8,711 apps + 36,265 reviews ($STEAM_ROWS rows with junctions) | ${STEAM} s | seed 000: ~12 s | $(ratio 12 "$STEAM")x faster |"
echo "| Narrow COPY, $NARROW_ROWS rows of streaming.users (CSV) | ${OURS_BEST} s | psql \\copy: ${PSQL_BEST} s | $(awk -v p="$PSQL_BEST" -v o="$OURS_BEST" 'BEGIN { printf "%.0f%%", 100 * p / o }') of psql's throughput |"
echo "| $FAKE_ROWS synthetic detailed_transactions | ${FAKE_BEST} s | server-side generate_series: ${SERVER_BEST} s | $(ratio "$SERVER_BEST" "$FAKE_BEST")x |"
