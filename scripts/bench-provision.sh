#!/usr/bin/env bash
# Benchmark for issue 3: `schemactl provision` of the full model into a fresh database,
# against raw `psql -f` applying the same SQL (`schemactl plan`), in the same run.
#
#   scripts/bench-provision.sh              7 timed repetitions per side (REPS=7)
#   REPS=15 scripts/bench-provision.sh      more repetitions
#   SKIP_BUILD=1 scripts/bench-provision.sh reuse target/release/schemactl as it is
#
# Runs against the project-local PostgreSQL 18 (`schemactl local start`, port 54318).
# Each repetition runs, in this order:
#   (a) provision: `schemactl provision bench_provision --recreate --yes`, timed as one
#       process: role checks (a login attempt per role with a password), DROP DATABASE …
#       WITH (FORCE), CREATE DATABASE … OWNER app_owner, extensions and every schema
#       object, grants and policies, seed rows (one transaction), then a refresh of the
#       materialized views.
#   (b) psql: DROP DATABASE IF EXISTS bench_psql WITH (FORCE) and CREATE DATABASE bench_psql
#       OWNER app_owner ENCODING 'UTF8' TEMPLATE template0 (one psql process), then
#       `psql -X -v ON_ERROR_STOP=1 -q -d bench_psql -f plan.sql`; drop+create+apply are timed
#       as one unit. plan.sql is generated once, before the loop. It holds no seed rows and
#       no refresh (its materialized views are created WITH DATA over empty tables).
# One untimed warm-up of each side comes first; it also creates the roles psql needs.
#
# Prints per-repetition times, median/min/max per side, the ratio
# median(provision)/median(psql) and PASS/MISS against the 1.5x goal. Exits non-zero only
# when something fails, never for a MISS. Both bench databases are dropped at the end.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${REPS:-7}"
goal="1.5"
prov_db="bench_provision"
psql_db="bench_psql"
owner="app_owner"

