"""``python -m kiosk.devtools.refplatform [serve options]``: ``kiosk platform serve`` without
the rest of the command line, so it boots in about half the time (``kiosk demo`` starts its
platform this way and waits for it)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kiosk.cli import platform_cmd


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.devtools.refplatform")
    platform_cmd.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["platform", "serve", *(sys.argv[1:] if argv is None else argv)])
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
