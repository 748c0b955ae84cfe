"""Fuzz tests for every parser and every platform-data path (issue 15), seeded with real frames
and answers. Each target either accepts an input (and then the result is safe to use) or
refuses it with its module's own error; anything else is a failure. See ``fuzz.py`` for the
long run (``KIOSK_FUZZ_LONG=1``)."""

from __future__ import annotations

import base64
import json
import math
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from devices.ticket_templates import blocks_for
from drivers.escpos.builder import PrinterModel, build
from drivers.escpos.decoder import Decoder, decode
from drivers.escpos.render import render
from drivers.escpos.transport import LinkError, parse_url
from drivers.pcsc.apdu import ApduError, decode_value, parse_response, tlv_value, transmit
from drivers.pcsc.profiles import DEFAULT_FILE, ProfileFileError, load_profiles
from drivers.rs485.frame import FrameReader, encode_text
from drivers.rs485.presets import PRESETS
from drivers.sam.codec import FrameDecoder, FrameError, decode_one, parse_read
from drivers.sam.codec import parse_response as sam_response
from drivers.sam.text import parse_text
from drivers.scanner.framing import LineDecoder, decode_payload
from kiosk.devtools.refplatform import seed
from kiosk.identity.classify import KeyRing, Kind, classify
from kiosk.platform import accept, backoff
from kiosk.platform.client import ClientConfig, PlatformClient, PlatformError, _Answer
from kiosk.platform.sync import SyncEngine
from kiosk.queue import hall as queue_hall
from kiosk.settings.load import (
    check_file,
    default_layers,
    env_layer,
    shipped_config_dir,
    validate_layers,
)
from offline_cache import catalog, contract, hall
from offline_cache.store import Store
from tests.hostile.fuzz import Run, mutate_bytes, mutate_json_text, mutate_value
from tests.unit.test_escpos_codec import TICKET

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _guard(run: Run, fn: Callable[[Any], Any], value: Any, allowed: tuple[type[BaseException], ...]) -> None:
    try:
        fn(value)
    except allowed:
        pass
    except Exception as exc:  # noqa: BLE001 - the point: nothing else may escape
        run.fail(f"{type(exc).__name__}: {str(exc)[:120]} <- {repr(value)[:160]}")


def _fuzz(
    target: str,
    seeds: list[Any],
    check: Callable[[Any], Any],
    *,
    allowed: tuple[type[BaseException], ...] = (),
    make: Callable[[random.Random, Any, list[Any]], Any] | None = None,
) -> Run:
    run = Run(target)
    mutate = make or (lambda rng, s, pool: mutate_bytes(rng, s, pool))
    for seed_value in seeds:  # every seed must pass as it is
        _guard(run, check, seed_value, allowed)
    for value in run.inputs(lambda rng: mutate(rng, rng.choice(seeds), seeds)):
        _guard(run, check, value, allowed)
    return run


# -- device bytes -------------------------------------------------------------------------


def _sam_seeds() -> list[bytes]:
    return [bytes.fromhex(p.read_text()) for p in sorted((FIXTURES / "sam").glob("*.hex"))]


def test_fuzz_sam_frames() -> None:
    def check(data: bytes) -> None:
        for item in FrameDecoder().feed(data):
            if isinstance(item, FrameError):
                continue
            response = sam_response(item)
            if len(response.data) >= 4:
                try:
                    blocks = parse_read(response.data)
                except FrameError:
                    continue
                parse_text(blocks.text)
        # the body parsers again, past the checksum (which stops most mutants at the frame)
        try:
            blocks = parse_read(sam_response(data[7:-1]).data)
        except FrameError:
            pass
        else:
            parse_text(blocks.text)
        decode_one(data)

    _fuzz("sam frames", _sam_seeds(), check, allowed=(FrameError,)).finish()


def test_fuzz_rs485_frames() -> None:
    seeds = [(name, encode_text(fmt, 3, "A001 请到3号窗口")) for name, fmt in sorted(PRESETS.items())]

    def check(value: tuple[str, bytes]) -> None:
        name, data = value
        fmt = PRESETS[name]
        whole = FrameReader(fmt).feed(data)
        bytewise = FrameReader(fmt)
        pieces = [f for i in range(len(data)) for f in bytewise.feed(data[i : i + 1])]
        assert pieces == whole, "frames differ when fed byte by byte"
        FrameReader(fmt, replies=True).feed(data)

    def make(rng: random.Random, s: tuple[str, bytes], pool: list[Any]) -> tuple[str, bytes]:
        return (s[0], mutate_bytes(rng, s[1], [p[1] for p in pool]))

    _fuzz("rs485 frames", seeds, check, make=make).finish()


