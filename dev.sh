#!/usr/bin/env bash
# The README's two commands:
#   ./dev.sh demo [hall] [--windowed] [--exit-after S]   set up, then start the demo kiosk
#                                                 (hall: with a counter and a hall display on a local Mosquitto)
#   ./dev.sh test [pytest args]                   set up, then lint, type-check and run every test
# Each installs what it needs: Debian packages (when root on Debian/Ubuntu; otherwise it prints
# the exact apt-get line), a virtual environment in .venv, and the Python packages.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY=${PYTHON:-python3}

packages() { # $1 = section names (runtime / runtime dev)
    local want=" $1 " section="" line
    while IFS= read -r line; do
        line=${line%%#*}
        line=${line//[[:space:]]/}
        [ -z "$line" ] && continue
        if [[ $line == \[*\] ]]; then section=${line:1:-1}; continue; fi
        [[ $want == *" $section "* ]] && printf '%s\n' "$line"
    done < "$ROOT/installer/debian-packages.txt"
}

system_packages() {
    command -v dpkg-query >/dev/null 2>&1 || {
        echo "dev.sh: not a Debian/Ubuntu system; install the equivalents of installer/debian-packages.txt" >&2
        return 0
    }
    local missing=() p
    while IFS= read -r p; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done < <(packages "$1")
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "dev.sh: installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "dev.sh: these system packages are missing; install them, then run this again:" >&2
        echo "  sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
}

python_env() {
    local stamp="$VENV/.hall-kiosk-installed" want
    [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
    want=$(cat setup.cfg pyproject.toml | sha256sum | cut -c1-16)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        echo "dev.sh: installing Python packages into .venv"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        "$VENV/bin/python" -m pip install -q -e ".[dev]"
        echo "$want" > "$stamp"
    fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
    demo)
        system_packages "runtime dev"
        python_env
        if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
            echo "dev.sh: no display found; the demo runs offscreen (see 'kiosk screenshots DIR' to look at it)"
            export QT_QPA_PLATFORM=offscreen
        fi
        exec "$VENV/bin/kiosk" demo "$@"
        ;;
    test)
        system_packages "runtime dev"
        python_env
        export QT_QPA_PLATFORM=offscreen
        echo "== ruff"; "$VENV/bin/ruff" check .
        echo "== mypy"; "$VENV/bin/mypy"
        echo "== pytest"
        set +e
        "$VENV/bin/python" -m pytest "$@"
        rc=$?
        set -e
        # 5 = no tests collected: only acceptable while the suite is empty.
        [ $rc -eq 5 ] && { echo "dev.sh: no tests were collected" >&2; exit 1; }
        exit $rc
        ;;
    *)
        echo "usage: ./dev.sh demo [hall] [--windowed] [--exit-after SECONDS] | ./dev.sh test [pytest args]" >&2
        exit 2
        ;;
esac
