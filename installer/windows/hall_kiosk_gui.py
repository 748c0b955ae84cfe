"""Entry of the windowed ``hall-kiosk`` executable (PyInstaller): ``kiosk run`` unless other
arguments are given, so an autostart entry needs no arguments."""

from __future__ import annotations

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["run"]))
