#!/usr/bin/env bash
# Benchmark for issue 18: time to roll a 10-statement change out to 200 schema targets
# with `schemactl apply --fleet` at --parallel 1, 4 and 8, against a shell loop of
# `psql -1 -f change.sql` over the same 200 schemas, in the same run.
#
#   scripts/bench-fleet.sh                 3 timed repetitions per side (REPS=3)
#   REPS=5 TARGETS=200 scripts/bench-fleet.sh
#   SKIP_BUILD=1 scripts/bench-fleet.sh    reuse target/$PROFILE/schemactl as it is
#   PROFILE=debug scripts/bench-fleet.sh   the debug build (default: release)
#
# Steps:
#   1. build schemactl, start the project-local PostgreSQL 18 (SCHEMACTL_LOCAL_PORT);
#   2. create database bench_fleet with schemas t_001 … t_200, and a fleet file that
#      discovers them (`schemas: 't\_%'`);
#   3. roll tests/fleet/schema.yaml (the tenant model) out to every schema (untimed);
#   4. REPS times, alternating: for each --parallel P in 1, 4, 8, reset every schema to
#      schema.yaml (an untimed `apply --fleet --allow-hazard data-loss`), then time
#      `apply --fleet` with tests/fleet/schema_v2.yaml (the same plus 4 columns, 2
#      tables, 3 indexes and a comment); then reset and time the loop
#      `for s in schemas: PGOPTIONS=-csearch_path=$s psql -1 -f change.sql`, where
#      change.sql holds the same change as 10 hand-written statements;
#   5. after each timed run, check that all 200 schemas hold the change; then time the
#      rerun a resumed rollout makes (`apply --fleet --parallel 8` once more: every target
#      planned, all unchanged). A psql loop has no such run: rerun, it fails on the first
#      schema (`column "name" already exists`).
# Each timing is a whole process (or the whole loop) from start to exit, wall clock:
# schemactl's includes loading the model, discovering the targets, normalizing the model
# (its scratch database is built in step 3 and reused), and describing, planning and
# applying every target under its advisory lock; psql's includes 200 connections.
# Prints median/min/max per side and the ratio median(psql loop)/median(schemactl), with
# the load average before and after. Exits non-zero only when a step fails. The
# database bench_fleet is dropped at the end.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${REPS:-3}"
targets="${TARGETS:-200}"
profile="${PROFILE:-release}"
db="bench_fleet"
for v in "$reps" "$targets"; do
    if ! [[ "$v" =~ ^[1-9][0-9]*$ ]]; then
        echo "bench-fleet.sh: REPS and TARGETS must be positive integers, got '$v'" >&2
        exit 2
    fi
done

schemactl="$repo_root/target/$profile/schemactl"
psql="$repo_root/target/postgres/pg18/bin/psql"
v1="$repo_root/tests/fleet/schema.yaml"
v2="$repo_root/tests/fleet/schema_v2.yaml"
export SCHEMACTL_LOG="warn" NO_COLOR=1
unset SCHEMACTL_ADMIN_URL SCHEMACTL_SCHEMA DATABASE_URL PGSERVICE PGOPTIONS

work="$(mktemp -d "${TMPDIR:-/tmp}/bench-fleet.XXXXXX")"
admin_url=""

