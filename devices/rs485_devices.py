"""RS-485 window LED screens, caller keypads and evaluation pads, over one frame-template codec.

Each device stands for every unit of its kind on one bus (20 window screens are one
``rs485_led`` device). Units that stop answering are marked offline after a bounded number of
tries and skipped, then re-probed every ``reprobe_s`` (a screen that comes back is sent what
it should be showing), so one dead screen costs one call at most ``timeout * (1 + retries)``
and later calls nothing. Devices sharing a port share one bus lock (``drivers.rs485.bus``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from devices.base import Device, DeviceError, DeviceKind, DeviceState, options_doc
from devices.display import CallDisplay, ShowResult
from devices.evalpad import LEVEL_LABELS, EvaluationPad
from devices.keypad import KEY_ACTIONS, CallerKeypad
from devices.registry import DriverInfo
from drivers.rs485 import bus as rsbus
from drivers.rs485 import presets
from drivers.rs485.frame import Frame, FrameError, FrameFormat, encode, encode_text

log = logging.getLogger(__name__)

HEX = r"([0-9A-Fa-f]{2})*"


@dataclass(frozen=True)
class FrameTemplateOptions:
    """A vendor's frame written out in config (when no preset matches)."""

    header: str = field(metadata=options_doc("hex bytes, e.g. 'AA'", pattern=r"([0-9A-Fa-f]{2})+"))
    fields: list[str] = field(
        default_factory=lambda: ["address", "command", "length"],
        metadata=options_doc("order of address / command / length after the header"),
    )
    address: Literal["byte", "ascii3"] = "byte"
    length: Literal["u8", "u16le", "u16be"] = "u8"
    length_counts: Literal["payload", "length_to_checksum"] = "payload"
    separator: str = field(default="", metadata=options_doc("hex bytes before the text", pattern=HEX))
    checksum: Literal["none", "sum8", "xor", "crc16-ccitt", "crc16-modbus"] = "xor"
    checksum_covers: Literal["after_header", "payload", "all"] = "after_header"
    trailer: str = field(default="", metadata=options_doc("hex bytes", pattern=HEX))
    encoding: Literal["gbk", "gb2312", "ascii"] = "gbk"
    reply_header: str = field(default="", metadata=options_doc("hex; empty = same as header", pattern=HEX))
    replies: bool = field(
        default=True, metadata=options_doc("units answer each frame (dead ones can be told)")
    )
    reply_command_or: int = field(
        default=0, metadata=options_doc("answers carry command | this", min=0, max=255)
    )
    cmd_text: int = field(default=1, metadata=options_doc("show-text command", min=0, max=255))
    cmd_clear: int = field(default=2, metadata=options_doc("clear command", min=0, max=255))
    cmd_poll: int = field(default=16, metadata=options_doc("poll command (keypads, pads)", min=0, max=255))
    cmd_invite: int = field(default=17, metadata=options_doc("invite-a-rating command", min=0, max=255))

    def to_format(self) -> FrameFormat:
        for f in self.fields:
            if f not in ("address", "command", "length"):
                raise ValueError(f"frame field {f!r} is not one of address, command, length")
        return FrameFormat(
            name="custom",
            header=bytes.fromhex(self.header),
            fields=tuple(self.fields),  # type: ignore[arg-type]
            address=self.address,
            length=self.length,
            length_counts=self.length_counts,
            separator=bytes.fromhex(self.separator),
            checksum=self.checksum,
            checksum_covers=self.checksum_covers,
            trailer=bytes.fromhex(self.trailer),
            encoding=self.encoding,
            reply_header=bytes.fromhex(self.reply_header) if self.reply_header else None,
            replies=self.replies,
            reply_command_or=self.reply_command_or,
            cmd_text=self.cmd_text,
            cmd_clear=self.cmd_clear,
            cmd_poll=self.cmd_poll,
            cmd_invite=self.cmd_invite,
        )


@dataclass(frozen=True)
class ScreenEntry:
    address: int = field(metadata=options_doc("bus address", min=0, max=999))
    counter: int = field(
        default=0, metadata=options_doc("window number; 0 = a hall strip showing every call", min=0)
    )
    name: str = ""
    template: str = field(
        default="{number}号 请到{counter}号窗口", metadata=options_doc("{number}, {counter}")
    )


@dataclass(frozen=True)
class UnitEntry:
    address: int = field(metadata=options_doc("bus address", min=0, max=999))
    counter: int = field(metadata=options_doc("window number", min=1))


