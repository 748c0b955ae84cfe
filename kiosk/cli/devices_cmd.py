"""``kiosk devices list|probe|test KIND|decode PROTOCOL FILE`` for technicians.

``test`` and ``decode`` dispatch to plugin modules listed in TESTERS / DECODERS; each module
has ``add_arguments(parser)`` and ``run(args) -> int``. ``probe`` is provided by the device
manager's module once it exists (see PROBE).
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from kiosk.cli.common import load

# kind -> module with add_arguments(parser) and run(args) -> int
TESTERS: dict[str, str] = {
    "idcard": "kiosk.devtools.idcard_test",
    "cardreader": "kiosk.devtools.cardreader_test",
    "scanner": "kiosk.devtools.scanner_test",
    "printer": "kiosk.devtools.printer_test",
    "display": "kiosk.devtools.display_test",
    "voice": "kiosk.devtools.voice_test",
    "pad": "kiosk.devtools.pad_test",
    "keypad": "kiosk.devtools.keypad_test",
}
# protocol -> module with add_arguments(parser) and run(args) -> int
DECODERS: dict[str, str] = {
    "sam-idcard": "kiosk.devtools.sam_decode",
    "escpos": "kiosk.devtools.escpos_decode",
}
# module with add_arguments(parser) and run(args) -> int for `kiosk devices probe`
PROBE: str | None = "kiosk.devtools.probe"


def register(sub: Any) -> None:
    p = sub.add_parser("devices", help="list, probe, test and decode devices")
    dsub = p.add_subparsers(dest="devices_command", metavar="ACTION", required=True)
    lst = dsub.add_parser("list", help="configured devices and known drivers")
    lst.set_defaults(func=cmd_list)
    if PROBE is not None:
        probe = dsub.add_parser("probe", help="open each configured device and print its health")
        module = importlib.import_module(PROBE)
        module.add_arguments(probe)
        probe.set_defaults(func=module.run)
    test = dsub.add_parser("test", help="exercise one device kind (technicians)")
    tsub = test.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, module_name in sorted(TESTERS.items()):
        _plugin(tsub, kind, module_name, f"test the {kind}")
    decode = dsub.add_parser("decode", help="decode a captured frame")
    psub = decode.add_subparsers(dest="protocol", metavar="PROTOCOL", required=True)
    for proto, module_name in sorted(DECODERS.items()):
        _plugin(psub, proto, module_name, f"decode a {proto} frame")


def _plugin(sub: Any, name: str, module_name: str, help_text: str) -> None:
    """Import the plugin only when its subcommand runs (OpenCV and friends are heavy)."""
    parser = sub.add_parser(name, help=help_text)

    def run(args: argparse.Namespace) -> int:
        return int(importlib.import_module(module_name).run(args))

    add = getattr(importlib.import_module(module_name), "add_arguments", None)
    if add is not None:
        add(parser)
    parser.set_defaults(func=run)


def cmd_list(args: argparse.Namespace) -> int:
    from devices import registry

    settings = load(args)
    if not settings.devices:
        print("no devices configured")
    for name, dev in sorted(settings.devices.items()):
        info = registry.get(dev.driver)
        state = "enabled" if dev.enabled else "disabled"
        print(f"{name}: {info.kind.value} via {dev.driver} ({state})")
    print("known drivers: " + (", ".join(registry.names()) or "none"))
    return 0
