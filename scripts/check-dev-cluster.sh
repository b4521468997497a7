#!/usr/bin/env bash
# The test suite must leave the developer's project-local cluster (the one `schemactl
# provision` uses by default) alone: tests run on their own cluster (pg18-tests).
#
#   scripts/check-dev-cluster.sh snapshot FILE   record its state before the tests
#   scripts/check-dev-cluster.sh compare FILE    fail when the tests changed it
#
# The state: whether it runs; when it does, its databases, how many databases were created
# or dropped (from its log), and every role with a hash of its password, so a test that
# created a database there, even one it dropped again, or reset a role's password (the
# DBA's .env logins would then fail) is caught. A stopped cluster must still be stopped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode="${1:?usage: check-dev-cluster.sh snapshot|compare FILE}"
file="${2:?usage: check-dev-cluster.sh snapshot|compare FILE}"
schemactl=target/debug/schemactl
[ -x "$schemactl" ] || cargo build -q -p schemactl

state() {
    local status
    status="$("$schemactl" local status 2>/dev/null || true)"
    case "$status" in
    running*) ;;
    *)
        echo "stopped"
        return
        ;;
    esac
    local url psql log
    url="$("$schemactl" local url)"
    psql="target/postgres/pg18/bin/psql"
    log="$(sed -n 's/^log: *//p' <<<"$status")"
    echo "running"
    # CREATE and DROP DATABASE force an immediate checkpoint, which the server logs: a
    # database created and dropped again by a test still shows here.
    echo "database creations and drops logged: $(grep -c 'checkpoint starting: immediate force wait' "$log" || true)"
    "$psql" "$url" -X -q -A -t -v ON_ERROR_STOP=1 -c \
        "SELECT 'database ' || datname FROM pg_database ORDER BY 1" -c \
        "SELECT 'role ' || rolname || ' ' || md5(coalesce(rolpassword, '')) FROM pg_authid ORDER BY 1"
}

case "$mode" in
snapshot) state >"$file" ;;
compare)
    after="$(state)"
    if [ "$after" != "$(cat "$file")" ]; then
        echo "error: the tests changed the developer's local cluster ($("$schemactl" local status | sed -n 's/^data dir: *//p')):" >&2
        diff <(cat "$file") <(echo "$after") | sed 's/^/  /' >&2 || true
        exit 1
    fi
    echo "the developer's local cluster is as it was before the tests ($(head -n 1 "$file"))"
    ;;
*)
    echo "usage: check-dev-cluster.sh snapshot|compare FILE" >&2
    exit 2
    ;;
esac
