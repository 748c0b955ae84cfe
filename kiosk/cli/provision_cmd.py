"""``kiosk provision``: write this terminal's platform identity into its config, after checking
it against the platform (``--no-check`` to provision offline)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.common import file_to_write
from kiosk.ops.provision import DEFAULT_CONFIG, ProvisionError, Request, provision


def register(sub: Any) -> None:
    p = sub.add_parser(
        "provision",
        help="set the terminal id, hall, platform URL and secret; check them against the platform",
    )
    p.add_argument("--terminal-id", required=True, metavar="ID")
    p.add_argument("--hall-id", required=True, metavar="ID")
    p.add_argument("--platform-url", required=True, metavar="URL")
    p.add_argument(
        "--secret-file",
        required=True,
        metavar="FILE",
        help="the terminal's shared secret, as hex (32+ bytes)",
    )
    p.add_argument("--profile", choices=["self_service", "ticket", "hall_display", "counter"])
    p.add_argument("--ca-bundle", default="", metavar="FILE", help="CA bundle for the platform's TLS")
    p.add_argument(
        "--out",
        metavar="FILE",
        help=f"config file to write (default: --config, $KIOSK_CONFIG, or {DEFAULT_CONFIG})",
    )
    p.add_argument(
        "--owner", metavar="USER", help="owner of the written files when run as root (default: kiosk)"
    )
    p.add_argument(
        "--no-check", action="store_true", help="do not contact the platform (offline provisioning)"
    )
    p.add_argument(
        "--hall-role", choices=["standalone", "host", "member"], help="[hall] role on the hall bus"
    )
    p.add_argument("--broker-url", default="", metavar="URL", help="the hall broker (mqtt:// or mqtts://)")
    p.add_argument(
        "--broker-password-file",
        metavar="FILE",
        help="this terminal's broker password (written to broker.toml next to the config, 0600)",
    )
    p.set_defaults(func=cmd_provision)


def cmd_provision(args: argparse.Namespace) -> int:
    out = file_to_write(args)
    req = Request(
        terminal_id=args.terminal_id,
        hall_id=args.hall_id,
        platform_url=args.platform_url,
        secret_file=Path(args.secret_file),
        config_file=Path(out),
        profile=args.profile,
        ca_bundle=args.ca_bundle,
        check=not args.no_check,
        owner=args.owner,
        hall_role=args.hall_role,
        broker_url=args.broker_url,
        broker_password_file=Path(args.broker_password_file) if args.broker_password_file else None,
    )
    try:
        result = provision(req)
    except ProvisionError as exc:
        print(f"kiosk provision: {exc.message}", file=sys.stderr)
        return exc.exit_code
    if result.hall_name is not None:
        print(
            f"platform ok: {args.platform_url} knows terminal {args.terminal_id} in hall {args.hall_id} "
            f"({result.hall_name})"
        )
    else:
        print("platform not contacted (--no-check); run `kiosk sync` once the network is up")
    print(f"wrote {result.config_file} (0600)")
    print(f"secret: {result.secret_file} (0600, {result.secret_bytes} bytes; not shown)")
    if result.backup is not None:
        print(f"previous config kept as {result.backup}")
    if args.hall_role and args.broker_password_file:
        print(
            f"hall bus: {args.hall_role} of {args.broker_url or 'the configured broker'}; broker credentials"
            " written next to the config (0600; not shown)"
        )
    print("restart the kiosk to use it: systemctl restart hall-kiosk")
    return 0