@dataclass(frozen=True)
class BusOptions:
    port: str = field(metadata=options_doc("serial port or pyserial URL of the RS-485 adapter"))
    baudrate: int = field(default=9600, metadata=options_doc("bits per second", min=1200, max=921600))
    preset: str = field(default="hk-crc16", metadata=options_doc("armfly-ascii | aa-ee-xor | hk-crc16"))
    frame: FrameTemplateOptions | None = field(
        default=None, metadata=options_doc("custom frame; overrides preset")
    )
    timeout_ms: int = field(default=120, metadata=options_doc("wait for a unit's answer", min=5, max=5000))
    retries: int = field(
        default=1, metadata=options_doc("extra tries before a unit is offline", min=0, max=5)
    )
    reprobe_s: float = field(default=30.0, metadata=options_doc("re-try offline units this often", min=0.1))


@dataclass(frozen=True)
class LedOptions(BusOptions):
    screens: list[ScreenEntry] = field(default_factory=list)


@dataclass(frozen=True)
class KeypadOptions(BusOptions):
    keypads: list[UnitEntry] = field(default_factory=list)
    keys: dict[str, str] = field(
        default_factory=lambda: {
            "1": "next",
            "2": "recall",
            "3": "skip",
            "4": "transfer",
            "5": "pause",
            "6": "finish",
        },
        metadata=options_doc("key code (decimal) -> next|recall|skip|transfer|pause|finish"),
    )
    poll_ms: int = field(default=100, metadata=options_doc("poll period", min=20, max=5000))


@dataclass(frozen=True)
class EvalPadOptions(BusOptions):
    pads: list[UnitEntry] = field(default_factory=list)
    poll_ms: int = field(default=150, metadata=options_doc("poll period", min=20, max=5000))


def frame_format(opts: BusOptions) -> FrameFormat:
    if opts.frame is not None:
        return opts.frame.to_format()
    return presets.get(opts.preset)


@dataclass
class _Unit:
    address: int
    name: str
    online: bool = True
    next_probe: float = 0.0
    last_payload: bytes | None = None
    misses: int = 0


class _BusUnits:
    """Bus access and per-unit offline bookkeeping shared by the three device kinds."""

    def __init__(self, owner: Any, opts: BusOptions) -> None:
        self.owner = owner
        self.opts = opts
        self.fmt = frame_format(opts)
        self.bus: rsbus.Rs485Bus | None = None
        self.timeout = opts.timeout_ms / 1000

    def open(self) -> None:
        try:
            self.bus = rsbus.acquire(self.opts.port, self.opts.baudrate)
        except rsbus.BusError as exc:
            raise DeviceError("offline", str(exc)) from None

    def close(self) -> None:
        bus, self.bus = self.bus, None
        if bus is not None:
            rsbus.release(bus)

    def once(self, unit: _Unit, data: bytes, command: int | None) -> Frame | bool | None:
        """One transaction; the answer frame, True for a write-only format, None on silence."""
        if self.bus is None:
            raise DeviceError("offline", "the bus is not open")
        try:
            answer = self.bus.transact(
                self.fmt, data, address=unit.address, command=command, timeout=self.timeout
            )
        except rsbus.BusError as exc:
            self.owner.set_state(DeviceState.OFFLINE, "bus failed")
            raise DeviceError("offline", str(exc)) from None
        if not self.fmt.replies:
            return True
        return answer

    def mark(self, unit: _Unit, ok: bool, kind: str) -> None:
        if ok and not unit.online:
            unit.online = True
            self.owner.emit(f"{kind}_online", **{kind: unit.name, "address": unit.address})
        elif not ok and unit.online:
            unit.online = False
            self.owner.emit(f"{kind}_offline", **{kind: unit.name, "address": unit.address})
        if not ok:
            unit.next_probe = time.monotonic() + self.opts.reprobe_s

    def due(self, unit: _Unit) -> bool:
        return unit.online or time.monotonic() >= unit.next_probe


# --- window LED screens -----------------------------------------------------------------------