now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
mask() { sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#g'; }
admin_psql() { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$admin_url" "$@"; }
db_psql() { "$psql" -X -q -v ON_ERROR_STOP=1 -d "$BENCH_FLEET_URL" "$@"; }
die() {
    echo "bench-fleet.sh: $*" >&2
    exit 1
}
cleanup() {
    local status=$?
    if [ -n "$admin_url" ]; then
        admin_psql -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 ||
            echo "bench-fleet.sh: warning: could not drop $db" >&2
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

echo "== build"
if [ "${SKIP_BUILD:-0}" = 1 ]; then
    echo "SKIP_BUILD=1: using $schemactl as it is"
else
    flag=""
    [ "$profile" = release ] && flag="--release"
    (cd "$repo_root" && cargo build $flag --quiet -p schemactl) || die "cargo build failed"
fi
[ -x "$schemactl" ] || die "$schemactl not found"

echo "== local server"
(cd "$work" && "$schemactl" local start >/dev/null) || die "schemactl local start failed"
[ -x "$psql" ] || die "$psql not found (scripts/install-postgres.sh installs it)"
admin_url="$(cd "$work" && "$schemactl" local url)"
export BENCH_FLEET_URL="${admin_url%/*}/$db"
echo "server:  PostgreSQL $(admin_psql -At -c 'SHOW server_version') at $(printf '%s' "$admin_url" | mask)"
echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM"
echo "binary:  $schemactl ($profile)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== $targets schemas"
admin_psql -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null
db_psql -c "DO \$\$ BEGIN FOR i IN 1..$targets LOOP
              EXECUTE format('CREATE SCHEMA %I', 't_' || lpad(i::text, 3, '0'));
            END LOOP; END \$\$" >/dev/null
cat >"$work/fleets.yaml" <<'YAML'
fleets:
  bench:
    discover:
      - { url: "${BENCH_FLEET_URL}", schemas: "t\\_%" }
YAML
cat >"$work/change.sql" <<'SQL'
ALTER TABLE customers ADD COLUMN name text;
ALTER TABLE customers ADD COLUMN phone text;
CREATE INDEX customers_created_idx ON customers (created_at);
COMMENT ON TABLE orders IS 'One order of a customer';
ALTER TABLE orders ADD COLUMN note text;
CREATE INDEX orders_placed_idx ON orders (placed_at);
ALTER TABLE order_lines ADD COLUMN price numeric(10,2);
CREATE TABLE payments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id bigint REFERENCES orders (id) ON DELETE CASCADE, amount numeric(10,2));
CREATE INDEX payments_order_idx ON payments (order_id);
CREATE TABLE coupons (code text PRIMARY KEY, percent integer);
SQL
schemas=()
while IFS= read -r s; do schemas+=("$s"); done < <(db_psql -At -c \
    "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%' ORDER BY 1")

fleet() { (cd "$work" && "$schemactl" --schema "$1" "${@:2}" --fleet bench --fleets "$work/fleets.yaml"); }
reset() {
    fleet "$v1" apply --yes --parallel 8 --allow-hazard data-loss --format json >"$work/reset.json" ||
        die "resetting the fleet to schema.yaml failed: $(head -c 2000 "$work/reset.json")"
}
changed_schemas() {
    db_psql -At -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname LIKE 't\\_%' AND c.relname = 'coupons' AND c.relkind = 'r'"
}

echo "== initial rollout of schema.yaml (untimed)"
reset
[ "$(changed_schemas)" = 0 ] || die "the reset left the change behind"
fleet "$v2" drift --parallel 8 --format json >"$work/drift.json" || true
steps="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted({t["steps"] for t in d["targets"]}))' "$work/drift.json")"
echo "schemactl's plan per target: $steps step(s) (change.sql: 10 statements)"

declare -A times
for rep in $(seq 1 "$reps"); do
    for p in 1 4 8; do
        reset
        start="$(now)"
        fleet "$v2" apply --yes --parallel "$p" --format json >"$work/apply.json" ||
            die "apply --fleet --parallel $p failed: $(head -c 2000 "$work/apply.json")"
        t="$(elapsed "$start" "$(now)")"
        [ "$(changed_schemas)" = "$targets" ] || die "apply --parallel $p left schemas without the change"
        times[p$p]+="$t "
        echo "rep $rep: schemactl apply --fleet --parallel $p  ${t}s"
    done
    # The rerun a resumed rollout makes: every target planned again, all current.
    start="$(now)"
    fleet "$v2" apply --yes --parallel 8 --format json >"$work/rerun.json" || die "the rerun failed"
    t="$(elapsed "$start" "$(now)")"
    grep -q '"unchanged": '"$targets" "$work/rerun.json" || die "the rerun changed something"
    times[rerun]+="$t "
    echo "rep $rep: schemactl rerun, all current, --parallel 8  ${t}s"
    reset
    start="$(now)"
    for s in "${schemas[@]}"; do
        PGOPTIONS="-c search_path=$s" "$psql" -X -q -v ON_ERROR_STOP=1 -1 \
            -d "$BENCH_FLEET_URL" -f "$work/change.sql" >/dev/null || die "psql failed on $s"
    done
    t="$(elapsed "$start" "$(now)")"
    [ "$(changed_schemas)" = "$targets" ] || die "the psql loop left schemas without the change"
    times[psql]+="$t "
    echo "rep $rep: psql -1 -f loop                   ${t}s"
done

stats() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf "%.3f %.3f %.3f", m, a[1], a[NR] }'; }
echo "== results ($targets targets, $reps repetitions, load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg))"
read -r psql_median psql_min psql_max <<<"$(stats "${times[psql]}")"
printf '%-34s %8s %8s %8s %14s\n' side median min max "psql/schemactl"
for p in 1 4 8; do
    read -r median min max <<<"$(stats "${times[p$p]}")"
    ratio="$(awk -v a="$psql_median" -v b="$median" 'BEGIN { printf "%.2f", a / b }')"
    printf '%-34s %8s %8s %8s %14s\n' "schemactl apply --fleet --parallel $p" "$median" "$min" "$max" "$ratio"
done
printf '%-34s %8s %8s %8s %14s\n' "psql -1 -f loop (serial)" "$psql_median" "$psql_min" "$psql_max" "1.00"
read -r median min max <<<"$(stats "${times[rerun]}")"
printf '%-34s %8s %8s %8s %14s\n' "schemactl rerun, all current, -p 8" "$median" "$min" "$max" "(no psql peer)"
