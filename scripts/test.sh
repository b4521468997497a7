#!/usr/bin/env bash
# Every check and test of the project, as CI runs it: formatting, lints, and the whole
# test suite against the project-local PostgreSQL 18 + pgvector (installed on first use),
# in a test cluster of its own.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/install-postgres.sh --pg16
# Both builds' pgvector on an emulated CPU without AVX-512 (the workplace's machines).
scripts/check-pgvector-cpu.sh
# The sentence model the semantic-search test embeds with.
scripts/install-python-deps.sh
scripts/build-test-image.sh --pg16
cargo fmt --all -- --check
# The DuckDB flavour (crates/duckdb, the CLI's `duckdb` feature, off by default) compiles
# DuckDB's C++ once (about 10 minutes on 2 cores, decision 25); its tests run here.
features=(--features schemactl/duckdb)
cargo clippy --workspace --all-targets "${features[@]}" -- -D warnings
cargo build --workspace --all-targets "${features[@]}"
# Tests run on their own cluster (target/schemactl-pg/pg18-tests); the developer's stays as
# it is: no database created there, no role password reset, not started when stopped.
mkdir -p target
scripts/check-dev-cluster.sh snapshot target/dev-cluster-before-tests.txt
status=0
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace "${features[@]}" --no-fail-fast || status=$?
else
    cargo test --workspace "${features[@]}" --no-fail-fast || status=$?
fi
scripts/check-dev-cluster.sh compare target/dev-cluster-before-tests.txt
# nextest runs no doc tests.
cargo test --doc --workspace "${features[@]}" || status=$?
exit "$status"