def test_fuzz_scanner_lines() -> None:
    seeds = [b"HK1.abc.def\r", "不动产登记\r".encode("gbk"), b"1" * 31 + b"202611300001\r\n", b"\r\r\r"]

    def check(data: bytes) -> None:
        for item in LineDecoder(b"\r", prefix=b"]Q", suffix=b"\n").feed(data):
            if isinstance(item, bytes):
                assert isinstance(decode_payload(item), str)

    _fuzz("scanner lines", seeds, check).finish()


def test_fuzz_apdu_answers() -> None:
    seeds = [
        b"\x90\x00",
        b"\x61\x10",
        b"\x6a\x82",
        b"\x5f\x20\x06" + "张三丰".encode("gbk") + b"\x90\x00",
        b"\x5f\x08\x04\x20\x26\x11\x30\x90\x00",
    ]

    def check(raw: bytes) -> None:
        response = parse_response(raw)
        for tag in (0x5F, 0x20, raw[0] if raw else 0):
            try:
                value = tlv_value(response.data, tag)
            except ApduError:
                continue
            for encoding in ("gbk", "ascii", "hex", "bcd", "utf-8"):
                assert isinstance(decode_value(value, encoding), str)
        answers = iter([raw, raw[:2], b"\x90\x00"] * 20)
        transmit(lambda _apdu: next(answers), b"\x00\xb2\x01\x0c\x00")

    _fuzz("pcsc apdu answers", seeds, check, allowed=(ApduError,)).finish()


def _escpos_seeds() -> list[bytes]:
    out = []
    for model in (PrinterModel(profile="TM-T88V"), PrinterModel(profile="POS-5890", paper_mm=58)):
        out.append(build(blocks_for(TICKET, model.cols()), model))
    return out


def test_fuzz_escpos_decoder_and_renderer() -> None:
    count = {"n": 0}

    def check(data: bytes) -> None:
        ops, warnings = decode(data)
        d = Decoder()
        fed = [op for i in range(len(data)) for op in d.feed(data[i : i + 1])]
        fed.extend(d.flush())
        assert (fed, d.warnings) == (ops, warnings), "decoder differs when fed byte by byte"
        count["n"] += 1
        if count["n"] % 25 == 1:  # rendering is the slow part: every 25th input
            render(ops)

    _fuzz("escpos decode+render", _escpos_seeds(), check).finish()


# -- scanned codes ------------------------------------------------------------------------

_KEY = Ed25519PrivateKey.generate()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signed(payload: Any) -> str:
    part = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"HK1.{part}.{_b64(_KEY.sign(('HK1.' + part).encode()))}"


def test_fuzz_offline_codes_and_case_numbers() -> None:
    ring = KeyRing()
    ring.add("k1", _KEY.public_key())
    good = {"kid": "k1", "typ": "appt", "sub": "a" * 64, "appt": "AP-1", "exp": int(time.time()) + 3600}
    seeds: list[Any] = [
        _signed(good),
        _signed({**good, "typ": "person", "appt": None}),
        "1" * 31 + "202611300001",
    ]

    def check(text: str) -> None:
        result = classify(text, ring)
        if result.kind == Kind.CASE_NUMBER:
            assert result.case_number and result.case_number.isascii() and len(result.case_number) == 43
        if result.kind == Kind.OFFLINE_CODE:
            assert result.offline is not None and len(result.offline.sub) == 64

    def make(rng: random.Random, s: Any, pool: list[Any]) -> str:
        if rng.random() < 0.4:  # a hostile payload with a good signature
            return _signed(mutate_value(rng, good))
        return mutate_bytes(rng, s.encode(), [p.encode() for p in pool]).decode("utf-8", "replace")

    _fuzz("offline codes", seeds, check, make=make).finish()


# -- platform answers ---------------------------------------------------------------------

ANSWERS: list[tuple[str, Any, str]] = [
    ("hall profile", seed.HALL, "hall"),
    (
        "catalog page",
        {"items": seed.items()[:3], "deleted": ["X"], "cursor": "c-9", "has_more": False},
        "catalog",
    ),
    (
        "appointments",
        {
            "appointments": seed.appointments_for(datetime.now(seed.TZ).date()),
            "cursor": "a",
            "has_more": False,
        },
        "appointments",
    ),
    (
        "keys",
        {
            "keys": [
                {
                    "kid": "k1",
                    "alg": "Ed25519",
                    "public_key": base64.b64encode(b"k" * 32).decode(),
                    "not_after": None,
                }
            ]
        },
        "keys",
    ),
    (
        "heartbeat answer",
        {
            "server_time": "2026-11-30T01:00:00Z",
            "config_version": 3,
            "commands": [{"id": "c1", "name": "sync_now", "args": {}}],
        },
        "heartbeat",
    ),
    ("cases", {"cases": [case for _, case in seed.cases(datetime.now(seed.TZ).date())]}, "cases"),
]
SHAPES = {
    "hall": contract.HALL,
    "catalog": contract.CATALOG_PAGE,
    "appointments": contract.APPOINTMENTS_PAGE,
    "keys": contract.KEYS,
    "heartbeat": contract.HEARTBEAT_RESPONSE,
    "cases": contract.CASES,
}
RECORDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "catalog": ("items", accept.catalog_item),
    "appointments": ("appointments", accept.appointment),
    "keys": ("keys", accept.signing_key),
    "heartbeat": ("commands", accept.command),
}