class Rs485CallDisplay(CallDisplay):
    driver_name = "rs485_led"

    def __init__(self, name: str, opts: LedOptions) -> None:
        super().__init__(name)
        self.opts = opts
        self.link = _BusUnits(self, opts)
        self.screens = [(s, _Unit(s.address, s.name or f"screen-{s.address}")) for s in opts.screens]
        self.poll_interval = 0.5
        self.hardware_id = opts.port
        self.model = self.link.fmt.name

    def open(self) -> None:
        self.link.open()

    def close(self) -> None:
        self.link.close()

    def _send(self, targets: list[tuple[ScreenEntry, _Unit, bytes, int]]) -> ShowResult:
        """One try per screen first, then the retries for those that did not answer, so a
        dead screen delays the others by one timeout, not by all of its retries."""
        updated: list[str] = []
        failed: list[tuple[ScreenEntry, _Unit, bytes, int]] = []
        skipped: list[str] = []
        for entry, unit, data, cmd in targets:
            unit.last_payload = data
            if not unit.online:
                skipped.append(unit.name)
                continue
            if self.link.once(unit, data, cmd):
                updated.append(unit.name)
            else:
                failed.append((entry, unit, data, cmd))
        offline = list(skipped)
        for _entry, unit, data, cmd in failed:
            ok = any(self.link.once(unit, data, cmd) for _ in range(self.opts.retries))
            self.link.mark(unit, ok, "screen")
            (updated if ok else offline).append(unit.name)
        return ShowResult(tuple(updated), tuple(offline))

    def _targets(self, counter: int, text_for: Callable[[ScreenEntry], str]) -> list[Any]:
        fmt = self.link.fmt
        out = []
        for entry, unit in self.screens:
            if counter == 0 or entry.counter in (0, counter):
                text = text_for(entry)
                try:
                    data = encode_text(fmt, unit.address, text)
                except FrameError as exc:
                    raise DeviceError("bad_text", f"cannot frame the text: {exc}", transient=False) from None
                out.append((entry, unit, data, fmt.cmd_text))
        return out

    def show_call(self, counter: int, number: str, text: str = "") -> ShowResult:
        def text_for(entry: ScreenEntry) -> str:
            if text:
                return text
            try:
                return entry.template.format(number=number, counter=counter)
            except (KeyError, IndexError, ValueError):
                return f"{number} {counter}"

        result = self._send(self._targets(counter, text_for))
        self.counters.reads += 1
        self.emit(
            "shown", counter=counter, number=number, screens=len(result.updated), failed=len(result.offline)
        )
        return result

    def show_text(self, counter: int, text: str) -> ShowResult:
        return self._send(self._targets(counter, lambda _e: text))

    def clear(self, counter: int = 0) -> ShowResult:
        fmt = self.link.fmt
        targets = []
        for entry, unit in self.screens:
            if counter == 0 or entry.counter == counter:
                cmd = fmt.cmd_clear if fmt.has_command else None
                data = (
                    encode(fmt, Frame(unit.address, cmd, b""))
                    if cmd is not None
                    else encode_text(fmt, unit.address, "")
                )
                targets.append((entry, unit, data, cmd if cmd is not None else fmt.cmd_text))
        return self._send(targets)

    def poll(self) -> None:
        """Re-probe offline screens with what they should show (one try each, when due)."""
        for _entry, unit in self.screens:
            if unit.online or not self.link.due(unit):
                continue
            data = unit.last_payload or encode_text(self.link.fmt, unit.address, "")
            self.link.mark(unit, bool(self.link.once(unit, data, self.link.fmt.cmd_text)), "screen")

    def health_detail(self) -> dict[str, Any]:
        return {
            "preset": self.link.fmt.name,
            "screens": len(self.screens),
            "offline": [u.name for _e, u in self.screens if not u.online],
        }


# --- caller keypads and evaluation pads --------------------------------------------------------


class _Poller:
    def __init__(self, owner: Any, link: _BusUnits, units: list[UnitEntry], label: str) -> None:
        self.owner = owner
        self.link = link
        self.units = [(u, _Unit(u.address, f"{label}-{u.address}")) for u in units]
        self.label = label

    def poll(self, handle: Callable[[UnitEntry, bytes], None]) -> None:
        fmt = self.link.fmt
        for entry, unit in self.units:
            if not self.link.due(unit):
                continue
            data = encode(fmt, Frame(unit.address, fmt.cmd_poll if fmt.has_command else None, b""))
            answer = self.link.once(unit, data, fmt.cmd_poll if fmt.has_command else None)
            if not unit.online:
                self.link.mark(unit, answer is not None, self.label)
            elif answer is None:
                unit.misses += 1
                if unit.misses > self.link.opts.retries:
                    unit.misses = 0
                    self.link.mark(unit, False, self.label)
                continue
            unit.misses = 0
            if isinstance(answer, Frame) and answer.payload:
                handle(entry, answer.payload)


