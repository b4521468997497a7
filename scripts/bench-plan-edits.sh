#!/usr/bin/env bash
# Benchmark for issue 20: the first plan of an edited model, and the cost curves of `plan
# --database-url` (time and peak memory) at several model sizes, with the migra workflow
# (build the new schema with `psql -f`, then migra) as the peer in the same run.
#
#   scripts/bench-plan-edits.sh                          sizes 250 1000 4000 10000
#   SIZES="1000" VERSIONS=7 scripts/bench-plan-edits.sh  one size, 7 edited versions
#   REPS=5            warm no-op repetitions per size (default 5)
#   VERSIONS=5        edited versions per size, each planned once: a first plan (default 5)
#   MIGRA_AT="1000"   sizes at which the migra workflow runs ("" for none)
#   MIGRA_RUNS=3      migra workflow runs per such size (default 3)
#   SKIP_BUILD=1      reuse target/release/schemactl as it is
#
# Per size N (tables), from an empty cache directory of its own:
#   1. scripts/gen_synthetic_model.py --tables N --versions VERSIONS writes model.yaml (4
#      schemas, 10 columns and 2 secondary indexes per table, foreign keys, checks, 20
#      views, 20 policies) and model_v1..model_vK.yaml, each model.yaml with 10 scattered
#      edits of its own (added column, changed default, added and dropped index, changed
#      view, added check, changed comment, widened column);
#   2. model.yaml is provisioned into bench_edits_a (untimed);
#   3. cold: one `plan` of model.yaml with the empty cache (it builds the workspace database
#      and normalizes every unit);
#   4. warm no-op: REPS plans of model.yaml;
#   5. first plan after an edit: one plan of each model_vK.yaml against bench_edits_a, in
#      order, each the first plan of that version (its units differ from everything
#      planned before in about 10 places);
#   6. at MIGRA_AT sizes, the migra workflow for model_v1..: CREATE DATABASE, `psql -f` of
#      the version's create script (printed beforehand, untimed, by `schemactl plan`
#      without a database), `migra --unsafe bench_edits_a new`; timed as one, the new
#      database dropped after (untimed).
# Every run is a whole process, wall clock; peak memory is the maximum resident set size
# reported by /usr/bin/time. Prints a table per size and a summary table (markdown).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes="${SIZES:-250 1000 4000 10000}"
reps="${REPS:-5}"
versions="${VERSIONS:-5}"
migra_at="${MIGRA_AT-1000}"
migra_runs="${MIGRA_RUNS:-3}"
db_a="bench_edits_a"

schemactl="$repo_root/target/release/schemactl"
pg_bin="$repo_root/target/postgres/pg18/bin"
psql="$pg_bin/psql"
migra_dir="$repo_root/target/bench-venv/migra"

export BENCH_OWNER_PW="${BENCH_OWNER_PW:-bench-owner-pw}"
export SCHEMACTL_LOG="warn" NO_COLOR=1
unset SCHEMACTL_ADMIN_URL SCHEMACTL_SCHEMA DATABASE_URL PGSERVICE PGOPTIONS SCHEMACTL_DEV_URL