def test_fuzz_platform_answer_bytes() -> None:
    """Damaged bodies through the client's decoding and checks: data or a PlatformError."""
    client = PlatformClient(ClientConfig("http://127.0.0.1:9", "T", "H", b"k" * 32))

    def check(value: tuple[str, bytes]) -> None:
        what, body = value
        for status in (200, 401, 422, 503):
            try:
                decoded = client._decode(_Answer(status, body[:12].decode("latin-1"), body))
            except PlatformError:
                continue
            checked = client._checked(decoded, SHAPES[what], what)
            if what == "hall":
                accept.hall_profile(checked)
            elif what in RECORDS:
                field, fn = RECORDS[what]
                for record in checked[field]:
                    try:
                        fn(record)
                    except accept.Refused:
                        pass

    def make(rng: random.Random, s: Any, pool: list[Any]) -> tuple[str, bytes]:
        return (s[0], mutate_json_text(rng, json.loads(s[1])))

    _fuzz(
        "platform answer bytes",
        [(a[2], json.dumps(a[1]).encode()) for a in ANSWERS],
        check,
        allowed=(PlatformError, accept.Refused),
        make=make,
    ).finish()
    client.close()


class _Platform:
    """Duck-typed client serving contract-valid extremes to a real SyncEngine."""

    def __init__(self) -> None:
        self.answers: dict[str, Any] = {a[2]: a[1] for a in ANSWERS}

    def hall(self) -> Any:
        return self.answers["hall"]

    def catalog(self, since: str | None = None, limit: int = 500) -> Any:
        return self.answers["catalog"]

    def appointments(self, date: str, since: str | None = None) -> Any:
        return self.answers["appointments"]

    def keys(self) -> Any:
        return self.answers["keys"]["keys"]

    def heartbeat(self, payload: Any) -> Any:
        return self.answers["heartbeat"]

    def push_encoded(self, ids: Any, events: Any) -> Any:
        return {"accepted": [], "duplicates": [], "rejected": []}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    # on tmpfs when there is one: thousands of fsynced commits are the slow part of a run
    shm = Path("/dev/shm")
    where = Path(tempfile.mkdtemp(dir=shm)) if shm.is_dir() else tmp_path
    s = Store.open(where / "kiosk.db")
    yield s
    s.close()
    if where != tmp_path:
        shutil.rmtree(where, ignore_errors=True)


def test_fuzz_platform_data_into_the_store(store: Store) -> None:
    """Contract-valid extremes through the real sync engine into a real store; whatever is
    stored is then usable: the queue reads the hall profile, the catalog searches."""
    platform = _Platform()
    engine = SyncEngine(store, platform, terminal_id="T", hall_id=seed.HALL_ID)  # type: ignore[arg-type]
    heartbeat_ok = {"n": 0}

    def check(value: tuple[str, Any]) -> None:
        what, answer = value
        try:
            contract.check(answer, SHAPES[what])
            contract.check_bounds(answer)
        except contract.ContractError:
            return  # the client refuses it before the engine sees it (the bytes target covers that)
        platform.answers = {a[2]: a[1] for a in ANSWERS} | {what: answer}
        if what == "catalog":
            # fresh codes, so a page is not refused only because an earlier one was
            answer["items"] = [
                {**it, "code": f"{it['code']}-{random.random():.6f}"} for it in answer["items"]
            ]
        result = engine.run_once()
        for name, outcome in result.pulls.items():  # accepted, refused by name, or one plain line
            assert "\n" not in outcome and len(outcome) < 600, (name, outcome[:200])
        if what == "hall" and answer.get("hall_id") == seed.HALL_ID:
            assert result.pulls["hall"].startswith("ok"), result.pulls["hall"]
        if engine.heartbeat():
            heartbeat_ok["n"] += 1
        with store.read() as conn:
            profile = queue_hall.from_store(conn, seed.HALL_ID)
            assert profile is not None, "the last good hall profile is always there"
            profile.tz.utcoffset(datetime(2026, 1, 1))
            for item in answer.get("items", []) if what == "catalog" else []:
                got = catalog.get(conn, item["code"])
                if got is not None:
                    catalog.search(conn, got["name"][:5])
        engine.status()

    def make(rng: random.Random, s: Any, pool: list[Any]) -> tuple[str, Any]:
        what, answer = s
        return (what, mutate_value(rng, answer, same_types=True))

    seeds = [(a[2], a[1]) for a in ANSWERS if a[2] != "cases"]
    _fuzz("platform data into the store", seeds, check, make=make).finish()
    assert heartbeat_ok["n"] >= 1


