#!/usr/bin/env bash
# Sets up Mosquitto on the hall's host box for the hall bus (docs/hall-bus.md): persistence,
# one broker user per terminal, the ACL from the terminal list, TLS if asked. Idempotent.
#
#   sudo installer/hall-broker.sh TERMINALS.toml [--port N] [--tls CERT KEY CA] [--prefix DIR] [--dry-run]
#
# TERMINALS.toml (keep it 0600; the passwords are each terminal's broker password, given to
# that terminal with `kiosk provision --broker-password-file`):
#   hall = "H-0001"
#   [[terminal]]
#   id = "T-0001"
#   role = "host"          # host | ticket | counter | self_service | display
#   password = "…"
#
# Writes /etc/mosquitto/hall-kiosk/{mosquitto.conf,passwd,acl}, persistence in
# /var/lib/mosquitto/hall-kiosk, and a systemd drop-in that runs mosquitto on that config.
set -euo pipefail

PREFIX=""
DRY_RUN=0
PORT=1883
TLS=()
KIOSK=${KIOSK:-/usr/local/bin/kiosk}

say() { printf 'hall-broker.sh: %s\n' "$*"; }
die() {
    printf 'hall-broker.sh: %s\n' "$*" >&2
    exit 2
}
run() {
    if [ "$DRY_RUN" -eq 1 ]; then
        printf 'would run: %s\n' "$*"
    else
        "$@"
    fi
}
staged() { [ -n "$PREFIX" ]; }

[ $# -ge 1 ] || die "usage: hall-broker.sh TERMINALS.toml [--port N] [--tls CERT KEY CA] [--prefix DIR] [--dry-run]"
TERMINALS=$1
shift
while [ $# -gt 0 ]; do
    case "$1" in
        --port)
            PORT=${2:?--port needs a number}
            shift
            ;;
        --tls)
            [ $# -ge 4 ] || die "--tls needs CERT KEY CA"
            TLS=(--tls "$2" "$3" "$4")
            shift 3
            ;;
        --prefix)
            PREFIX=${2:?--prefix needs a directory}
            shift
            ;;
        --dry-run) DRY_RUN=1 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
[ -f "$TERMINALS" ] || die "$TERMINALS: no such file"
[ -x "$KIOSK" ] || die "$KIOSK not found (install the kiosk first, or set KIOSK=)"
if ! staged && [ "$DRY_RUN" -eq 0 ]; then
    [ "$(id -u)" -eq 0 ] || die "run as root"
    command -v mosquitto >/dev/null 2>&1 || die "mosquitto is not installed (apt-get install mosquitto)"
fi

CONF_DIR=$PREFIX/etc/mosquitto/hall-kiosk
DATA_DIR=$PREFIX/var/lib/mosquitto/hall-kiosk
DROPIN=$PREFIX/etc/systemd/system/mosquitto.service.d/hall-kiosk.conf

run "$KIOSK" hall broker-config "$TERMINALS" --out "$CONF_DIR" --port "$PORT" --bind 0.0.0.0 \
    --data-dir "$DATA_DIR" --journal "${TLS[@]}"
run mkdir -p "$(dirname "$DROPIN")"
if [ "$DRY_RUN" -eq 1 ]; then
    printf 'would write: %s\n' "$DROPIN"
else
    printf '%s\n' "# written by installer/hall-broker.sh: the hall bus broker (docs/hall-bus.md)" \
        "[Service]" "ExecStart=" "ExecStart=/usr/sbin/mosquitto -c /etc/mosquitto/hall-kiosk/mosquitto.conf" \
        > "$DROPIN"
fi
if staged; then
    say "staged under $PREFIX (no ownership, no systemctl)"
    exit 0
fi
run chown root:mosquitto "$CONF_DIR/passwd" "$CONF_DIR/acl"
run chmod 0640 "$CONF_DIR/passwd" "$CONF_DIR/acl"
run chown -R mosquitto:mosquitto "$DATA_DIR"
if [ -d /run/systemd/system ]; then
    run systemctl daemon-reload
    run systemctl enable mosquitto
    run systemctl restart mosquitto
fi
say "mosquitto serves the hall bus on port $PORT"
