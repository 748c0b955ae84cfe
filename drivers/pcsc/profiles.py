"""Card profiles as data (``profiles.toml``) and the runner that applies them to a card."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.pcsc.apdu import ApduError, decode_value, sw_text, tlv_value, transmit

DEFAULT_FILE = Path(__file__).with_name("profiles.toml")


@dataclass(frozen=True)
class Step:
    apdu: bytes
    expect: tuple[int, ...] = (0x9000,)
    field: str | None = None
    tag: int | None = None
    decode: str = "ascii"


@dataclass(frozen=True)
class CardProfile:
    name: str
    label: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class ProfileResult:
    profile: str
    fields: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"ProfileResult({self.profile!r}, fields={sorted(self.fields)})"


class ProfileFileError(ValueError):
    pass


def _step(raw: Any, where: str) -> Step:
    """One step as written in the file; anything else is a ``ProfileFileError`` naming it."""
    if not isinstance(raw, dict):
        raise ProfileFileError(f"{where}: a step must be a table")
    try:
        apdu = bytes.fromhex(_str(raw["apdu"], where, "apdu"))
        expects = raw.get("expect", ["9000"])
        if not isinstance(expects, list) or not expects:
            raise ProfileFileError(f"{where}: expect must be a list of status words")
        expect = tuple(int(_str(sw, where, "expect"), 16) for sw in expects)
    except KeyError:
        raise ProfileFileError(f"{where}: apdu is missing") from None
    except ValueError as exc:
        if isinstance(exc, ProfileFileError):
            raise
        raise ProfileFileError(f"{where}: {exc}") from None
    if not 4 <= len(apdu) <= 261 or any(not 0 <= sw <= 0xFFFF for sw in expect):
        raise ProfileFileError(f"{where}: apdu must be 4-261 bytes and status words 4 hex digits")
    decode = str(raw.get("decode", "ascii"))
    if decode not in ("gbk", "ascii", "hex", "bcd", "utf-8"):
        raise ProfileFileError(f"{where}: unknown decode {decode[:20]!r}")
    tag = raw.get("tag")
    if tag is not None and (not isinstance(tag, int) or isinstance(tag, bool) or not 0 <= tag <= 0xFFFF):
        raise ProfileFileError(f"{where}: tag must be an integer 0-65535")
    name = raw.get("field")
    if name is not None and not isinstance(name, str):
        raise ProfileFileError(f"{where}: field must be a name")
    return Step(apdu, expect, name, tag, decode)


def _str(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str):
        raise ProfileFileError(f"{where}: {key} must be a string of hex digits")
    return value


def load_profiles(path: Path = DEFAULT_FILE) -> dict[str, CardProfile]:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProfileFileError(f"{path}: {exc}") from None
    except RecursionError:
        raise ProfileFileError(f"{path}: nested too deeply") from None
    profiles = doc.get("profiles", [])
    if not isinstance(profiles, list):
        raise ProfileFileError(f"{path.name}: profiles must be a list of tables ([[profiles]])")
    out: dict[str, CardProfile] = {}
    for i, raw in enumerate(profiles):
        if not isinstance(raw, dict):
            raise ProfileFileError(f"{path.name}: profile {i + 1} must be a table")
        name = str(raw.get("name", f"profile{i + 1}"))[:64]
        steps_raw = raw.get("steps", [])
        if not isinstance(steps_raw, list):
            raise ProfileFileError(f"{path.name}: profile {name} steps must be a list")
        steps = tuple(_step(s, f"{path.name}: {name} step {j + 1}") for j, s in enumerate(steps_raw))
        if not steps:
            raise ProfileFileError(f"{path.name}: profile {name} has no steps")
        out[name] = CardProfile(name, str(raw.get("label", name))[:64], steps)
    return out


def run_profile(profile: CardProfile, send: Callable[[bytes], bytes]) -> ProfileResult | None:
    """None when the card is not this profile's (its first step is refused); ApduError when a
    later step fails (the card is of this kind but unreadable)."""
    fields: dict[str, str] = {}
    for index, step in enumerate(profile.steps):
        response = transmit(send, step.apdu)
        if response.sw not in step.expect:
            if index == 0:
                return None
            raise ApduError(
                "step_failed",
                f"{profile.label}: step {index + 1} answered {response.sw:04X} ({sw_text(response.sw)})",
                response.sw,
            )
        if step.field:
            value = tlv_value(response.data, step.tag) if step.tag is not None else response.data
            fields[step.field] = decode_value(value, step.decode)
    return ProfileResult(profile.name, fields)


def first_matching(profiles: Sequence[CardProfile], send: Callable[[bytes], bytes]) -> ProfileResult | None:
    for profile in profiles:
        result = run_profile(profile, send)
        if result is not None:
            return result
    return None
