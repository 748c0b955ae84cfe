#!/usr/bin/env bash
# Makes a bare Debian 12 / Ubuntu 24.04 PC into a hall-kiosk terminal, or updates one.
# Idempotent: run it again after changing anything; what is already right is left alone.
#
#   sudo installer/install.sh [options]       install or update from this source tree
#   sudo installer/install.sh --rollback [V]  switch back to the previous (or the named) version
#   installer/install.sh --list               the installed versions
#
# Options:
#   --prefix DIR      stage everything under DIR instead of / (no packages, user, systemctl or
#                     udevadm; files are byte-for-byte what a real install writes). For tests.
#   --dry-run         print every action, change nothing
#   --wheelhouse DIR  install Python packages from DIR only (no network; make DIR with
#                     installer/build-wheelhouse.sh on a machine with internet access)
#   --no-deps         install the app without its Python dependencies (layout tests only)
#   --python PY       interpreter for the venv (default: python3)
#   --version NAME    name of the version directory (default: <app version>-<source hash>)
#   --devices FILE    device names for the udev rules (default: /etc/hall-kiosk/devices.conf,
#                     created from installer/devices.conf on first install)
#   --keep N          old versions kept besides current and previous (default 2)
#   --no-packages     do not apt-get install the [runtime] packages
#   --start           start the kiosk session now (default: at next boot; an update restarts
#                     a running session)
#
# Layout: /opt/hall-kiosk/<version>/{venv,bin,installer}, /opt/hall-kiosk/current -> <version>
# (and previous -> the one before), /etc/hall-kiosk/{terminal.toml,devices.conf,secret},
# /var/lib/hall-kiosk (data), /etc/systemd/system/hall-kiosk.service, /etc/pam.d/hall-kiosk,
# /etc/udev/rules.d/70-hall-kiosk.rules, /etc/polkit-1/rules.d/49-hall-kiosk-pcscd.rules,
# /etc/systemd/journald.conf.d/50-hall-kiosk.conf, /usr/local/bin/kiosk.
set -euo pipefail
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
SRC=$(dirname "$HERE")
APP=hall-kiosk
KIOSK_USER=kiosk
OPT=/opt/$APP
ETC=/etc/$APP
DATA=/var/lib/$APP
UNIT=$APP.service
USER_GROUPS=(video input render audio dialout lp)

PREFIX=""
DRY_RUN=0
WHEELHOUSE=""
NO_DEPS=0
PYTHON=python3
VERSION=""
DEVICES=""
KEEP=2
PACKAGES=1
START=0
ACTION=install
ROLLBACK_TO=""

say() { printf 'install.sh: %s\n' "$*"; }
die() {
    printf 'install.sh: error: %s\n' "$*" >&2
    exit 1
}
usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