def test_fuzz_stored_hall_profiles_read_back(store: Store) -> None:
    """A damaged stored copy never stops the reader: a profile or None, never an exception."""
    engine = SyncEngine(store, None, terminal_id="T", hall_id=seed.HALL_ID)

    def check(text: str) -> None:
        text = text.encode("utf-8", "replace").decode("utf-8")  # SQLite text is UTF-8
        store.write(
            lambda c: c.execute(
                "INSERT OR REPLACE INTO hall_profile (hall_id, version, payload, fetched_at) "
                "VALUES (?, 1, ?, 'x')",
                (seed.HALL_ID, text),
            )
        )
        with store.read() as conn:
            profile = queue_hall.from_store(conn, seed.HALL_ID)
            if profile is not None:
                profile.tz.utcoffset(datetime(2026, 1, 1))
            hall.load(conn, seed.HALL_ID) if _is_json_object(text) else None
        engine.check_stored()

    def make(rng: random.Random, s: str, pool: list[Any]) -> str:
        if rng.random() < 0.5:
            return json.dumps(mutate_value(rng, json.loads(s)), ensure_ascii=False)
        return mutate_json_text(rng, json.loads(s)).decode("utf-8", "replace")

    _fuzz("stored hall profile", [json.dumps(seed.HALL, ensure_ascii=False)], check, make=make).finish()


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(contract.loads(text), dict)
    except contract.ContractError:
        return False


# -- config, environment, files -----------------------------------------------------------


def test_fuzz_config_files(tmp_path: Path) -> None:
    seeds = [p.read_bytes() for p in sorted((shipped_config_dir() / "profiles").glob("*.toml"))]
    target = tmp_path / "t.toml"

    def check(data: bytes) -> None:
        target.write_bytes(data)
        settings, errors = check_file(target)
        assert (settings is None) == bool(errors)
        for e in errors:
            assert "\n" not in e.reason or "TOML" in e.reason

    _fuzz("config files", seeds, check).finish()


def test_fuzz_environment_variables() -> None:
    layers, _ = default_layers()
    seeds = [
        ("KIOSK_PLATFORM__TIMEOUT_S", "5"),
        ("KIOSK_QUEUE__COUNTER_WEIGHTS", '{ "1" = { A = 2 } }'),
        ("KIOSK_TERMINAL__LANGUAGE", "en"),
        ("KIOSK_DEVICES__PRINTER__CONNECTION", '"tcp://h:9100"'),
    ]

    def check(value: tuple[str, str]) -> None:
        layer = env_layer({value[0]: value[1]})
        settings, errors = validate_layers([*layers, layer])
        assert (settings is None) == bool(errors)

    def make(rng: random.Random, s: tuple[str, str], pool: list[Any]) -> tuple[str, str]:
        name = s[0] if rng.random() < 0.8 else mutate_bytes(rng, s[0].encode(), []).decode("ascii", "replace")
        return (
            name,
            mutate_bytes(rng, s[1].encode(), [p[1].encode() for p in pool]).decode("utf-8", "replace"),
        )

    _fuzz("environment variables", seeds, check, make=make).finish()


def test_fuzz_retry_after_and_printer_urls() -> None:
    seeds = [
        "120",
        "Sun, 22 Nov 2026 08:01:00 GMT",
        "tcp://192.168.1.50:9100",
        "usb://0416:5011?in_ep=0x81",
        "serial:///dev/ttyUSB0?baudrate=19200",
        "file:///tmp/t.bin",
    ]

    def check(text: str) -> None:
        wait = backoff.parse_retry_after(text)
        assert wait is None or (math.isfinite(wait) and 0 <= wait <= 86400)
        parse_url(text)

    def make(rng: random.Random, s: str, pool: list[Any]) -> str:
        return mutate_bytes(rng, s.encode(), [p.encode() for p in pool]).decode("utf-8", "replace")

    _fuzz("retry-after + printer url", seeds, check, allowed=(LinkError,), make=make).finish()


def test_fuzz_pcsc_profile_files(tmp_path: Path) -> None:
    target = tmp_path / "profiles.toml"

    def check(data: bytes) -> None:
        target.write_bytes(data)
        load_profiles(target)

    _fuzz("pcsc profile files", [DEFAULT_FILE.read_bytes()], check, allowed=(ProfileFileError,)).finish()
