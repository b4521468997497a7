#!/usr/bin/env bash
# Export benchmark (issue 17, seed 003): 1,000,000 behavioural events PostgreSQL -> Parquet
# -> DuckDB with every row validated, `schemactl export --sync` (release build) against the
# seed's method in the same run: scripts/bench/export_pandas.py (pandas read_sql + pandera
# + to_parquet + DuckDB read_parquet and the three indexes), with its packages from PyPI in
# a bench-only directory (target/bench-python, not the test dependencies). Wall time is the
# best of RUNS (default 3) runs each; peak memory (maximum resident set size) from /usr/bin/time -v.
#
# Usage: scripts/bench-export.sh [ROWS (default 1000000)]
#   SKIP_BUILD=1 scripts/bench-export.sh   reuse target/release/schemactl as it is
#   SKIP_BUILD=1 BIN=PATH scripts/bench-export.sh   measure another build (e.g. a copy of the
#                                                    previous one, while the next compiles)
# Runs against the project-local PostgreSQL 18 (SCHEMACTL_LOCAL_PORT moves it) in a scratch
# database that it drops at the end.
#
# DUCKDB_WHEEL_LIB=DIR: run a schemactl linked to the DuckDB C API of the PyPI `duckdb` wheel
# (DIR holds its module as libduckdb_py.so and a libduckdb.so linker script naming it and
# libpython; the binary built with `duckdb` without features and DUCKDB_LIB_DIR=DIR, then
# SKIP_BUILD=1). For machines where DuckDB's bundled C++ build does not finish; the wheel is
# the same DuckDB release, optimized.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROWS=${1:-1000000}
RUNS=${RUNS:-3}
DB=bench_export_$$
WORK=target/bench-export
BENCH_PY=target/bench-python
BENCH_PACKAGES=(pandas==3.1.1 pandera==0.35.0 sqlalchemy==2.1.9 psycopg2-binary==2.9.13
    pyarrow==26.0.1 duckdb==2.0.1)
mkdir -p "$WORK"

export APP_OWNER_PASSWORD=${APP_OWNER_PASSWORD:-bench-owner-pw}
export IMS_ADMIN_PASSWORD=${IMS_ADMIN_PASSWORD:-bench-admin-pw}
export IMS_USER_PASSWORD=${IMS_USER_PASSWORD:-bench-user-pw}
export IMS_READONLY_PASSWORD=${IMS_READONLY_PASSWORD:-bench-readonly-pw}
export SCHEMACTL_LOG=warn

if [ -z "${SKIP_BUILD:-}" ]; then
    cargo build --release -p schemactl --quiet
fi
BIN=${BIN:-target/release/schemactl}
RUN=()
if [ -n "${DUCKDB_WHEEL_LIB:-}" ]; then
    # The libpython the linker script names (the wheel's module needs it loaded).
    RUN=(env "LD_LIBRARY_PATH=$DUCKDB_WHEEL_LIB"
        "LD_PRELOAD=$(sed -n 's/^INPUT([^ ]* \(.*\))$/\1/p' "$DUCKDB_WHEEL_LIB/libduckdb.so")")
fi
bin() { "${RUN[@]}" "$BIN" "$@"; }
PSQL=target/postgres/pg18/bin/psql

# The seed's packages, pinned, in a directory of their own.
if [ "$(cat "$BENCH_PY/.installed" 2>/dev/null)" != "${BENCH_PACKAGES[*]}" ]; then
    rm -rf "$BENCH_PY"
    PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check \
        --no-warn-script-location --target "$BENCH_PY" "${BENCH_PACKAGES[@]}"
    printf '%s\n' "${BENCH_PACKAGES[*]}" >"$BENCH_PY/.installed"
fi

ADMIN_URL=$(bin local start | tail -n 1)
export SCHEMACTL_ADMIN_URL=$ADMIN_URL
URL=${ADMIN_URL%/*}/$DB
cleanup() { "$PSQL" -q -X "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "== provision $DB and $ROWS synthetic events (seed --fake)"
bin provision "$DB" >/dev/null
bin seed --database-url "$URL" --fake "americano.BehavioralEvent=$ROWS"
"$PSQL" -X -q "$URL" -c 'VACUUM ANALYZE americano."BehavioralEvent"'

# /usr/bin/time -v's wall clock (h:mm:ss or m:ss) in seconds, and peak RSS in MB.
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
    for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
# The process's CPU time (user + system, all threads; not the PostgreSQL server's): on a
# loaded machine a steadier figure than the wall time.
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; }
best() { printf '%s\n' "$@" | sort -g | head -n 1; }
most() { printf '%s\n' "$@" | sort -g | tail -n 1; }

LOAD_START=$(uptime | sed 's/.*load average: //')
echo "load average at start: $LOAD_START"
OURS=() OURS_MB=() PEER=() PEER_MB=()
for run in $(seq "$RUNS"); do
    rm -f "$WORK"/schemactl.duckdb* "$WORK"/pandas.duckdb*
    /usr/bin/time -v -o "$WORK/time-schemactl.txt" \
        "${RUN[@]}" "$BIN" export americano.BehavioralEvent --database-url "$URL" \
        --out "$WORK/schemactl.parquet" \
        --sync "duckdb://$WORK/schemactl.duckdb" --duckdb-model models/research.duckdb.yaml \
        >"$WORK/schemactl.txt"
    OURS+=("$(wall "$WORK/time-schemactl.txt")") OURS_MB+=("$(rss "$WORK/time-schemactl.txt")")
    /usr/bin/time -v -o "$WORK/time-pandas.txt" \
        env PYTHONPATH="$BENCH_PY" python3 -s scripts/bench/export_pandas.py \
        --database-url "$URL" --out "$WORK/pandas.parquet" --duckdb "$WORK/pandas.duckdb" \
        >"$WORK/pandas.txt"
    PEER+=("$(wall "$WORK/time-pandas.txt")") PEER_MB+=("$(rss "$WORK/time-pandas.txt")")
    echo "run $run: schemactl ${OURS[-1]} s (${OURS_MB[-1]} MB, $(cpu "$WORK/time-schemactl.txt") s CPU)," \
        "pandas ${PEER[-1]} s (${PEER_MB[-1]} MB, $(cpu "$WORK/time-pandas.txt") s CPU)"
done
LOAD_END=$(uptime | sed 's/.*load average: //')
cat "$WORK/schemactl.txt"
cat "$WORK/pandas.txt"
T_OURS=$(best "${OURS[@]}") T_PEER=$(best "${PEER[@]}")
echo
echo "== $ROWS events, PostgreSQL -> Parquet -> DuckDB, every row validated (best of $RUNS)"
echo "schemactl export --sync: $T_OURS s, peak $(most "${OURS_MB[@]}") MB"
echo "pandas + pandera:        $T_PEER s, peak $(most "${PEER_MB[@]}") MB"
echo "speed-up: $(awk -v a="$T_PEER" -v b="$T_OURS" 'BEGIN { printf "%.1f", a / b }')x"
echo "load average: start $LOAD_START, end $LOAD_END"
