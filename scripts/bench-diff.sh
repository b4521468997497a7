#!/usr/bin/env bash
# Benchmark for issue 4: `schemactl plan --database-url` on a synthetic 1,000-table model,
# against migra (PyPI `migra`) between the same databases, in the same run.
#
#   scripts/bench-diff.sh              7 timed repetitions per side and case (REPS=7)
#   REPS=15 scripts/bench-diff.sh      more repetitions
#   COLD_REPS=5 scripts/bench-diff.sh  more cold plans (default 3)
#   SKIP_BUILD=1 scripts/bench-diff.sh reuse target/release/schemactl as it is
#
# Steps:
#   1. build the release binary, start the project-local PostgreSQL 18 (port 54318);
#   2. scripts/gen_synthetic_model.py writes model.yaml (4 schemas x 250 tables, 10,000
#      columns, 2,000 secondary indexes, ~1,200 FKs, 20 views, 20 policies) and
#      model_edited.yaml (the same with 50 scattered, non-destructive edits);
#   3. provision model.yaml into bench_diff_a and model_edited.yaml into bench_diff_b;
#   4. migra into target/bench-venv/migra (pip --target; SQLAlchemy pinned below 2, which
#      migra 3.0/sqlbag were written for), run with PYTHONPATH;
#   5. timings, each a whole process from start to exit, wall clock:
#      cold   `plan --database-url .../bench_diff_a` with model.yaml while its scratch
#             database does not exist (dropped, untimed, before each cold run) and with
#             an empty cache directory, so it includes loading the YAML, introspecting
#             and building the scratch database from the model's script;
#      no-op  the same plan with the scratch database in place (warm), REPS times, with
#             the on-disk cache (model, live catalog while its fingerprint holds,
#             normalized model) and without it (SCHEMACTL_CACHE_DIR=off), alternating
#             with `migra --unsafe bench_diff_a bench_diff_a`;
#      edit   `plan` with model_edited.yaml against bench_diff_a (warm, after one untimed
#             cold run that builds its scratch database), REPS times, with and without
#             the cache, alternating with `migra --unsafe bench_diff_a bench_diff_b`.
#      One untimed run of each migra case comes first.
# Prints median/min/max, the ratios median(migra)/median(schemactl), PASS/MISS against
# the goals (warm no-op plan < 1 s; >= 10x faster than migra), and the number of SQL
# statements each tool printed for the 50 edits. Exits non-zero only when a step fails,
# never for a MISS. bench_diff_a, bench_diff_b and this run's scratch databases are
# dropped at the end.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${REPS:-7}"
cold_reps="${COLD_REPS:-3}"
goal_abs="1.0"
goal_ratio="10"
db_a="bench_diff_a"
db_b="bench_diff_b"

for v in "$reps" "$cold_reps"; do
    if ! [[ "$v" =~ ^[1-9][0-9]*$ ]]; then
        echo "bench-diff.sh: REPS and COLD_REPS must be positive integers, got '$v'" >&2
        exit 2
    fi
done

schemactl="$repo_root/target/release/schemactl"
pg_bin="$repo_root/target/postgres/pg18/bin"
psql="$pg_bin/psql"
migra_dir="$repo_root/target/bench-venv/migra"

# Throwaway password of the model's only role; a value already in the environment is kept.
export BENCH_OWNER_PW="${BENCH_OWNER_PW:-bench-owner-pw}"
export SCHEMACTL_LOG="warn" NO_COLOR=1
unset SCHEMACTL_ADMIN_URL SCHEMACTL_SCHEMA DATABASE_URL PGSERVICE PGOPTIONS

