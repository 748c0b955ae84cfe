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


def _step(raw: dict[str, Any], where: str) -> Step:
    try:
        apdu = bytes.fromhex(str(raw["apdu"]))
        expect = tuple(int(str(sw), 16) for sw in raw.get("expect", ["9000"]))
    except (KeyError, ValueError) as exc:
        raise ProfileFileError(f"{where}: {exc}") from None
    decode = str(raw.get("decode", "ascii"))
    if decode not in ("gbk", "ascii", "hex", "bcd", "utf-8"):
        raise ProfileFileError(f"{where}: unknown decode {decode!r}")
    tag = raw.get("tag")
    return Step(apdu, expect, raw.get("field"), int(tag) if tag is not None else None, decode)


def load_profiles(path: Path = DEFAULT_FILE) -> dict[str, CardProfile]:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ProfileFileError(f"{path}: {exc}") from None
    out: dict[str, CardProfile] = {}
    for i, raw in enumerate(doc.get("profiles", [])):
        name = str(raw.get("name", f"profile{i + 1}"))
        steps = tuple(
            _step(s, f"{path.name}: {name} step {j + 1}") for j, s in enumerate(raw.get("steps", []))
        )
        if not steps:
            raise ProfileFileError(f"{path.name}: profile {name} has no steps")
        out[name] = CardProfile(name, str(raw.get("label", name)), steps)
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
