#!/usr/bin/env bash
# Builds the wheels a terminal needs, for installing without internet access (government
# intranets): run it on a machine with the same OS and Python as the terminals, copy DIR and the
# source tree over, then: sudo installer/install.sh --wheelhouse DIR
#   installer/build-wheelhouse.sh DIR            the app and every dependency
#   installer/build-wheelhouse.sh --app-only DIR the app's wheel only (with install.sh --no-deps)
set -euo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
PYTHON=${PYTHON:-python3}
deps=()
if [ "${1:-}" = "--app-only" ]; then
    deps=(--no-deps)
    shift
fi
out=${1:?usage: build-wheelhouse.sh [--app-only] DIR}
mkdir -p "$out"
"$PYTHON" -m pip wheel --quiet --disable-pip-version-check "${deps[@]}" --wheel-dir "$out" "$SRC"
echo "build-wheelhouse.sh: $(find "$out" -name '*.whl' | wc -l) wheel(s) in $out"