work="$(mktemp -d "${TMPDIR:-/tmp}/bench-plan-edits.XXXXXX")"
admin_url=""

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mask() { sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#g'; }
admin_psql() { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$admin_url" "$@"; }
die() {
    echo "bench-plan-edits.sh: $*" >&2
    exit 1
}
drop_db() { admin_psql -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null; }
scratch_list() {
    admin_psql -At -c "SELECT datname FROM pg_database
                        WHERE datname LIKE 'schemactl\\_scratch\\_%' ORDER BY 1"
}

scratch_before=""
cleanup() {
    local status=$?
    if [ -n "$admin_url" ]; then
        drop_db "$db_a" 2>/dev/null || true
        drop_db bench_edits_new 2>/dev/null || true
        # Scratch and workspace databases this run created (outside every timed run).
        local d
        for d in $(comm -13 <(printf '%s\n' "$scratch_before") <(scratch_list 2>/dev/null || true)); do
            drop_db "$d" 2>/dev/null || echo "warning: could not drop $d" >&2
        done
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

echo "== build"
if [ "${SKIP_BUILD:-0}" = 1 ]; then
    echo "SKIP_BUILD=1: using $schemactl as it is"
else
    (cd "$repo_root" && cargo build --release --quiet -p schemactl) || die "cargo build failed"
fi
[ -x "$schemactl" ] || die "$schemactl not found"
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is needed for peak memory"

echo "== local server"
(cd "$work" && "$schemactl" local start >/dev/null) || die "schemactl local start failed"
admin_url="$(cd "$work" && "$schemactl" local url)"
# Provisioning a model in one transaction locks every table, index and sequence it creates:
# 4,000 tables pass PostgreSQL's default lock table (max_locks_per_transaction 64 x
# max_connections) only when it is larger. The local server is disposable: raise it there.
locks="$(admin_psql -At -c 'SHOW max_locks_per_transaction')"
if [ "$locks" -lt 1024 ]; then
    echo "max_locks_per_transaction is $locks: setting 1024 on the local server and restarting it"
    admin_psql -c "ALTER SYSTEM SET max_locks_per_transaction = 1024"
    (cd "$work" && "$schemactl" local stop >/dev/null && "$schemactl" local start >/dev/null) ||
        die "restarting the local server failed"
fi
scratch_before="$(scratch_list)"
url_a="${admin_url%/*}/$db_a"
migra_base="postgresql://${admin_url#*://}"
migra_base="${migra_base%/*}"
echo "server:  PostgreSQL $(admin_psql -At -c 'SHOW server_version') at $(printf '%s' "$admin_url" | mask)"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM"
echo "uptime:  $(uptime)"

migra_ok=0
if [ -n "$migra_at" ]; then
    if ! PYTHONPATH="$migra_dir" python3 -c 'import migra, psycopg2, sqlalchemy' 2>/dev/null; then
        echo "installing migra into $migra_dir"
        rm -rf "$migra_dir"
        mkdir -p "$(dirname "$migra_dir")"
        python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
            --target "$migra_dir" migra psycopg2-binary 'sqlalchemy<2' >"$work/pip.log" 2>&1 ||
            echo "MIGRA UNAVAILABLE: $(tail -n 3 "$work/pip.log" | tr '\n' ' ')"
    fi
    PYTHONPATH="$migra_dir" python3 -c 'import migra, psycopg2, sqlalchemy' 2>/dev/null && migra_ok=1
fi

# Tests on the same server take this lock around every schemactl run.
lockfile="$repo_root/target/schemactl-tests.lock"
exec {lock_fd}>>"$lockfile"
flock -w 600 "$lock_fd" || echo "warning: $lockfile still held after 600 s" >&2

# measure OUT EXPECTED CMD...: runs CMD (stdout to OUT), checks its exit code, prints
# "seconds peak_MiB".
measure() {
    local out="$1" expected="$2"
    shift 2
    local t0 t1 rc=0
    t0="$(now)"
    /usr/bin/time -o "$out.time" -f '%M' "$@" </dev/null >"$out" 2>"$out.err" || rc=$?
    t1="$(now)"
    [ "$rc" = "$expected" ] || { mask <"$out.err" | tail -n 20 >&2; die "$* exited $rc, expected $expected"; }
    printf '%s %s\n' "$(elapsed "$t0" "$t1")" "$(tail -n 1 "$out.time" | awk '{ printf "%.0f", $1 / 1024 }')"
}
plan_cmd() { # plan_cmd MODEL CACHE
    echo env SCHEMACTL_CACHE_DIR="$2" "$schemactl" --schema "$1" plan --database-url "$url_a" --exit-code
}
stats() { # median min max of the arguments
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}
maxof() { printf '%s\n' "$@" | sort -g | tail -n 1; }

summary=()
for n in $sizes; do
    dir="$work/n$n"
    cache="$dir/cache"
    mkdir -p "$dir"
    echo
    echo "== $n tables"
    python3 "$repo_root/scripts/gen_synthetic_model.py" --out "$dir" --tables "$n" \
        --versions "$versions" --nonce "run $(date -u +%Y%m%dT%H%M%SZ)-$$-$n" >"$dir/stats.out" ||
        die "the model generator failed"
    cat "$dir/stats.out"
    (cd "$work" && "$schemactl" --schema "$dir/model.yaml" provision "$db_a" --admin-url "$admin_url" \
        --recreate --yes) </dev/null >"$dir/provision.log" 2>&1 ||
        { mask <"$dir/provision.log" | tail -n 20 >&2; die "provision failed"; }
    cd "$work"
    read -r cold_t cold_m <<<"$(measure "$dir/cold.sql" 0 $(plan_cmd "$dir/model.yaml" "$cache"))"
    grep -q 'no changes' "$dir/cold.sql" || die "the no-op plan is not empty"
    echo "cold no-op (empty cache, builds every unit): ${cold_t}s, ${cold_m} MiB"
    noop_t=()
    noop_m=()
    for ((i = 1; i <= reps; i++)); do
        read -r t m <<<"$(measure "$dir/noop.sql" 0 $(plan_cmd "$dir/model.yaml" "$cache"))"
        noop_t+=("$t")
        noop_m+=("$m")
        echo "warm no-op $i: ${t}s, ${m} MiB"
    done
    edit_t=()
    edit_m=()
    for ((v = 1; v <= versions; v++)); do
        read -r t m <<<"$(measure "$dir/edit$v.sql" 3 $(plan_cmd "$dir/model_v$v.yaml" "$cache"))"
        edit_t+=("$t")
        edit_m+=("$m")
        echo "first plan of version $v: ${t}s, ${m} MiB, $(grep -cE ';[[:space:]]*$' "$dir/edit$v.sql") statement lines"
    done
    migra_t=()
    if [ "$migra_ok" = 1 ] && [[ " $migra_at " == *" $n "* ]]; then
        for ((v = 1; v <= migra_runs && v <= versions; v++)); do
            "$schemactl" --schema "$dir/model_v$v.yaml" plan >"$dir/create_v$v.sql" 2>"$dir/create_v$v.err" ||
                die "create script of version $v failed"
            drop_db bench_edits_new
            t0="$(now)"
            admin_psql -c "CREATE DATABASE bench_edits_new OWNER bench_owner"
            "$psql" -X -q -v ON_ERROR_STOP=1 -d "${admin_url%/*}/bench_edits_new" -f "$dir/create_v$v.sql" >/dev/null
            rc=0
            PYTHONPATH="$migra_dir" python3 "$migra_dir/bin/migra" --unsafe \
                "$migra_base/$db_a" "$migra_base/bench_edits_new" >"$dir/migra$v.sql" 2>"$dir/migra$v.err" || rc=$?
            t1="$(now)"
            [ "$rc" = 2 ] || die "migra exited $rc: $(tail -n 5 "$dir/migra$v.err")"
            drop_db bench_edits_new
            migra_t+=("$(elapsed "$t0" "$t1")")
            echo "migra workflow, version $v (createdb + psql -f + migra): ${migra_t[-1]}s"
        done
    fi
    read -r nt_med nt_min nt_max <<<"$(stats "${noop_t[@]}")"
    read -r et_med et_min et_max <<<"$(stats "${edit_t[@]}")"
    nm_max="$(maxof "${noop_m[@]}")"
    em_max="$(maxof "${edit_m[@]}")"
    mig="-"
    ratio="-"
    if [ "${#migra_t[@]}" -gt 0 ]; then
        read -r mt_med mt_min mt_max <<<"$(stats "${migra_t[@]}")"
        mig="$mt_med ($mt_min–$mt_max)"
        ratio="$(awk -v a="$mt_med" -v b="$et_med" 'BEGIN { printf "%.1f×", a / b }')"
    fi
    summary+=("| $n | $cold_t | $cold_m | $nt_med ($nt_min–$nt_max) | $nm_max | $et_med ($et_min–$et_max) | $em_max | $mig | $ratio |")
    drop_db "$db_a"
done
flock -u "$lock_fd" || true

echo
echo "== summary (seconds, wall clock, whole processes; MiB: peak resident set)"
echo "| tables | cold plan (s) | cold MiB | warm no-op median (min–max) | no-op peak MiB | first plan after an edit median (min–max) | edit peak MiB | migra workflow median (min–max) | migra / first plan |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${summary[@]}"
echo
echo "warm no-op: $reps runs; first plan after an edit: $versions versions of 10 edits, each planned once"
echo "uptime at the end: $(uptime)"
