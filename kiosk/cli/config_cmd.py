"""``kiosk config check FILE…`` and ``kiosk config show``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any

from kiosk.cli.common import load
from kiosk.settings.load import check_file


def register(sub: Any) -> None:
    p = sub.add_parser("config", help="check or show configuration")
    csub = p.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = csub.add_parser("check", help="validate terminal config files")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(func=cmd_check)
    show = csub.add_parser("show", help="print the effective configuration as JSON")
    show.set_defaults(func=cmd_show)


def cmd_check(args: argparse.Namespace) -> int:
    problems = 0
    profiles: list[str] = []
    for path in args.files:
        settings, errors = check_file(path)
        for err in errors:
            print(err)
        problems += len(errors)
        if settings is not None:
            profiles.append(settings.terminal.profile)
    if problems:
        print(f"{problems} problem(s) in {len(args.files)} file(s)", file=sys.stderr)
        return 2
    print(f"ok: {len(args.files)} file(s) valid ({', '.join(profiles)})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    settings = load(args)
    doc = dataclasses.asdict(settings)
    for dev in doc.get("devices", {}).values():
        options = dev.pop("options", None) or {}
        dev.update(options)
    print(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
    return 0
