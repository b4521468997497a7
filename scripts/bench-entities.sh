#!/usr/bin/env bash
# Benchmark for issue 5: `schemactl generate entities` against `sea-orm-cli generate entity`,
# in the same run, on two models:
#   synthetic  scripts/gen_synthetic_model.py: 4 schemas x 250 tables (1,000 tables,
#              10,000 columns, 20 views); goal for schemactl: under 1 s;
#   no-views   the same model without its 20 views (written by importing the generator),
#              so that schemactl needs no server: it isolates the cost of the scratch
#              database that resolves view columns;
#   real       the repository's schema.yaml (3 schemas, 27 tables, views, enums, pgvector).
#
#   scripts/bench-entities.sh               5 timed repetitions per tool and model (REPS=5)
#   REPS=9 scripts/bench-entities.sh        more repetitions
#   SKIP_BUILD=1 scripts/bench-entities.sh  reuse target/release/schemactl as it is
#   SEA_ORM_CLI=/path/to/sea-orm-cli ...    another sea-orm-cli (default target/tools/bin/)
#
# sea-orm-cli is installed under target/ (git-ignored), with PostgreSQL and pgvector support:
#   cargo install --locked --root target/tools sea-orm-cli --version 2.0.4 \
#       --no-default-features --features codegen,sqlx-postgres,runtime-tokio-rustls,postgres-vector
#
# For each model: the model is provisioned into the database bench_entities on the
# project-local PostgreSQL 18 (`schemactl provision bench_entities --recreate --yes`), so that
# sea-orm-cli reads a database built from exactly the model schemactl reads, and ANALYZEd
# (see below). The no-views model is schemactl-only (its tables are the synthetic
# model's). Then, after one
# untimed warm-up of each, REPS alternating repetitions of:
#   (a) schemactl: `schemactl --schema MODEL generate entities --out DIR --dev-url ADMIN_URL`,
#       one process: load and validate the model, resolve view columns in a scratch database
#       (both models have views), render and write every file;
#   (b) sea-orm-cli: `sea-orm-cli generate entity -u postgres://…/bench_entities -s SCHEMA
#       -o DIR/SCHEMA`, once per schema of the model (sea-orm-cli reads one schema per run),
#       the runs one after the other; the time is the sum over all schemas, i.e. the time to
#       get entities for the whole model. Each run introspects the database and formats its
#       files with rustfmt (sea-orm-cli runs rustfmt itself).
# The output directories are emptied before every run, so every file is written each time.
# Times are wall clock, whole processes. The outputs of the last repetition are kept in
# target/bench-entities/{synthetic,no-views,real}/{schemactl,sea-orm-cli}/ for comparison,
# with sea-orm-cli's -v warm-up log (sea-warmup-v.log, passwords masked).
#
# A run takes about 30 minutes on 2 cores, most of it sea-orm-cli on the synthetic model.
# Prints per-repetition times, median/min/max per tool, the ratio
# median(sea-orm-cli)/median(schemactl) per model and PASS/MISS for the 1 s goal of the
# synthetic models. Exits non-zero only when something fails, never for a MISS. The bench
# database is dropped at the end.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${REPS:-5}"
goal="1.0"
db="bench_entities"