if ! [[ "$reps" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench-provision.sh: REPS must be a positive integer, got '$reps'" >&2
    exit 2
fi

schemactl="$repo_root/target/release/schemactl"
pg_bin="$repo_root/target/postgres/pg18/bin"
psql="$pg_bin/psql"

# Throwaway role passwords. The defaults are the test suite's (cli/tests/suite/common_pg), so
# that a benchmark on the shared local server never changes a password a concurrently
# running test logs in with. Values already in the environment are kept.
export APP_OWNER_PASSWORD="${APP_OWNER_PASSWORD:-owner-test-pw}"
export IMS_ADMIN_PASSWORD="${IMS_ADMIN_PASSWORD:-admin-test-pw}"
export IMS_USER_PASSWORD="${IMS_USER_PASSWORD:-user-test-pw}"
export IMS_READONLY_PASSWORD="${IMS_READONLY_PASSWORD:-readonly-test-pw}"
export SCHEMACTL_LOG="info" NO_COLOR=1
unset SCHEMACTL_ADMIN_URL SCHEMACTL_SCHEMA PGSERVICE PGOPTIONS

# schemactl runs from an empty scratch directory, so that no .env file is picked up; the
# model and the server are always passed explicitly.
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-provision.XXXXXX")"
admin_url=""

# now: wall-clock seconds with microseconds, without forking.
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mask() { sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#'; }
admin_psql() { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$admin_url" "$@"; }
die() {
    echo "bench-provision.sh: $*" >&2
    exit 1
}

cleanup() {
    local status=$?
    if [ -n "$admin_url" ]; then
        admin_psql -c "DROP DATABASE IF EXISTS $prov_db WITH (FORCE)" \
            -c "DROP DATABASE IF EXISTS $psql_db WITH (FORCE)" >/dev/null 2>&1 ||
            echo "bench-provision.sh: warning: could not drop $prov_db/$psql_db" >&2
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
[ -x "$psql" ] || die "$psql not found (scripts/install-postgres.sh installs it)"
admin_url="$(cd "$work" && "$schemactl" local url)"
server_version="$(admin_psql -At -c "SHOW server_version")"
psql_url="${admin_url%/*}/$psql_db"
echo "server:  PostgreSQL $server_version at $(printf '%s' "$admin_url" | mask)"
echo "psql:    $("$psql" --version)"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------
run_provision() { # run_provision LOGFILE: the timed unit of side (a)
    (cd "$work" && "$schemactl" --schema "$repo_root/schema.yaml" provision "$prov_db" \
        --admin-url "$admin_url" --recreate --yes) </dev/null >"$1" 2>&1
}
run_psql() { # run_psql LOGFILE: the timed unit of side (b)
    local t0
    t0="$(now)"
    {
        admin_psql -c "DROP DATABASE IF EXISTS $psql_db WITH (FORCE)" \
            -c "CREATE DATABASE $psql_db OWNER $owner ENCODING 'UTF8' TEMPLATE template0" &&
            # Split point, for the "of which drop+create" column only.
            elapsed "$t0" "$(now)" >"$work/psql.split" &&
            "$psql" -X -v ON_ERROR_STOP=1 -q -d "$psql_url" -f "$work/plan.sql"
    } </dev/null >"$1" 2>&1
}
# timed SIDE: runs run_SIDE once and prints its wall-clock seconds; shows the log on failure.
timed() {
    local log="$work/$1.log" start end
    start="$(now)"
    if ! "run_$1" "$log"; then
        echo >&2
        echo "bench-provision.sh: the $1 side failed; its output:" >&2
        mask <"$log" | tail -n 40 >&2
        exit 1
    fi
    end="$(now)"
    elapsed "$start" "$end"
}

echo "== plan"
(cd "$work" && "$schemactl" --schema "$repo_root/schema.yaml" plan >"$work/plan.sql") ||
    die "schemactl plan failed"
plan_lines="$(wc -l <"$work/plan.sql")"
# Top-level statements start in column 0; INSERTs inside function bodies are indented.
plan_inserts="$(grep -cE '^INSERT[[:space:]]' "$work/plan.sql" || true)"
plan_refresh="$(grep -cE '^REFRESH[[:space:]]' "$work/plan.sql" || true)"
echo "plan.sql: $plan_lines lines, $plan_inserts top-level INSERT, $plan_refresh top-level REFRESH"
if [ "$plan_inserts" = 0 ] && [ "$plan_refresh" = 0 ]; then
    echo "note: plan.sql has no seed rows and no materialized-view refresh; provision does both"
fi

# Tests on the same server take this lock around every schemactl run (cli/tests/suite/common_pg);
# holding it keeps their provisioning out of the measurements and ours out of theirs.
lockfile="$repo_root/target/schemactl-tests.lock"
exec {lock_fd}>>"$lockfile"
if ! flock -w 600 "$lock_fd"; then
    echo "warning: $lockfile still held after 600 s; measuring without it" >&2
fi

echo "== warm-up (untimed in the results)"
warm_prov="$(timed provision)"
warm_psql="$(timed psql)"
echo "provision ${warm_prov}s, psql ${warm_psql}s"
seeded="$(grep -oE 'seeded [0-9]+ row\(s\)$' "$work/provision.log" | tail -n 1 || true)"
refreshed="$(grep -oE 'refreshed [0-9]+ materialized view\(s\)' "$work/provision.log" || true)"
echo "provision log: ${seeded:-no seed rows}, ${refreshed:-no refresh}"

echo "== $reps repetitions, alternating"
printf '%4s  %14s  %14s  %22s\n' "rep" "provision (s)" "psql -f (s)" "of which drop+create"
prov_times=()
psql_times=()
split_times=()
for ((i = 1; i <= reps; i++)); do
    p="$(timed provision)"
    q="$(timed psql)"
    d="$(cat "$work/psql.split")"
    prov_times+=("$p")
    psql_times+=("$q")
    split_times+=("$d")
    printf '%4d  %14s  %14s  %22s\n' "$i" "$p" "$q" "$d"
done
flock -u "$lock_fd" || true

# Both databases must hold the same objects: the comparison is only fair if they do.
signature() {
    "$psql" -X -At -F ' ' -v ON_ERROR_STOP=1 -d "${admin_url%/*}/$1" -c "
      SELECT string_agg(k || '=' || n, ' ' ORDER BY k) FROM (
        SELECT 'relkind_' || c.relkind::text AS k, count(*) AS n
          FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
         WHERE s.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
         GROUP BY c.relkind
        UNION ALL SELECT 'functions', count(*) FROM pg_proc p
          JOIN pg_namespace s ON s.oid = p.pronamespace
         WHERE s.nspname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL SELECT 'policies', count(*) FROM pg_policy
        UNION ALL SELECT 'triggers', count(*) FROM pg_trigger WHERE NOT tgisinternal
        UNION ALL SELECT 'extensions', count(*) FROM pg_extension) t"
}
sig_prov="$(signature "$prov_db")"
sig_psql="$(signature "$psql_db")"
echo "== objects (same in both databases?)"
if [ "$sig_prov" = "$sig_psql" ]; then
    echo "identical: $sig_prov"
else
    echo "WARNING: the databases differ"
    echo "  $prov_db: $sig_prov"
    echo "  $psql_db: $sig_psql"
fi

# stats: prints "median min max" of its arguments.
stats() {
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.3f %.3f %.3f\n", m, v[1], v[NR]
        }'
}
read -r prov_med prov_min prov_max <<<"$(stats "${prov_times[@]}")"
read -r psql_med psql_min psql_max <<<"$(stats "${psql_times[@]}")"
read -r split_med split_min split_max <<<"$(stats "${split_times[@]}")"
ratio="$(awk -v a="$prov_med" -v b="$psql_med" 'BEGIN { printf "%.2f", a / b }')"
verdict="$(awk -v r="$ratio" -v g="$goal" 'BEGIN { print (r <= g) ? "PASS" : "MISS" }')"

echo "== results ($reps repetitions, seconds, wall clock)"
printf '%-32s  %8s  %8s  %8s\n' "side" "median" "min" "max"
printf '%-32s  %8s  %8s  %8s\n' "schemactl provision" "$prov_med" "$prov_min" "$prov_max"
printf '%-32s  %8s  %8s  %8s\n' "psql: drop+create + -f plan.sql" "$psql_med" "$psql_min" "$psql_max"
printf '%-32s  %8s  %8s  %8s\n' "  (of which drop+create)" "$split_med" "$split_min" "$split_max"
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the cores)"
echo "ratio median(provision)/median(psql) = ${ratio}x; goal <= ${goal}x: $verdict"