class _PolledUnits(Device):
    """What the keypads and the evaluation pads share: one bus link, their units polled in
    turn, every non-empty answer handed to ``_received``."""

    def _attach(self, opts: KeypadOptions | EvalPadOptions, units: list[UnitEntry], label: str) -> None:
        self.link = _BusUnits(self, opts)
        self.poller = _Poller(self, self.link, units, label)
        self.poll_interval = opts.poll_ms / 1000
        self.hardware_id = opts.port
        self.model = self.link.fmt.name
        self._units_key = f"{label}s"

    def _received(self, entry: UnitEntry, payload: bytes) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.link.close()

    def poll(self) -> None:
        self.poller.poll(self._received)

    def health_detail(self) -> dict[str, Any]:
        return {
            self._units_key: len(self.poller.units),
            "offline": [u.name for _e, u in self.poller.units if not u.online],
        }


class Rs485Keypads(_PolledUnits, CallerKeypad):
    driver_name = "rs485_keypad"

    def __init__(self, name: str, opts: KeypadOptions) -> None:
        super().__init__(name)
        self.opts = opts
        self._attach(opts, opts.keypads, "keypad")

    def open(self) -> None:
        bad = {k: v for k, v in self.opts.keys.items() if v not in KEY_ACTIONS or not k.isdigit()}
        if bad:
            raise DeviceError(
                "bad_config",
                f"unknown key mapping {bad} (actions: {', '.join(KEY_ACTIONS)})",
                transient=False,
            )
        if not self.link.fmt.replies:
            raise DeviceError("bad_config", "keypads need a frame format with answers", transient=False)
        self.link.open()

    def _received(self, entry: UnitEntry, payload: bytes) -> None:
        action = self.opts.keys.get(str(payload[0]))
        if action is None:
            log.warning("keypad %s: unknown key code %d", entry.address, payload[0])
            return
        target = payload[1] if action == "transfer" and len(payload) > 1 else None
        self.counters.reads += 1
        self.emit("key", counter=entry.counter, action=action, keypad=entry.address, target=target)


class Rs485EvalPads(_PolledUnits, EvaluationPad):
    driver_name = "rs485_evalpad"

    def __init__(self, name: str, opts: EvalPadOptions) -> None:
        super().__init__(name)
        self.opts = opts
        self._attach(opts, opts.pads, "pad")

    def open(self) -> None:
        if not self.link.fmt.replies:
            raise DeviceError(
                "bad_config", "evaluation pads need a frame format with answers", transient=False
            )
        self.link.open()

    def _received(self, entry: UnitEntry, payload: bytes) -> None:
        level = payload[0]
        if level not in LEVEL_LABELS:
            log.warning("pad %s: rating %d out of range", entry.address, level)
            return
        self.counters.reads += 1
        self.emit("rating", counter=entry.counter, level=level, pad=entry.address)

    def invite(self, counter: int) -> bool:
        fmt = self.link.fmt
        ok = False
        for entry, unit in self.poller.units:
            if entry.counter != counter or not unit.online:
                continue
            data = encode(fmt, Frame(unit.address, fmt.cmd_invite if fmt.has_command else None, b""))
            ok = bool(self.link.once(unit, data, fmt.cmd_invite)) or ok
        return ok


_D = TypeVar("_D", bound=Device)


def _checked(build: Callable[[], _D]) -> _D:
    try:
        return build()
    except (KeyError, ValueError) as exc:
        msg = exc.args[0] if exc.args else str(exc)
        raise DeviceError("bad_config", f"frame format: {msg}", transient=False) from None


def _led(name: str, options: Any) -> Rs485CallDisplay:
    return _checked(lambda: Rs485CallDisplay(name, options))


def _keypad(name: str, options: Any) -> Rs485Keypads:
    return _checked(lambda: Rs485Keypads(name, options))


def _pad(name: str, options: Any) -> Rs485EvalPads:
    return _checked(lambda: Rs485EvalPads(name, options))


LED_DRIVER = DriverInfo("rs485_led", DeviceKind.CALL_DISPLAY, LedOptions, _led, "RS-485 window LED screens")
KEYPAD_DRIVER = DriverInfo(
    "rs485_keypad", DeviceKind.CALLER_KEYPAD, KeypadOptions, _keypad, "RS-485 caller keypads"
)
EVALPAD_DRIVER = DriverInfo(
    "rs485_evalpad", DeviceKind.EVALUATION_PAD, EvalPadOptions, _pad, "RS-485 evaluation pads"
)