if ! [[ "$reps" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench-entities.sh: REPS must be a positive integer, got '$reps'" >&2
    exit 2
fi

schemactl="$repo_root/target/release/schemactl"
sea_orm_cli="${SEA_ORM_CLI:-$repo_root/target/tools/bin/sea-orm-cli}"
pg_bin="$repo_root/target/postgres/pg18/bin"
psql="$pg_bin/psql"
keep="$repo_root/target/bench-entities"

# Throwaway role passwords: the test suite's defaults (cli/tests/suite/common_pg) and
# bench-diff.sh's, so that a benchmark on the shared local server never changes a password
# a concurrently running test or benchmark logs in with. Values already set are kept.
export APP_OWNER_PASSWORD="${APP_OWNER_PASSWORD:-owner-test-pw}"
export IMS_ADMIN_PASSWORD="${IMS_ADMIN_PASSWORD:-admin-test-pw}"
export IMS_USER_PASSWORD="${IMS_USER_PASSWORD:-user-test-pw}"
export IMS_READONLY_PASSWORD="${IMS_READONLY_PASSWORD:-readonly-test-pw}"
export BENCH_OWNER_PW="${BENCH_OWNER_PW:-bench-owner-pw}"
export SCHEMACTL_LOG="warn" NO_COLOR=1 RUST_LOG="warn"
unset SCHEMACTL_ADMIN_URL SCHEMACTL_SCHEMA PGSERVICE PGOPTIONS DATABASE_URL DATABASE_SCHEMA

# Both tools run from an empty scratch directory, so that no .env file is picked up (both
# read one); the model, the server and the database are always passed explicitly.
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-entities.XXXXXX")"
admin_url=""

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mask() { sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#g'; }
admin_psql() { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$admin_url" "$@"; }
die() {
    echo "bench-entities.sh: $*" >&2
    exit 1
}

cleanup() {
    local status=$?
    if [ -n "$admin_url" ]; then
        admin_psql -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 ||
            echo "bench-entities.sh: warning: could not drop $db" >&2
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------
echo "== build"
if [ "${SKIP_BUILD:-0}" = 1 ]; then
    echo "SKIP_BUILD=1: using $schemactl as it is"
else
    (cd "$repo_root" && cargo build --release --quiet -p schemactl) || die "cargo build failed"
fi
[ -x "$schemactl" ] || die "$schemactl not found"
[ -x "$sea_orm_cli" ] || die "$sea_orm_cli not found; install it with the cargo install line at the top of this script"

echo "== local server"
(cd "$work" && "$schemactl" local start >/dev/null) || die "schemactl local start failed"
[ -x "$psql" ] || die "$psql not found (scripts/install-postgres.sh installs it)"
admin_url="$(cd "$work" && "$schemactl" local url)"
# The bench database on the same server, same credentials; any ?query of the URL is kept.
case "$admin_url" in
*\?*) db_url="${admin_url%%\?*}" db_query="?${admin_url#*\?}" ;;
*) db_url="$admin_url" db_query="" ;;
esac
db_url="${db_url%/*}/$db$db_query"
echo "server:      PostgreSQL $(admin_psql -At -c "SHOW server_version") at $(printf '%s' "$admin_url" | mask)"
echo "schemactl:   $("$schemactl" --version)"
echo "sea-orm-cli: $("$sea_orm_cli" --version)"
echo "rustfmt:     $(rustfmt --version 2>/dev/null || echo 'not found (sea-orm-cli skips formatting)')"
echo "machine:     $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== synthetic model"
python3 "$repo_root/scripts/gen_synthetic_model.py" --out "$work/synthetic" >/dev/null ||
    die "gen_synthetic_model.py failed"
sed 's/^/  /' "$work/synthetic/stats.txt"
mkdir -p "$work/no-views"
python3 -B - "$repo_root/scripts" "$work/no-views/model.yaml" <<'PY' || die "writing the no-views model failed"
import sys
sys.path.insert(0, sys.argv[1])
import gen_synthetic_model as g
model, _ = g.build(4, "fixed")  # the generator's defaults (--seed 4 --nonce fixed)
for schema in model["schemas"].values():
    schema.pop("views", None)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(g.to_yaml(model))
PY

# ---------------------------------------------------------------------------------------
# run_schemactl MODEL OUT LOG / run_sea MODEL OUT LOG: the timed units.
run_schemactl() {
    rm -rf "$2" && mkdir -p "$2"
    (cd "$work" && "$schemactl" --schema "$1" generate entities --out "$2" \
        --dev-url "$admin_url") </dev/null >"$3" 2>&1
}
# run_sea runs one sea-orm-cli process per schema, one after the other. With sea_deadline
# set (the warm-up), every process gets only the time left until then (status 124 when it
# runs out) and runs with -v, which logs every discovery query with its elapsed time.
sea_deadline=""
run_sea() {
    local s left verbose=() limit=()
    rm -rf "$2" && mkdir -p "$2"
    for s in "${schemas[@]}"; do
        if [ -n "$sea_deadline" ]; then
            left="$(awk -v d="$sea_deadline" -v n="$(now)" 'BEGIN { l = d - n; printf "%d", (l < 1) ? 1 : l }')"
            limit=(timeout "$left")
            verbose=(-v)
        fi
        (cd "$work" && "${limit[@]}" "$sea_orm_cli" generate entity "${verbose[@]}" \
            -u "$db_url" -s "$s" -o "$2/$s") </dev/null >>"$3" 2>&1 || return "$?"
    done
}
# timed TOOL MODEL OUT: prints the wall-clock seconds of one run; shows the log on failure.
timed() {
    local log="$work/$1.log" start end
    : >"$log"
    start="$(now)"
    local status=0
    "run_$1" "$2" "$3" "$log" || status=$?
    if [ "$status" = 124 ] && [ "$1" = sea ] && [ -n "$sea_deadline" ]; then
        echo "timeout"
        return 0
    elif [ "$status" != 0 ]; then
        echo >&2
        echo "bench-entities.sh: $1 failed on $2; its output:" >&2
        mask <"$log" | tail -n 40 >&2
        exit 1
    fi
    end="$(now)"
    elapsed "$start" "$end"
}
stats() { # prints "median min max" of its arguments
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.3f %.3f %.3f\n", m, v[1], v[NR]
        }'
}
summary() { # summary DIR: "N files, M lines"
    printf '%s files, %s lines' "$(find "$1" -type f -name '*.rs' | wc -l)" \
        "$(find "$1" -type f -name '*.rs' -exec cat {} + | wc -l)"
}

# Tests on the same server take this lock around every schemactl run (cli/tests/suite/common_pg);
# holding it keeps their provisioning out of the measurements and ours out of theirs.
lockfile="$repo_root/target/schemactl-tests.lock"
exec {lock_fd}>>"$lockfile"
if ! flock -w 600 "$lock_fd"; then
    echo "warning: $lockfile still held after 600 s; measuring without it" >&2
fi

results=()
# sea-orm-cli's warm-up gets SEA_TIMEOUT seconds for the whole model (default 900). When it
# does not finish, sea-orm-cli is not repeated for that model and its row says "timeout";
# the -v log of the warm-up tells how far discovery got and how long its queries took.
sea_timeout="${SEA_TIMEOUT:-900}"
[[ "$sea_timeout" =~ ^[1-9][0-9]*$ ]] || die "SEA_TIMEOUT must be a positive integer"

# The pgvector workaround. sea-orm-cli sets search_path to the one schema it generates
# (`SET search_path = 'steam'`) and resolves column types with `'"udt_name"'::regtype`, so
# a table with a vector column fails ("type "vector" does not exist") while the extension
# lives in another schema (public). When exactly one schema has vector columns, the bench
# database's extension is moved there (ALTER EXTENSION vector SET SCHEMA; tables, columns
# and indexes stay as they are); sea-orm-cli's -v run shows the failure without it.
vector_workaround() {
    local used ext_schema
    used="$("$psql" -X -At -v ON_ERROR_STOP=1 -d "$db_url" -c "
        SELECT string_agg(DISTINCT n.nspname, ' ')
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_type t ON t.oid = a.atttypid
          JOIN pg_extension e ON e.extname = 'vector' AND t.typnamespace = e.extnamespace
         WHERE t.typname = 'vector' AND a.attnum > 0 AND NOT a.attisdropped
           AND c.relkind IN ('r', 'p')")"
    [ -n "$used" ] || return 0
    ext_schema="$("$psql" -X -At -d "$db_url" -c "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'vector'")"
    if [[ "$used" == *" "* ]]; then
        echo "note: vector columns in several schemas ($used); sea-orm-cli fails on all but the one holding the extension ($ext_schema)"
    elif [ "$used" != "$ext_schema" ]; then
        "$psql" -X -q -v ON_ERROR_STOP=1 -d "$db_url" -c "ALTER EXTENSION vector SET SCHEMA \"$used\"" ||
            die "ALTER EXTENSION vector SET SCHEMA $used failed"
        echo "pgvector workaround: extension vector moved from $ext_schema to $used in $db (only for sea-orm-cli)"
    fi
}

bench_model() { # bench_model LABEL MODEL WITH_SEA(1|0)
    local label="$1" model="$2" with_sea="$3" out_a="$work/$1/out-schemactl" out_b="$work/$1/out-sea" i a b
    mkdir -p "$work/$label" "$out_b"
    echo
    echo "==== $label: $model"
    if [ "$with_sea" = 1 ]; then
        echo "== provision $db"
        local t0
        t0="$(now)"
        (cd "$work" && "$schemactl" --schema "$model" provision "$db" --admin-url "$admin_url" \
            --recreate --yes) </dev/null >"$work/provision.log" 2>&1 ||
            {
                mask <"$work/provision.log" | tail -n 40 >&2
                die "provision of $model failed"
            }
        echo "provisioned in $(elapsed "$t0" "$(now)") s"
        vector_workaround
        # Statistics, as a database in use has them (autovacuum gathers them some time
        # after the bulk DDL). Without them, sea-schema's per-table constraint query over
        # information_schema gets a plan that did not finish in 600 s for the first table
        # of the 1,000-table database (PostgreSQL 18.3).
        t0="$(now)"
        "$psql" -X -q -v ON_ERROR_STOP=1 -d "$db_url" -c "ANALYZE" || die "ANALYZE failed"
        echo "ANALYZE in $(elapsed "$t0" "$(now)") s"
    else
        echo "(schemactl only: sea-orm-cli is not run on this model)"
    fi

    echo "== warm-up (untimed)"
    a="$(timed schemactl "$model" "$out_a")"
    # The model's schemas are the module directories schemactl writes, one per schema.
    schemas=()
    while IFS= read -r s; do schemas+=("$s"); done < <(
        find "$out_a" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort
    )
    [ "${#schemas[@]}" -gt 0 ] || die "schemactl wrote no schema module for $model"
    b="-"
    if [ "$with_sea" = 1 ]; then
        sea_deadline="$(awk -v n="$(now)" -v t="$sea_timeout" 'BEGIN { printf "%.6f", n + t }')"
        b="$(timed sea "$model" "$out_b")"
        sea_deadline=""
        mask <"$work/sea.log" >"$work/$label/sea-warmup-v.log"
        if [ "$b" = timeout ]; then
            local done_q slowest
            # The server does not notice a killed client while a query runs: cancel it.
            admin_psql -At -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = '$db' AND pid <> pg_backend_pid()" >/dev/null || true
            # Per table, sea-schema runs a columns query, then a constraints query over
            # information_schema.table_constraints, then an indexes query.
            done_q="$(grep -c 'elapsed_secs=.*' "$work/sea.log" | tr -d ' ' || true)"
            slowest="$(grep -oE 'elapsed_secs=[0-9.e-]+' "$work/sea.log" |
                cut -d= -f2 | sort -g | tail -n 3 | tr '\n' ' ' || true)"
            echo "sea-orm-cli did not finish within ${sea_timeout}s (schemas ${schemas[*]}, one after the other):"
            echo "  tables discovered: $(grep -c 'FROM \\"information_schema\\".\\"table_constraints\\"' "$work/sea.log" || true) constraint queries finished; $done_q queries logged"
            echo "  slowest queries (s): ${slowest:-none finished}"
            echo "  last schema started: $(grep -oE "SET search_path = '[^']*'" "$work/sea.log" | tail -n 1)"
            b="timeout"
        fi
    fi
    echo "schemactl ${a}s, sea-orm-cli ${b}$([ "$b" = timeout ] || [ "$b" = - ] || echo s) (schemas: ${schemas[*]})"

    echo "== $reps repetitions, alternating"
    printf '%4s  %14s  %16s\n' "rep" "schemactl (s)" "sea-orm-cli (s)"
    local ta=() tb=() b2
    for ((i = 1; i <= reps; i++)); do
        a="$(timed schemactl "$model" "$out_a")"
        if [ "$b" = timeout ] || [ "$b" = - ]; then
            b2="-"
        else
            b2="$(timed sea "$model" "$out_b")"
            tb+=("$b2")
        fi
        ta+=("$a")
        printf '%4d  %14s  %16s\n' "$i" "$a" "$b2"
    done
    echo "output: schemactl $(summary "$out_a"); sea-orm-cli $(summary "$out_b")"
    rm -rf "$keep/$label"
    mkdir -p "$keep/$label"
    cp -r "$out_a" "$keep/$label/schemactl"
    cp -r "$out_b" "$keep/$label/sea-orm-cli"
    cp "$work/$label/sea-warmup-v.log" "$keep/$label/" 2>/dev/null || true

    local am amin amax bm="$b" bmin="" bmax="" ratio="-"
    read -r am amin amax <<<"$(stats "${ta[@]}")"
    if [ "${#tb[@]}" -gt 0 ]; then
        read -r bm bmin bmax <<<"$(stats "${tb[@]}")"
        ratio="$(awk -v a="$am" -v b="$bm" 'BEGIN { printf "%.1fx", b / a }')"
    elif [ "$b" = timeout ]; then
        bm=">${sea_timeout}"
        ratio="$(awk -v a="$am" -v b="$sea_timeout" 'BEGIN { printf ">%.0fx", b / a }')"
    fi
    results+=("$label|${#schemas[@]}|$am|$amin|$amax|$bm|$bmin|$bmax|$ratio")
}

