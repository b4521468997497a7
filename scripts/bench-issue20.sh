#!/usr/bin/env bash
# Issue 20 benchmarks (load, fake, model size), each against its peer in the same run:
#   1. `schemactl load` of the narrow 1,000,000-row streaming.users CSV vs `psql \copy` of
#      the same file into the same (truncated) table, alternating, best of 3;
#   2. `schemactl seed --fake streaming.detailed_transactions=1000000` (FKs to 10,000
#      transactions and 1,000 users), best of 3, orphans counted by the server;
#   3. `schemactl validate` of synthetic models of 1,000 / 3,000 / 10,000 tables
#      (scripts/gen_synthetic_model.py --tables N, from the speedplan branch; a fresh nonce
#      so no cache helps): wall
#      time and peak memory (GNU time's max RSS), then the same text again (cached);
#      and a model over the parser's node limit (25,000 tables) for its message.
# Runs against the project-local PostgreSQL 18 in a scratch database dropped at the end.
#
# Usage: scripts/bench-issue20.sh [ROWS (default 1000000)]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${1:-1000000}
DB=bench_i20_$$
WORK=target/bench-issue20
mkdir -p "$WORK"
export APP_OWNER_PASSWORD=${APP_OWNER_PASSWORD:-bench-owner-pw}
export IMS_ADMIN_PASSWORD=${IMS_ADMIN_PASSWORD:-bench-admin-pw}
export IMS_USER_PASSWORD=${IMS_USER_PASSWORD:-bench-user-pw}
export IMS_READONLY_PASSWORD=${IMS_READONLY_PASSWORD:-bench-readonly-pw}

cargo build --release -p schemactl --quiet
BIN=target/release/schemactl
PSQL=target/postgres/pg18/bin/psql
ADMIN_URL=$($BIN local start | tail -n 1)
export SCHEMACTL_ADMIN_URL=$ADMIN_URL
URL=${ADMIN_URL%/*}/$DB
export SCHEMACTL_LOG=warn

cleanup() { "$PSQL" -q -X "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
sql() { "$PSQL" -X -q -t -A "$URL" -c "SET client_min_messages = warning" -c "$1"; }
best() { printf '%s\n' "$@" | sort -g | head -n 1; }

$BIN provision "$DB" >/dev/null 2>&1
echo "load average at start: $(uptime | sed 's/.*load average: //')"

echo "== 1. load vs psql \\copy: $ROWS rows of streaming.users"
CSV=$WORK/users.csv
$BIN seed --database-url "$URL" --fake "streaming.users=$ROWS" --rng-seed 1 >/dev/null
sql "\\copy (SELECT user_id, name, email, age, city, registration_date FROM streaming.users) TO '$CSV' CSV HEADER"
PSQL_T=(); OURS_T=()
for run in 1 2 3; do
    sql "TRUNCATE streaming.users CASCADE"
    t0=$(now); sql "\\copy streaming.users (user_id, name, email, age, city, registration_date) FROM '$CSV' CSV HEADER"; t1=$(now)
    PSQL_T+=("$(secs "$t0" "$t1")")
    sql "TRUNCATE streaming.users CASCADE"
    t0=$(now); $BIN load "streaming.users=$CSV" --database-url "$URL" > "$WORK/load.txt"; t1=$(now)
    OURS_T+=("$(secs "$t0" "$t1")")
    echo "  run $run: psql ${PSQL_T[-1]} s, schemactl ${OURS_T[-1]} s (load $(uptime | sed 's/.*load average: //'))"
done
LOADED=$(sql "SELECT count(*) FROM streaming.users")
PSQL_BEST=$(best "${PSQL_T[@]}"); OURS_BEST=$(best "${OURS_T[@]}")
cat "$WORK/load.txt"
echo "psql \\copy best ${PSQL_BEST} s; schemactl load best ${OURS_BEST} s ($LOADED rows);" \
     "ratio $(awk -v p="$PSQL_BEST" -v o="$OURS_BEST" 'BEGIN { printf "%.2f", p / o }')x psql's throughput"

echo "== 1b. a bad record in the middle: nothing loaded"
sql "TRUNCATE streaming.users CASCADE"
awk -v mid=$((ROWS / 2 + 1)) -F, 'BEGIN { OFS = "," } NR == mid { $4 = "4x2" } { print }' "$CSV" > "$WORK/users_bad.csv"
t0=$(now); $BIN load "streaming.users=$WORK/users_bad.csv" --database-url "$URL" 2>&1 | head -n 3 || true; t1=$(now)
echo "  refused in $(secs "$t0" "$t1") s; rows now: $(sql "SELECT count(*) FROM streaming.users")"

echo "== 2. seed --fake: $ROWS streaming.detailed_transactions"
sql "TRUNCATE streaming.users CASCADE"
$BIN seed --database-url "$URL" --fake "streaming.users=1000,streaming.transactions=10000" >/dev/null
FAKE_T=()
for run in 1 2 3; do
    sql "TRUNCATE streaming.detailed_transactions"
    t0=$(now); $BIN seed --database-url "$URL" --fake "streaming.detailed_transactions=$ROWS" > "$WORK/fake.txt"; t1=$(now)
    FAKE_T+=("$(secs "$t0" "$t1")")
    echo "  run $run: ${FAKE_T[-1]} s (load $(uptime | sed 's/.*load average: //'))"
done
COUNT=$(sql "SELECT count(*) FROM streaming.detailed_transactions")
ORPHANS=$(sql "SELECT count(*) FROM streaming.detailed_transactions d
               WHERE (d.transaction_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM streaming.transactions t WHERE t.transaction_id = d.transaction_id))
                  OR (d.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM streaming.users u WHERE u.user_id = d.user_id))")
FKS=$(sql "SELECT count(*) FROM pg_constraint WHERE conrelid = 'streaming.detailed_transactions'::regclass AND contype = 'f' AND convalidated")
cat "$WORK/fake.txt"
echo "seed --fake best $(best "${FAKE_T[@]}") s: $COUNT rows, $ORPHANS orphans, $FKS validated foreign keys"

echo "== 3. model size: validate (load + validate), fresh text then cached"
for n in 1000 3000 10000; do
    python3 scripts/gen_synthetic_model.py --out "$WORK/m$n" --tables "$n" --nonce "$$-$(date +%s%N)" >/dev/null
    for pass in fresh cached; do
        /usr/bin/time -f "%e %M" -o "$WORK/time.txt" $BIN --schema "$WORK/m$n/model.yaml" validate > "$WORK/validate.txt" 2>&1 || true
        read -r T M < <(tail -n 1 "$WORK/time.txt")
        echo "  $n tables ($pass): ${T} s, peak $((M / 1024)) MB: $(tail -n 1 "$WORK/validate.txt")"
    done
done
python3 scripts/gen_synthetic_model.py --out "$WORK/m25000" --tables 25000 >/dev/null
/usr/bin/time -f "%e %M" -o "$WORK/time.txt" $BIN --schema "$WORK/m25000/model.yaml" validate > "$WORK/validate.txt" 2>&1 || true
read -r T M < <(tail -n 1 "$WORK/time.txt")
echo "  25000 tables: ${T} s, peak $((M / 1024)) MB:"
head -n 6 "$WORK/validate.txt" | cut -c1-200

echo "load average at end: $(uptime | sed 's/.*load average: //')"