# Every change goes through run (commands) or put (files), so --dry-run shows all of them.
run() {
    printf '+'
    printf ' %q' "$@"
    printf '\n'
    [ "$DRY_RUN" -eq 1 ] || "$@"
}
T() { printf '%s%s' "$PREFIX" "$1"; } # a target path, under --prefix when staging
staged() { [ -n "$PREFIX" ]; }
CHANGED=()
put() { # put MODE SOURCE_FILE TARGET_PATH: install when different; records what changed
    local mode=$1 from=$2 to=$3
    if [ -f "$(T "$to")" ] && cmp -s "$from" "$(T "$to")"; then
        chmod_if "$mode" "$(T "$to")"
        return 0
    fi
    run install -D -m "$mode" "$from" "$(T "$to")"
    CHANGED+=("$to")
}
chmod_if() {
    if [ "$(stat -c %a "$2")" != "${1#0}" ]; then run chmod "$1" "$2"; fi
}
changed() { # changed PATH...: was any of them written in this run?
    local c p
    for p in "$@"; do
        for c in "${CHANGED[@]+"${CHANGED[@]}"}"; do [ "$c" = "$p" ] && return 0; done
    done
    return 1
}
own() { # own USER:GROUP PATH: chown on a real system (staging has no kiosk user)
    staged && return 0
    if [ "$(stat -c %U:%G "$2" 2>/dev/null)" != "$1" ]; then run chown "$1" "$2"; fi
}
mkdir_m() { # mkdir_m MODE PATH
    if [ ! -d "$(T "$2")" ]; then run install -d -m "$1" "$(T "$2")"; else chmod_if "$1" "$(T "$2")"; fi
}
have() { command -v "$1" >/dev/null 2>&1; }
systemd_running() { ! staged && [ -d /run/systemd/system ] && have systemctl; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

parse_args() {
    while [ $# -gt 0 ]; do
        case $1 in
            --prefix)
                PREFIX=${2:?--prefix needs a directory}
                shift
                ;;
            --dry-run) DRY_RUN=1 ;;
            --wheelhouse)
                WHEELHOUSE=${2:?--wheelhouse needs a directory}
                shift
                ;;
            --no-deps) NO_DEPS=1 ;;
            --python)
                PYTHON=${2:?--python needs an interpreter}
                shift
                ;;
            --version)
                VERSION=${2:?--version needs a name}
                shift
                ;;
            --devices)
                DEVICES=${2:?--devices needs a file}
                shift
                ;;
            --keep)
                KEEP=${2:?--keep needs a number}
                shift
                ;;
            --no-packages) PACKAGES=0 ;;
            --start) START=1 ;;
            --rollback)
                ACTION=rollback
                if [ $# -gt 1 ] && [[ $2 != -* ]]; then
                    ROLLBACK_TO=$2
                    shift
                fi
                ;;
            --list) ACTION=list ;;
            -h | --help) usage ;;
            *) die "unknown option '$1' (see --help)" ;;
        esac
        shift
    done
    if [ -n "$PREFIX" ]; then
        [ "$DRY_RUN" -eq 1 ] || mkdir -p "$PREFIX"
        [ ! -d "$PREFIX" ] || PREFIX=$(cd "$PREFIX" && pwd -P)
        [ "$PREFIX" != / ] || PREFIX=""
    fi
    [[ $KEEP =~ ^[0-9]+$ ]] || die "--keep needs a number"
    [[ -z $VERSION || $VERSION =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] ||
        die "--version must be letters, digits, '.', '_', '+' or '-'"
    if [ -n "$WHEELHOUSE" ]; then
        [ -d "$WHEELHOUSE" ] || die "wheelhouse $WHEELHOUSE is not a directory"
        WHEELHOUSE=$(cd "$WHEELHOUSE" && pwd -P)
    fi
    if [ -z "$PREFIX" ] && [ "$DRY_RUN" -eq 0 ] && [ "$ACTION" != list ] && [ "$(id -u)" -ne 0 ]; then
        die "run as root (sudo), or try it with --dry-run or --prefix DIR"
    fi
}

# --- what to install ----------------------------------------------------------------------

app_version() {
    sed -n 's/^__version__ *= *"\([^"]*\)".*/\1/p' "$SRC/kiosk/__init__.py"
}