bench_model synthetic "$work/synthetic/model.yaml" 1
bench_model no-views "$work/no-views/model.yaml" 0
bench_model real "$repo_root/schema.yaml" 1
flock -u "$lock_fd" || true

echo
echo "== results ($reps repetitions, seconds, wall clock, whole processes)"
printf '%-10s  %7s  %-28s  %-28s  %s\n' "model" "schemas" "schemactl median (min-max)" \
    "sea-orm-cli median (min-max)" "sea-orm-cli/schemactl"
for r in "${results[@]}"; do
    IFS='|' read -r label ns am amin amax bm bmin bmax ratio <<<"$r"
    [ -n "$bmin" ] && bm="$bm ($bmin-$bmax)"
    printf '%-10s  %7s  %-28s  %-28s  %s\n' "$label" "$ns" "$am ($amin-$amax)" "$bm" "$ratio"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the cores)"
for r in "${results[@]:0:2}"; do
    IFS='|' read -r label _ am _ _ _ _ _ _ <<<"$r"
    verdict="$(awk -v m="$am" -v g="$goal" 'BEGIN { print (m < g) ? "PASS" : "MISS" }')"
    echo "schemactl on the 1,000-table model ($label): median ${am}s; goal < ${goal}s: $verdict"
done
echo "outputs kept in $keep/"