# schemactl runs from an empty scratch directory, so that no .env file is picked up; the
# model and the server are always passed explicitly.
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-diff.XXXXXX")"
admin_url=""
our_scratches=()

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mask() { sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#g'; }
admin_psql() { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$admin_url" "$@"; }
die() {
    echo "bench-diff.sh: $*" >&2
    exit 1
}
scratch_list() {
    admin_psql -At -c "SELECT datname FROM pg_database
                        WHERE datname LIKE 'schemactl\\_scratch\\_%' ORDER BY 1"
}
drop_db() { admin_psql -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" >/dev/null; }

cleanup() {
    local status=$?
    if [ -n "$admin_url" ]; then
        local d
        for d in "$db_a" "$db_b" "${our_scratches[@]}"; do
            drop_db "$d" 2>/dev/null || echo "bench-diff.sh: warning: could not drop $d" >&2
            drop_db "${d}_building" 2>/dev/null || true
        done
        # The role exists for this benchmark only; it stays if anything still uses it.
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
[ -x "$psql" ] || die "$psql not found (scripts/install-postgres.sh installs it)"
admin_url="$(cd "$work" && "$schemactl" local url)"
server_version="$(admin_psql -At -c "SHOW server_version")"
url_a="${admin_url%/*}/$db_a"
url_b="${admin_url%/*}/$db_b"
# SQLAlchemy (under migra) wants the postgresql:// scheme, not postgres://.
migra_base="postgresql://${admin_url#*://}"
migra_base="${migra_base%/*}"
echo "server:  PostgreSQL $server_version at $(printf '%s' "$admin_url" | mask)"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------
echo "== model"
nonce="run $(date -u +%Y%m%dT%H%M%SZ)-$$"
python3 "$repo_root/scripts/gen_synthetic_model.py" --out "$work" --nonce "$nonce" ||
    die "the model generator failed"
model="$work/model.yaml"
edited="$work/model_edited.yaml"
echo "edits ($(wc -l <"$work/edits.txt")):"
sed 's/^/  /' "$work/edits.txt"
(cd "$work" && "$schemactl" --schema "$model" validate >/dev/null &&
    "$schemactl" --schema "$edited" validate >/dev/null) || die "the generated model is invalid"

echo "== migra"
migra_ok=1
migra_why=""
if ! PYTHONPATH="$migra_dir" python3 -c 'import migra, psycopg2, sqlalchemy' 2>/dev/null; then
    echo "installing migra into $migra_dir"
    rm -rf "$migra_dir"
    mkdir -p "$(dirname "$migra_dir")"
    if ! python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
        --target "$migra_dir" migra psycopg2-binary 'sqlalchemy<2' >"$work/pip.log" 2>&1; then
        migra_ok=0
        migra_why="pip install failed: $(tail -n 3 "$work/pip.log" | tr '\n' ' ')"
    fi
fi
if [ "$migra_ok" = 1 ]; then
    PYTHONPATH="$migra_dir" python3 - <<'EOF' || true
import importlib.metadata as m
print("migra versions: " + ", ".join(
    f"{p} {m.version(p)}" for p in ("migra", "schemainspect", "sqlbag", "SQLAlchemy", "psycopg2-binary")))
EOF
fi

# ---------------------------------------------------------------------------------------
# Tests on the same server take this lock around every schemactl run (cli/tests/suite/common_pg);
# holding it keeps their runs (which may drop other scratch databases) out of ours.
lockfile="$repo_root/target/schemactl-tests.lock"
exec {lock_fd}>>"$lockfile"
if ! flock -w 600 "$lock_fd"; then
    echo "warning: $lockfile still held after 600 s; measuring without it" >&2
fi

echo "== provision"
provision() { # provision MODEL DB
    local t0
    t0="$(now)"
    (cd "$work" && "$schemactl" --schema "$1" provision "$2" --admin-url "$admin_url" \
        --recreate --yes) </dev/null >"$work/provision-$2.log" 2>&1 ||
        { mask <"$work/provision-$2.log" | tail -n 30 >&2; die "provision $2 failed"; }
    echo "$2: provisioned in $(elapsed "$t0" "$(now)")s"
}
provision "$model" "$db_a"
provision "$edited" "$db_b"

size="$("$psql" -X -At -F ' ' -v ON_ERROR_STOP=1 -d "$url_a" -c "
  WITH s AS (SELECT oid FROM pg_namespace WHERE nspname IN ('sales','inventory','billing','support'))
  SELECT
    (SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace IN (SELECT oid FROM s)),
    (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relkind = 'r' AND c.relnamespace IN (SELECT oid FROM s) AND a.attnum > 0 AND NOT a.attisdropped),
    (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relnamespace IN (SELECT oid FROM s)),
    (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relnamespace IN (SELECT oid FROM s) AND i.indisprimary),
    (SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND connamespace IN (SELECT oid FROM s)),
    (SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND connamespace IN (SELECT oid FROM s)),
    (SELECT count(*) FROM pg_class WHERE relkind = 'v' AND relnamespace IN (SELECT oid FROM s)),
    (SELECT count(*) FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace IN (SELECT oid FROM s)),
    (SELECT count(*) FROM pg_class WHERE relkind = 'S' AND relnamespace IN (SELECT oid FROM s)),
    pg_size_pretty(pg_database_size(current_database()))")"
read -r n_tab n_col n_idx n_pk n_fk n_chk n_view n_pol n_seq db_size <<<"$size"
echo "$db_a: $n_tab tables, $n_col columns, $n_idx indexes ($n_pk primary keys, $((n_idx - n_pk)) others), $n_fk foreign keys, $n_chk checks, $n_view views, $n_pol policies, $n_seq identity sequences, $db_size"

# ---------------------------------------------------------------------------------------
# A run of one side; its output goes to FILE; it must exit with one of the expected codes.
# CACHE is the cache directory of the run (SCHEMACTL_CACHE_DIR): "$work/cache" for warm
# runs, a new empty directory for cold ones, "off" for runs without the on-disk cache.
run_plan() { # run_plan MODEL OUT EXPECTED CACHE
    local rc=0
    (cd "$work" && SCHEMACTL_CACHE_DIR="$4" "$schemactl" --schema "$1" plan --database-url "$url_a" --exit-code) \
        </dev/null >"$2" 2>"$2.err" || rc=$?
    [ "$rc" = "$3" ] || { mask <"$2.err" | tail -n 30 >&2; die "plan exited $rc, expected $3"; }
}
run_migra() { # run_migra FROM TO OUT EXPECTED
    local rc=0
    PYTHONPATH="$migra_dir" python3 "$migra_dir/bin/migra" --unsafe \
        "$migra_base/$1" "$migra_base/$2" </dev/null >"$3" 2>"$3.err" || rc=$?
    [ "$rc" = "$4" ] || return 1
}
# timed CMD ARGS...: prints the wall-clock seconds of one run.
timed() {
    local start
    start="$(now)"
    "$@" || return 1
    elapsed "$start" "$(now)"
}

echo "== migra check"
if [ "$migra_ok" = 1 ]; then
    if ! run_migra "$db_a" "$db_b" "$work/migra-edit.sql" 2; then
        migra_ok=0
        migra_why="migra $db_a -> $db_b failed: $(mask <"$work/migra-edit.sql.err" | tail -n 5 | tr '\n' ' ')"
    elif ! run_migra "$db_a" "$db_a" "$work/migra-noop.sql" 0; then
        migra_ok=0
        migra_why="migra $db_a -> $db_a failed: $(mask <"$work/migra-noop.sql.err" | tail -n 5 | tr '\n' ' ')"
    fi
fi
if [ "$migra_ok" = 1 ]; then
    echo "migra runs (the untimed warm-up of each migra case)"
else
    echo "MIGRA UNAVAILABLE: $migra_why"
fi

# ---------------------------------------------------------------------------------------
echo "== cold no-op plan ($cold_reps runs; each builds the scratch database first, empty cache)"
cold_times=()
scratch_a=""
for ((i = 1; i <= cold_reps; i++)); do
    [ -z "$scratch_a" ] || drop_db "$scratch_a"
    before="$(scratch_list)"
    t="$(timed run_plan "$model" "$work/noop.sql" 0 "$work/cold-cache-$i")"
    after="$(scratch_list)"
    new="$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | head -n 1)"
    [ -n "$new" ] || die "the cold plan built no new scratch database (was it cold?)"
    scratch_a="$new"
    our_scratches+=("$scratch_a")
    cold_times+=("$t")
    echo "cold $i: ${t}s (built $scratch_a)"
done
grep -q 'no changes' "$work/noop.sql" || die "the no-op plan is not empty"

# warm_mark NAME: a warm run needs its scratch database; says so when a concurrent run
# dropped it (that repetition then is a cold one and is marked).
warm_mark() {
    if admin_psql -At -c "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; then
        echo ""
    else
        echo "(cold: scratch was gone)"
    fi
}

# The warm runs share one cache directory; this untimed run fills it.
run_plan "$model" "$work/noop.sql" 0 "$work/cache"
echo "== warm no-op: $reps repetitions, alternating; 'no cache' is SCHEMACTL_CACHE_DIR=off"
printf '%4s  %16s  %16s  %16s\n' "rep" "schemactl (s)" "no cache (s)" "migra a->a (s)"
noop_s=()
noop_u=()
noop_m=()
for ((i = 1; i <= reps; i++)); do
    mark="$(warm_mark "$scratch_a")"
    s="$(timed run_plan "$model" "$work/noop.sql" 0 "$work/cache")"
    u="$(timed run_plan "$model" "$work/noop.sql" 0 off)"
    noop_u+=("$u")
    m="-"
    if [ "$migra_ok" = 1 ]; then
        m="$(timed run_migra "$db_a" "$db_a" "$work/migra-noop.sql" 0)" ||
            die "migra no-op failed: $(mask <"$work/migra-noop.sql.err" | tail -n 5)"
        noop_m+=("$m")
    fi
    noop_s+=("$s")
    printf '%4d  %16s  %16s  %16s  %s\n' "$i" "$s" "$u" "$m" "$mark"
done

echo "== plan after 50 edits"
before="$(scratch_list)"
edit_cold="$(timed run_plan "$edited" "$work/edit.sql" 3 "$work/cache")"
after="$(scratch_list)"
scratch_b="$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | head -n 1)"
[ -n "$scratch_b" ] && our_scratches+=("$scratch_b")
echo "cold (untimed in the results): ${edit_cold}s (built ${scratch_b:-nothing})"
printf '%4s  %16s  %16s  %16s\n' "rep" "schemactl (s)" "no cache (s)" "migra a->b (s)"
edit_s=()
edit_u=()
edit_m=()
for ((i = 1; i <= reps; i++)); do
    mark="$(warm_mark "${scratch_b:-none}")"
    s="$(timed run_plan "$edited" "$work/edit.sql" 3 "$work/cache")"
    u="$(timed run_plan "$edited" "$work/edit.sql" 3 off)"
    edit_u+=("$u")
    m="-"
    if [ "$migra_ok" = 1 ]; then
        m="$(timed run_migra "$db_a" "$db_b" "$work/migra-edit.sql" 2)" ||
            die "migra a->b failed: $(mask <"$work/migra-edit.sql.err" | tail -n 5)"
        edit_m+=("$m")
    fi
    edit_s+=("$s")
    printf '%4d  %16s  %16s  %16s  %s\n' "$i" "$s" "$u" "$m" "$mark"
done
flock -u "$lock_fd" || true

# ---------------------------------------------------------------------------------------
# Statements: lines that end a statement (`;` at the end of a line), without schemactl's
# BEGIN/COMMIT; bodies of the views in these plans have no `;` of their own.
count_statements() { grep -cE ';[[:space:]]*$' "$1" || true; }
s_stmt="$(grep -vE '^(BEGIN|COMMIT);' "$work/edit.sql" | grep -cE ';[[:space:]]*$' || true)"
s_setlocal="$(grep -cE '^SET LOCAL ' "$work/edit.sql" || true)"
s_comment="$(grep -cE '^COMMENT ON ' "$work/edit.sql" || true)"
s_conc="$(grep -cE '^(CREATE|DROP) INDEX CONCURRENTLY ' "$work/edit.sql" || true)"
echo "== statements for the 50 edits"
echo "schemactl: $s_stmt statements besides BEGIN/COMMIT ($s_setlocal SET LOCAL search_path, $s_comment COMMENT ON, $s_conc CONCURRENTLY outside the transaction)"
if [ "$migra_ok" = 1 ]; then
    m_stmt="$(count_statements "$work/migra-edit.sql")"
    m_comment="$(grep -ciE '^comment on ' "$work/migra-edit.sql" || true)"
    echo "migra:     $m_stmt statements ($m_comment COMMENT ON)"
    [ "$m_stmt" -gt 0 ] || echo "WARNING: migra produced no statement for the 50 edits"
fi
[ "$s_stmt" -gt 0 ] || echo "WARNING: schemactl produced no statement for the 50 edits"

stats() {
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END {
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.3f %.3f %.3f\n", m, v[1], v[NR]
        }'
}
read -r cold_med cold_min cold_max <<<"$(stats "${cold_times[@]}")"
read -r ns_med ns_min ns_max <<<"$(stats "${noop_s[@]}")"
read -r es_med es_min es_max <<<"$(stats "${edit_s[@]}")"
read -r nu_med nu_min nu_max <<<"$(stats "${noop_u[@]}")"
read -r eu_med eu_min eu_max <<<"$(stats "${edit_u[@]}")"

echo "== results (seconds, wall clock, whole processes)"
printf '%-44s  %5s  %8s  %8s  %8s\n' "case" "runs" "median" "min" "max"
printf '%-44s  %5s  %8s  %8s  %8s\n' "schemactl plan, no-op, cold (builds scratch)" "$cold_reps" "$cold_med" "$cold_min" "$cold_max"
printf '%-44s  %5s  %8s  %8s  %8s\n' "schemactl plan, no-op, warm" "$reps" "$ns_med" "$ns_min" "$ns_max"
printf '%-44s  %5s  %8s  %8s  %8s\n' "schemactl plan, no-op, warm, no cache" "$reps" "$nu_med" "$nu_min" "$nu_max"
printf '%-44s  %5s  %8s  %8s  %8s\n' "schemactl plan, 50 edits, cold (1 run)" "1" "$edit_cold" "$edit_cold" "$edit_cold"
printf '%-44s  %5s  %8s  %8s  %8s\n' "schemactl plan, 50 edits, warm" "$reps" "$es_med" "$es_min" "$es_max"
printf '%-44s  %5s  %8s  %8s  %8s\n' "schemactl plan, 50 edits, warm, no cache" "$reps" "$eu_med" "$eu_min" "$eu_max"
if [ "$migra_ok" = 1 ]; then
    read -r nm_med nm_min nm_max <<<"$(stats "${noop_m[@]}")"
    read -r em_med em_min em_max <<<"$(stats "${edit_m[@]}")"
    printf '%-44s  %5s  %8s  %8s  %8s\n' "migra, no-op (a -> a)" "$reps" "$nm_med" "$nm_min" "$nm_max"
    printf '%-44s  %5s  %8s  %8s  %8s\n' "migra, 50 edits (a -> b)" "$reps" "$em_med" "$em_min" "$em_max"
fi
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the cores)"
verdict_abs="$(awk -v a="$ns_med" -v g="$goal_abs" 'BEGIN { print (a < g) ? "PASS" : "MISS" }')"
echo "warm no-op plan median ${ns_med}s; goal < ${goal_abs}s: $verdict_abs"
if [ "$migra_ok" = 1 ]; then
    r_noop="$(awk -v a="$nm_med" -v b="$ns_med" 'BEGIN { printf "%.2f", a / b }')"
    r_edit="$(awk -v a="$em_med" -v b="$es_med" 'BEGIN { printf "%.2f", a / b }')"
    r_cold="$(awk -v a="$nm_med" -v b="$cold_med" 'BEGIN { printf "%.2f", a / b }')"
    verdict_ratio="$(awk -v r="$r_noop" -v g="$goal_ratio" 'BEGIN { print (r >= g) ? "PASS" : "MISS" }')"
    echo "ratio median(migra)/median(schemactl), no-op (warm):  ${r_noop}x; goal >= ${goal_ratio}x: $verdict_ratio"
    echo "ratio median(migra)/median(schemactl), 50 edits (warm): ${r_edit}x"
    r_noop_u="$(awk -v a="$nm_med" -v b="$nu_med" 'BEGIN { printf "%.2f", a / b }')"
    r_edit_u="$(awk -v a="$em_med" -v b="$eu_med" 'BEGIN { printf "%.2f", a / b }')"
    echo "ratio median(migra)/median(schemactl), no cache: no-op ${r_noop_u}x, 50 edits ${r_edit_u}x"
    echo "ratio median(migra no-op)/median(schemactl cold no-op): ${r_cold}x"
else
    echo "ratios: n/a ($migra_why)"
fi
