#!/usr/bin/env bash
# Benchmark for issue 16: `schemactl pull` of the synthetic 1,000-table database against
# `pg_dump --schema-only` of the same database, in the same run.
#
#   scripts/bench-pull.sh              7 timed repetitions per side (REPS=7)
#   REPS=15 scripts/bench-pull.sh      more repetitions
#   SKIP_BUILD=1 scripts/bench-pull.sh reuse target/release/schemactl as it is
#
# Steps:
#   1. build the release binary, start the project-local PostgreSQL 18
#      (SCHEMACTL_LOCAL_PORT chooses its port, 54318 by default);
#   2. scripts/gen_synthetic_model.py writes model.yaml (4 schemas x 250 tables, 10,000
#      columns, 2,000 secondary indexes, ~1,200 FKs, checks, comments, 20 views, 20
#      policies); it is provisioned into bench_pull;
#   3. one untimed run of each side, then REPS timed runs alternating
#        schemactl pull --database-url .../bench_pull --out pulled.yaml
#        pg_dump --schema-only -d .../bench_pull -f dump.sql
#      each a whole process from start to exit, wall clock; pull with an empty on-disk
#      cache directory each time (SCHEMACTL_CACHE_DIR), so nothing is reused;
#   4. the pulled model is validated, and its size compared with the generated one.
# Prints median/min/max, the ratio median(pull)/median(pg_dump) and PASS/MISS against
# the goal (pull within 2x of pg_dump). Exits non-zero only when a step fails, never for
# a MISS. bench_pull and the benchmark's role are dropped at the end.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${REPS:-7}"
goal_ratio="2"
db="bench_pull"

if ! [[ "$reps" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench-pull.sh: REPS must be a positive integer, got '$reps'" >&2
    exit 2
fi

schemactl="$repo_root/target/release/schemactl"
pg_bin="$repo_root/target/postgres/pg18/bin"
psql="$pg_bin/psql"
pg_dump="$pg_bin/pg_dump"

# Throwaway password of the model's only role; a value already in the environment is kept.
export BENCH_OWNER_PW="${BENCH_OWNER_PW:-bench-owner-pw}"
export SCHEMACTL_LOG="warn" NO_COLOR=1
unset SCHEMACTL_ADMIN_URL SCHEMACTL_SCHEMA DATABASE_URL PGSERVICE PGOPTIONS

# schemactl runs from an empty scratch directory, so that no .env file is picked up.
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-pull.XXXXXX")"
admin_url=""

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mask() { sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#g'; }
admin_psql() { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$admin_url" "$@"; }
die() {
    echo "bench-pull.sh: $*" >&2
    exit 1
}

cleanup() {
    local status=$?
    if [ -n "$admin_url" ]; then
        admin_psql -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 ||
            echo "bench-pull.sh: warning: could not drop $db" >&2
        admin_psql -c "DROP ROLE IF EXISTS bench_owner" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------
echo "== build"
if [ "${SKIP_BUILD:-0}" = 1 ]; then
    echo "SKIP_BUILD=1: using $schemactl as it is"
else
    (cd "$repo_root" && cargo build --release --quiet -p schemactl) || die "cargo build failed"
fi
[ -x "$schemactl" ] || die "$schemactl not found"

echo "== local server"
(cd "$work" && "$schemactl" local start >/dev/null) || die "schemactl local start failed"
[ -x "$pg_dump" ] || die "$pg_dump not found (scripts/install-postgres.sh installs it)"
admin_url="$(cd "$work" && "$schemactl" local url)"
url="${admin_url%/*}/$db"
echo "server:  PostgreSQL $(admin_psql -At -c "SHOW server_version") at $(printf '%s' "$admin_url" | mask)"
echo "pg_dump: $("$pg_dump" --version)"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------
echo "== model"
python3 "$repo_root/scripts/gen_synthetic_model.py" --out "$work" --nonce "bench-pull" ||
    die "the model generator failed"
model="$work/model.yaml"

# Tests on the same server take this lock around every schemactl run (cli/tests/suite/common_pg).
lockfile="$repo_root/target/schemactl-tests.lock"
exec {lock_fd}>>"$lockfile"
if ! flock -w 600 "$lock_fd"; then
    echo "warning: $lockfile still held after 600 s; measuring without it" >&2
fi

echo "== provision"
t0="$(now)"
(cd "$work" && "$schemactl" --schema "$model" provision "$db" --admin-url "$admin_url" \
    --recreate --yes) </dev/null >"$work/provision.log" 2>&1 ||
    { mask <"$work/provision.log" | tail -n 30 >&2; die "provision failed"; }
echo "$db: provisioned in $(elapsed "$t0" "$(now)")s"

# ---------------------------------------------------------------------------------------
run_pull() { # run_pull CACHE_DIR
    (cd "$work" && SCHEMACTL_CACHE_DIR="$1" "$schemactl" pull --database-url "$url" \
        --out "$work/pulled.yaml") </dev/null >"$work/pull.out" 2>"$work/pull.err" ||
        { mask <"$work/pull.err" | tail -n 30 >&2; return 1; }
}
run_dump() {
    "$pg_dump" --schema-only -d "$url" -f "$work/dump.sql" </dev/null 2>"$work/dump.err" ||
        { mask <"$work/dump.err" | tail -n 30 >&2; return 1; }
}
timed() {
    local start
    start="$(now)"
    "$@" || return 1
    elapsed "$start" "$(now)"
}

echo "== warm-up (untimed)"
run_pull "$work/cache-warmup" || die "pull failed"
run_dump || die "pg_dump failed"
(cd "$work" && "$schemactl" --schema "$work/pulled.yaml" validate) ||
    die "the pulled model does not validate"
echo "pulled model: $(wc -l <"$work/pulled.yaml") lines, $(du -h "$work/pulled.yaml" | cut -f1);" \
    "generated model: $(wc -l <"$model") lines; pg_dump: $(wc -l <"$work/dump.sql") lines"

echo "== timed ($reps runs each, alternating)"
pull_times=()
dump_times=()
for ((i = 1; i <= reps; i++)); do
    t="$(timed run_pull "$work/cache-$i")" || die "pull failed"
    pull_times+=("$t")
    d="$(timed run_dump)" || die "pg_dump failed"
    dump_times+=("$d")
    echo "run $i: pull ${t}s, pg_dump ${d}s"
done

stats() {
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.3f %.3f %.3f\n", m, v[1], v[NR]
        }'
}
read -r p_med p_min p_max <<<"$(stats "${pull_times[@]}")"
read -r d_med d_min d_max <<<"$(stats "${dump_times[@]}")"
ratio="$(awk -v p="$p_med" -v d="$d_med" 'BEGIN { printf "%.2f", p / d }')"
verdict="$(awk -v r="$ratio" -v g="$goal_ratio" 'BEGIN { print (r <= g) ? "PASS" : "MISS" }')"

echo "== results (seconds, wall clock, whole processes)"
printf '%-36s  %5s  %8s  %8s  %8s\n' "case" "runs" "median" "min" "max"
printf '%-36s  %5s  %8s  %8s  %8s\n' "schemactl pull (model YAML)" "$reps" "$p_med" "$p_min" "$p_max"
printf '%-36s  %5s  %8s  %8s  %8s\n' "pg_dump --schema-only" "$reps" "$d_med" "$d_min" "$d_max"
echo "ratio median(pull)/median(pg_dump): ${ratio}x (goal <= ${goal_ratio}x): $verdict"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