source_hash() { # content of everything that ends up in the version directory
    local app=(kiosk devices drivers ui offline_cache config setup.cfg pyproject.toml) wheels=()
    if [ -n "$WHEELHOUSE" ]; then
        mapfile -t wheels < <(find "$WHEELHOUSE" -maxdepth 1 -name "hall_kiosk-$APP_VERSION-*.whl")
        [ ${#wheels[@]} -eq 1 ] ||
            die "$WHEELHOUSE must hold exactly one hall_kiosk-$APP_VERSION-*.whl (found ${#wheels[@]})"
        app=()
    fi
    {
        [ ${#wheels[@]} -eq 0 ] || sha256sum "${wheels[0]}" | cut -d' ' -f1
        cd "$SRC"
        find "${app[@]}" installer -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 |
            LC_ALL=C sort -z | xargs -0 sha256sum
    } | sha256sum | cut -c1-10
}

runtime_packages() {
    local section="" line
    while IFS= read -r line; do
        line=${line%%#*}
        line=${line//[[:space:]]/}
        [ -z "$line" ] && continue
        if [[ $line == \[*\] ]]; then
            section=${line:1:-1}
            continue
        fi
        [ "$section" = runtime ] && printf '%s\n' "$line"
    done <"$HERE/debian-packages.txt"
}

# --- steps --------------------------------------------------------------------------------

step_packages() {
    if staged || [ "$PACKAGES" -eq 0 ]; then
        say "system packages: skipped ($([ -n "$PREFIX" ] && echo "--prefix" || echo "--no-packages"))"
        return 0
    fi
    have dpkg-query || die "not a Debian/Ubuntu system: install the [runtime] packages of installer/debian-packages.txt by hand, then use --no-packages"
    local missing=() p
    while IFS= read -r p; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done < <(runtime_packages)
    if [ ${#missing[@]} -eq 0 ]; then
        say "system packages: all present"
        return 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    run apt-get update -qq
    run apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

step_user() {
    if staged; then
        say "user $KIOSK_USER: skipped (--prefix)"
        return 0
    fi
    if ! getent passwd "$KIOSK_USER" >/dev/null; then
        run useradd --system --user-group --home-dir "$DATA" --no-create-home \
            --shell /usr/sbin/nologin --comment "hall-kiosk terminal" "$KIOSK_USER"
    fi
    local g
    for g in "${USER_GROUPS[@]}"; do
        getent group "$g" >/dev/null || continue
        if ! id -nG "$KIOSK_USER" 2>/dev/null | tr ' ' '\n' | grep -qx "$g"; then
            run usermod -a -G "$g" "$KIOSK_USER"
        fi
    done
}

step_app() { # the versioned directory with its own venv
    local vdir stamp hash pip=()
    vdir=$OPT/$VERSION
    stamp=$(T "$vdir")/.installed
    hash=$SOURCE_HASH
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
        say "version $VERSION: already installed"
        return 0
    fi
    if [ -e "$(T "$vdir")" ]; then
        [ "$(readlink "$(T "$OPT/current")" 2>/dev/null)" != "$VERSION" ] ||
            die "$vdir is the running version but differs from this source; pass --version NEW"
        say "version $VERSION: incomplete or different, rebuilding it"
        run rm -rf "$(T "$vdir")"
    fi
    mkdir_m 0755 "$OPT"
    run install -d -m 0755 "$(T "$vdir")" "$(T "$vdir/bin")" "$(T "$vdir/installer")"
    run "$PYTHON" -m venv "$(T "$vdir/venv")"
    pip=("$(T "$vdir/venv/bin/python")" -m pip install --quiet --disable-pip-version-check --no-input)
    [ "$NO_DEPS" -eq 1 ] && pip+=(--no-deps)
    if [ -n "$WHEELHOUSE" ]; then
        run "${pip[@]}" --no-index --find-links "$WHEELHOUSE" "$APP==$APP_VERSION"
    else
        run "${pip[@]}" "$SRC"
    fi
    run install -m 0755 "$HERE/kiosk-session" "$(T "$vdir/bin/kiosk-session")"
    # The installer travels with its version, so a kiosk can roll back without the source.
    run cp -R "$HERE/." "$(T "$vdir/installer/")"
    printf '%s\n' "$hash" >"$WORK/stamp"
    run install -m 0644 "$WORK/stamp" "$stamp"
}

switch_to() { # switch_to VERSION: current -> VERSION atomically, previous -> the old current
    local target=$1 old
    old=$(readlink "$(T "$OPT/current")" 2>/dev/null || true)
    if [ "$old" = "$target" ]; then
        say "current is already $target"
        return 1
    fi
    run ln -sfn "$target" "$(T "$OPT/.current.new")"
    run mv -T "$(T "$OPT/.current.new")" "$(T "$OPT/current")"
    if [ -n "$old" ] && [ -d "$(T "$OPT/$old")" ]; then
        run ln -sfn "$old" "$(T "$OPT/.previous.new")"
        run mv -T "$(T "$OPT/.previous.new")" "$(T "$OPT/previous")"
    fi
    say "current: ${old:-none} -> $target"
}

step_config() {
    mkdir_m 0750 "$ETC"
    own "root:$KIOSK_USER" "$(T "$ETC")"
    if [ ! -e "$(T "$ETC/terminal.toml")" ]; then
        cat >"$WORK/terminal.toml" <<'EOF'
# This terminal's configuration (on top of the shipped defaults). Fill it in with
#   sudo kiosk provision --terminal-id T-... --hall-id H-... --platform-url https://... --secret-file FILE
# and check it with: kiosk config check /etc/hall-kiosk/terminal.toml
[terminal]
profile = "self_service"
EOF
        put 0640 "$WORK/terminal.toml" "$ETC/terminal.toml"
        own "root:$KIOSK_USER" "$(T "$ETC/terminal.toml")"
    fi
    [ -e "$(T "$ETC/devices.conf")" ] || put 0644 "$HERE/devices.conf" "$ETC/devices.conf"
    mkdir_m 0700 "$DATA"
    own "$KIOSK_USER:$KIOSK_USER" "$(T "$DATA")"
}

check_devices() { # before anything is changed: a typo in the device list stops the run here
    local conf=${DEVICES:-$(T "$ETC/devices.conf")}
    [ -r "$conf" ] || conf=$HERE/devices.conf # first install: the shipped list
    "$HERE/udev-rules.sh" --group "$KIOSK_USER" "$conf" >"$WORK/udev.rules" ||
        die "fix $conf (see above), then run install.sh again"
}

step_udev() {
    put 0644 "$WORK/udev.rules" /etc/udev/rules.d/70-hall-kiosk.rules
    if changed /etc/udev/rules.d/70-hall-kiosk.rules && ! staged && have udevadm; then
        run udevadm control --reload-rules
        run udevadm trigger --action=change --subsystem-match=tty --subsystem-match=usbmisc \
            --subsystem-match=usb
    fi
}

step_system_files() {
    put 0644 "$HERE/systemd/$UNIT" "/etc/systemd/system/$UNIT"
    put 0644 "$HERE/pam/$APP" "/etc/pam.d/$APP"
    put 0644 "$HERE/polkit/49-hall-kiosk-pcscd.rules" /etc/polkit-1/rules.d/49-hall-kiosk-pcscd.rules
    put 0644 "$HERE/journald/50-hall-kiosk.conf" /etc/systemd/journald.conf.d/50-hall-kiosk.conf
    # `kiosk provision`, `kiosk diagnostics` for the technician, always the current version.
    if [ "$(readlink "$(T /usr/local/bin/kiosk)" 2>/dev/null)" != "$OPT/current/venv/bin/kiosk" ]; then
        run install -d -m 0755 "$(T /usr/local/bin)"
        run ln -sfn "$OPT/current/venv/bin/kiosk" "$(T /usr/local/bin/kiosk)"
    fi
}

step_systemd() { # $1 = 1 when the current version changed
    if ! systemd_running; then
        say "systemd: not running here ($(staged && echo "--prefix" || echo "no /run/systemd/system")); enable $UNIT on the target"
        return 0
    fi
    if changed "/etc/systemd/system/$UNIT"; then run systemctl daemon-reload; fi
    if changed /etc/systemd/journald.conf.d/50-hall-kiosk.conf; then
        run systemctl restart systemd-journald
    fi
    systemctl is-enabled --quiet "$UNIT" 2>/dev/null || run systemctl enable "$UNIT"
    if [ "$(systemctl get-default)" != graphical.target ]; then run systemctl set-default graphical.target; fi
    if systemctl is-enabled --quiet display-manager.service 2>/dev/null; then
        say "warning: a display manager is enabled; it competes with the kiosk session for the screen (systemctl disable display-manager)"
    fi
    if systemctl is-active --quiet "$UNIT"; then
        if [ "$1" -eq 1 ] || changed "/etc/systemd/system/$UNIT" "/etc/pam.d/$APP"; then
            run systemctl restart "$UNIT"
        fi
    elif [ "$START" -eq 1 ]; then
        run systemctl start "$UNIT"
    else
        say "the kiosk session starts at next boot (or now: systemctl start $UNIT)"
    fi
}

step_prune() { # keep current, previous and the KEEP newest others
    local cur prev v kept=0
    cur=$(readlink "$(T "$OPT/current")" 2>/dev/null || true)
    prev=$(readlink "$(T "$OPT/previous")" 2>/dev/null || true)
    [ -d "$(T "$OPT")" ] || return 0
    while IFS= read -r v; do
        [ "$v" = "$cur" ] || [ "$v" = "$prev" ] && continue
        if [ "$kept" -lt "$KEEP" ]; then
            kept=$((kept + 1))
            continue
        fi
        run rm -rf "$(T "$OPT/$v")"
    done < <(cd "$(T "$OPT")" && find . -mindepth 1 -maxdepth 1 -type d -name '[!.]*' \
        -printf '%T@ %f\n' | sort -rn | cut -d' ' -f2-)
}

list_versions() {
    local cur prev v mark
    cur=$(readlink "$(T "$OPT/current")" 2>/dev/null || true)
    prev=$(readlink "$(T "$OPT/previous")" 2>/dev/null || true)
    [ -d "$(T "$OPT")" ] || {
        say "nothing installed under $(T "$OPT")"
        return 0
    }
    for v in "$(T "$OPT")"/*/; do
        v=$(basename "$v")
        mark=""
        [ "$v" = "$cur" ] && mark=" (current)"
        [ "$v" = "$prev" ] && mark=" (previous)"
        [ -f "$(T "$OPT/$v/.installed")" ] || mark="$mark (incomplete)"
        printf '%s%s\n' "$v" "$mark"
    done
}

rollback() {
    local target=${ROLLBACK_TO:-$(readlink "$(T "$OPT/previous")" 2>/dev/null || true)}
    [ -n "$target" ] || die "no previous version to roll back to (see --list)"
    [ -f "$(T "$OPT/$target/.installed")" ] || die "version $target is not installed (see --list)"
    if switch_to "$target"; then
        if systemd_running && systemctl is-active --quiet "$UNIT"; then run systemctl restart "$UNIT"; fi
        say "rolled back to $target"
    fi
}

main() {
    parse_args "$@"
    case $ACTION in
        list)
            list_versions
            return 0
            ;;
        rollback)
            rollback
            return 0
            ;;
    esac
    if [ ! -f "$SRC/setup.cfg" ] || [ ! -f "$SRC/kiosk/__init__.py" ]; then
        die "run this from a hall-kiosk source tree"
    fi
    APP_VERSION=$(app_version)
    [ -n "$APP_VERSION" ] || die "cannot read __version__ from kiosk/__init__.py"
    SOURCE_HASH=$(source_hash)
    VERSION=${VERSION:-$APP_VERSION-$SOURCE_HASH}
    say "installing $APP $VERSION${PREFIX:+ under $PREFIX}$([ "$DRY_RUN" -eq 1 ] && echo " (dry run)")"
    check_devices
    step_packages
    step_user
    step_app
    local switched=0
    if switch_to "$VERSION"; then switched=1; fi
    step_config
    step_udev
    step_system_files
    step_systemd "$switched"
    step_prune
    say "done: $OPT/current -> $VERSION"
}

main "$@"
