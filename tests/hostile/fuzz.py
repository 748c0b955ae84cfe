"""A seeded mutator for the fuzz tests: real frames and answers in, hostile variants out.

Short runs in the ordinary suite (``SHORT`` inputs per target, a few seconds in all); set
``KIOSK_FUZZ_LONG=1`` for ``LONG`` inputs per target (``KIOSK_FUZZ_N`` overrides the count,
``KIOSK_FUZZ_SEED`` the seed). With ``KIOSK_FUZZ_REPORT=FILE`` each target appends one line:
target, inputs tried, failures, seconds. Deterministic for a given seed, so a failure found
in a long run is reproduced by the same command.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

LONG = os.environ.get("KIOSK_FUZZ_LONG") == "1"
SHORT_N = 300
LONG_N = 20_000
N = int(os.environ.get("KIOSK_FUZZ_N") or (LONG_N if LONG else SHORT_N))
SEED = int(os.environ.get("KIOSK_FUZZ_SEED") or 1515)

INTERESTING_BYTES = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0A, 0x0D, 0x10, 0x1B, 0x1C, 0x1D, 0xAA, 0x96, 0x69, 0x90]
INTERESTING_INTS = [0, -1, 1, 2**31 - 1, 2**31, 2**53, 2**63 - 1, 2**63, 2**64, 2**70, -(2**70), 10**30]
INTERESTING_STRINGS = [
    "",
    "A" * 300,
    "李" * 70_000,
    "\x00",
    "\x1b[2J",
    "../../../etc/passwd",
    "Asia/../../Shanghai",
    "\u202e\u0663\u0662\u0661",
    "２０２６",
    "😀" * 50,
    "\ud800",
    "NaN",
    "1e999",
    "9" * 5000,
    " ",
    "\n\r\t",
]


def mutate_bytes(rng: random.Random, data: bytes, pool: Sequence[bytes]) -> bytes:
    """One to four edits: flips, interesting bytes, insertions, deletions, duplications,
    truncation, a splice with another seed."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(8)
        pos = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif op == 1 and buf:
            buf[rng.randrange(len(buf))] = rng.choice(INTERESTING_BYTES)
        elif op == 2:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 3 and buf:
            del buf[pos : pos + rng.randint(1, 16)]
        elif op == 4 and buf:
            chunk = buf[pos : pos + rng.randint(1, 32)]
            buf[pos:pos] = chunk * rng.randint(1, 20)
        elif op == 5:
            del buf[pos:]
        elif op == 6 and pool:
            other = rng.choice(pool)
            cut = rng.randrange(len(other) + 1)
            buf = buf[:pos] + bytearray(other[cut:])
        elif op == 7 and len(buf) > 1:
            i, j = sorted(rng.sample(range(len(buf)), 2))
            buf[i], buf[j] = buf[j], buf[i]
    return bytes(buf)


def mutate_value(rng: random.Random, value: Any, *, same_types: bool = False, depth: int = 0) -> Any:
    """A JSON value with one of its leaves (or lists) replaced by an extreme; with
    ``same_types`` the replacement has the leaf's type, so the contract's shapes still pass."""
    if isinstance(value, dict) and value:
        key = rng.choice(list(value))
        out = dict(value)
        if not same_types and rng.random() < 0.1:
            out.pop(key)
            return out
        out[key] = mutate_value(rng, value[key], same_types=same_types, depth=depth + 1)
        return out
    if isinstance(value, list):
        if value and rng.random() < 0.7:
            i = rng.randrange(len(value))
            out = list(value)
            out[i] = mutate_value(rng, value[i], same_types=same_types, depth=depth + 1)
            return out
        if value and rng.random() < 0.5:
            return list(value) * rng.randint(2, 50)
        return [] if same_types else [[[[]]]] * rng.randint(1, 3)
    if isinstance(value, bool) or value is None:
        return rng.choice([True, False]) if same_types and value is not None else value
    if isinstance(value, int):
        return rng.choice(INTERESTING_INTS)
    if isinstance(value, float):
        return rng.choice([0.0, -0.0, 1e308, 2.0**53 + 1, 1e-320])
    if isinstance(value, str):
        if rng.random() < 0.3 and value:
            pos = rng.randrange(len(value))
            return value[:pos] + rng.choice(INTERESTING_STRINGS)[:64] + value[pos:]
        return rng.choice(INTERESTING_STRINGS)
    return value


def mutate_json_text(rng: random.Random, value: Any) -> bytes:
    """Text-level damage to a real answer, plus a deep nest now and then."""
    text = json.dumps(value, ensure_ascii=False).encode()
    roll = rng.random()
    if roll < 0.05:
        depth = rng.choice([50, 500, 5000, 50000])
        return b"[" * depth + text + b"]" * depth
    if roll < 0.1:
        return text.replace(b"1", b"1" * rng.randint(20, 5000), 1)
    return mutate_bytes(rng, text, [])


class Run:
    """Counts inputs and failures of one target and reports them."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.rng = random.Random(f"{SEED}:{target}")
        self.tried = 0
        self.failures: list[str] = []
        self.started = time.monotonic()

    def inputs(self, make: Callable[[random.Random], Any]) -> Iterator[Any]:
        for _ in range(N):
            self.tried += 1
            yield make(self.rng)

    def fail(self, what: str) -> None:
        self.failures.append(what)

    def finish(self) -> None:
        took = time.monotonic() - self.started
        report = os.environ.get("KIOSK_FUZZ_REPORT")
        if report:
            with open(report, "a", encoding="utf-8") as fh:
                fh.write(f"{self.target}\t{self.tried}\t{len(self.failures)}\t{took:.1f}\n")
        assert not self.failures, f"{self.target}: {len(self.failures)} failures, first: {self.failures[:3]}"
