#!/usr/bin/env bash
# Removes what install.sh installed.
#   sudo installer/uninstall.sh           the app, the session, units, udev/PAM/polkit/journald
#                                         files; keeps /etc/hall-kiosk, /var/lib/hall-kiosk and
#                                         the kiosk user, so a reinstall finds its data and config
#   sudo installer/uninstall.sh --purge   also the config, the data (tickets, unsynced events!)
#                                         and the kiosk user
#   --prefix DIR / --dry-run              as for install.sh
set -euo pipefail

APP=hall-kiosk
KIOSK_USER=kiosk
UNIT=$APP.service
PREFIX=""
DRY_RUN=0
PURGE=0

say() { printf 'uninstall.sh: %s\n' "$*"; }
die() {
    printf 'uninstall.sh: error: %s\n' "$*" >&2
    exit 1
}
run() {
    printf '+'
    printf ' %q' "$@"
    printf '\n'
    [ "$DRY_RUN" -eq 1 ] || "$@"
}
T() { printf '%s%s' "$PREFIX" "$1"; }
staged() { [ -n "$PREFIX" ]; }
have() { command -v "$1" >/dev/null 2>&1; }
remove() { # remove PATH...: only what exists
    local p
    for p in "$@"; do
        if [ -e "$(T "$p")" ] || [ -L "$(T "$p")" ]; then run rm -rf "$(T "$p")"; fi
    done
}

while [ $# -gt 0 ]; do
    case $1 in
        --prefix)
            PREFIX=${2:?--prefix needs a directory}
            shift
            ;;
        --dry-run) DRY_RUN=1 ;;
        --purge) PURGE=1 ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
            exit 2
            ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
    shift
done
if [ -n "$PREFIX" ]; then
    [ -d "$PREFIX" ] || die "$PREFIX is not a directory"
    PREFIX=$(cd "$PREFIX" && pwd -P)
    [ "$PREFIX" != / ] || PREFIX=""
fi
if [ -z "$PREFIX" ] && [ "$DRY_RUN" -eq 0 ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root (sudo), or try it with --dry-run or --prefix DIR"
fi

if ! staged && [ -d /run/systemd/system ] && have systemctl; then
    # Stopping lets the app finish the ticket it is printing and flush its data.
    if systemctl is-active --quiet "$UNIT"; then run systemctl stop "$UNIT"; fi
    if systemctl is-enabled --quiet "$UNIT" 2>/dev/null; then run systemctl disable "$UNIT"; fi
fi

remove "/etc/systemd/system/$UNIT" "/etc/pam.d/$APP" \
    /etc/polkit-1/rules.d/49-hall-kiosk-pcscd.rules \
    /etc/systemd/journald.conf.d/50-hall-kiosk.conf \
    /etc/udev/rules.d/70-hall-kiosk.rules
if [ "$(readlink "$(T /usr/local/bin/kiosk)" 2>/dev/null)" = "/opt/$APP/current/venv/bin/kiosk" ]; then
    remove /usr/local/bin/kiosk
fi
remove "/opt/$APP"

if ! staged; then
    if [ -d /run/systemd/system ] && have systemctl; then run systemctl daemon-reload; fi
    if have udevadm; then run udevadm control --reload-rules; fi
fi

if [ "$PURGE" -eq 1 ]; then
    remove "/etc/$APP" "/var/lib/$APP"
    if ! staged && getent passwd "$KIOSK_USER" >/dev/null; then run userdel "$KIOSK_USER"; fi
    say "removed hall-kiosk, its configuration, its data and the $KIOSK_USER user"
else
    say "removed hall-kiosk; kept /etc/$APP, /var/lib/$APP and the $KIOSK_USER user (--purge removes them)"
fi
