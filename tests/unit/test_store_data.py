"""Catalog search (both SQLite builds), crypto suites, case cache, quarantine, signing keys,
retention."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from offline_cache import (
    appointments,
    cases,
    catalog,
    hall,
    outbox,
    quarantine,
    retention,
    signing_keys,
    sqlite,
)
from offline_cache.crypto import Cipher, CryptoError, KeyFileError, load_or_create_key
from offline_cache.store import Store

ITEMS = [
    {"code": "B001", "name": "不动产登记（首次登记）", "department": "县自然资源局", "category": "B"},
    {"code": "C001", "name": "居民身份证换领", "department": "县公安局", "category": "C"},
    {"code": "A001", "name": "企业设立登记", "department": "县市场监督管理局", "category": "A"},
    {"code": "D001", "name": "增值税发票领用", "department": "县税务局", "category": "D"},
]


def catalog_store(
    request: pytest.FixtureRequest, tmp_path: Path, items: list[dict[str, Any]]
) -> Iterator[Store]:
    """A store on the ``request.param`` SQLite build ("bundled" or "stdlib") holding ``items``
    in its catalog; closed when the fixture that yields from it ends."""
    module = sqlite.driver if request.param == "bundled" else sqlite.STDLIB
    s = Store.open(tmp_path / "kiosk.db", module=module)
    s.write(lambda c: catalog.upsert(c, items))
    yield s
    s.close()


@pytest.fixture(params=["bundled", "stdlib"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    yield from catalog_store(request, tmp_path, ITEMS)


def test_both_sqlite_builds_are_exercised() -> None:
    assert sqlite.version(sqlite.STDLIB) >= (3, 34)
    # The bundled one is what sqlite-utils and the store use when pysqlite3-binary is installed.
    assert sqlite.version() >= sqlite.version(sqlite.STDLIB)


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("bdcdj", ["B001"]),  # pinyin initials
        ("budongchan", ["B001"]),  # full pinyin
        ("bu dong chan", ["B001"]),  # pinyin typed with spaces
        ("BDC", ["B001"]),
        ("不动产登记", ["B001"]),
        ("登记", ["A001", "B001"]),  # 2 chars: instr route, name-prefix ordering then length
        ("登", ["A001", "B001"]),  # 1 char
        ("税", ["D001"]),
        ("bd", ["B001"]),  # 2 latin chars
        ("sfz", ["C001"]),
        ("身份证 公安", ["C001"]),  # several terms: all must match
        ("企业 dj", ["A001"]),
        ("公安局", ["C001"]),  # department
        ('"; DROP TABLE catalog_items; --', []),
        ("x" * 300, []),
        ("   ", []),
    ],
)
def test_search(store: Store, query: str, codes: list[str]) -> None:
    with store.read() as conn:
        assert sorted(i.code for i in catalog.search(conn, query)) == sorted(codes)
        assert catalog.count(conn) == 4


def test_search_ranks_name_prefix_first(store: Store) -> None:
    with store.read() as conn:
        assert next(i.code for i in catalog.search(conn, "不动产")) == "B001"
        assert next(i.code for i in catalog.search(conn, "企业")) == "A001"


def test_update_and_delete_keep_index_in_step(store: Store) -> None:
    store.write(lambda c: catalog.upsert(c, [{**ITEMS[0], "name": "房屋抵押登记"}]))
    store.write(lambda c: catalog.delete(c, ["C001"]))
    with store.read() as conn:
        assert catalog.search(conn, "bdcdj") == []
        assert [i.code for i in catalog.search(conn, "fwdy")] == ["B001"]
        assert catalog.search(conn, "身份证") == []
        assert catalog.get(conn, "B001")["name"] == "房屋抵押登记"  # type: ignore[index]


def test_pinyin_of() -> None:
    assert catalog.pinyin_of("不动产登记") == ("budongchandengji", "bdcdj")


@pytest.mark.parametrize("suite", ["aes-gcm", "sm4-gcm"])
def test_cipher_roundtrip_and_tamper(tmp_path: Path, suite: Any) -> None:
    c = Cipher.from_key_file(tmp_path / "keys" / "store.key", suite)
    sealed = c.seal("李明华".encode(), aad=b"k")
    assert "李明华".encode() not in sealed
    assert c.open(sealed, aad=b"k") == "李明华".encode()
    with pytest.raises(CryptoError):
        c.open(sealed[:-1] + bytes([sealed[-1] ^ 1]), aad=b"k")
    with pytest.raises(CryptoError):
        c.open(sealed, aad=b"other")
    other = "sm4-gcm" if suite == "aes-gcm" else "aes-gcm"
    with pytest.raises(CryptoError):
        Cipher.from_key_file(tmp_path / "keys" / "store.key", other).open(sealed, aad=b"k")
    assert len(c.mac(b"x")) == 64


def test_key_file_is_private_and_checked(tmp_path: Path) -> None:
    key_path = tmp_path / "keys" / "store.key"
    key = load_or_create_key(key_path)
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert load_or_create_key(key_path) == key
    os.chmod(key_path, 0o644)
    with pytest.raises(KeyFileError, match="readable by others"):
        load_or_create_key(key_path)
    os.chmod(key_path, 0o600)
    key_path.write_text("not hex")
    with pytest.raises(KeyFileError):
        load_or_create_key(key_path)


def test_case_cache_is_sealed_and_expires(tmp_path: Path) -> None:
    cipher = Cipher.from_key_file(tmp_path / "store.key")
    s = Store.open(tmp_path / "kiosk.db", cipher=cipher)
    try:
        found = [{"case_number": "BDC2026110001", "item_name": "不动产登记", "status": "in_progress"}]
        s.write(lambda c: cases.put(c, cipher, "id", "110105198503072014", found, ttl_s=60))
        with s.read() as conn:
            assert cases.get(conn, cipher, "id", "110105198503072014") == found
            assert cases.get(conn, cipher, "id", "110105198503072014", now=1e12) is None
            raw = conn.execute("SELECT lookup_hash, payload FROM case_cache").fetchone()
        assert b"BDC2026110001" not in bytes(raw[1])
        assert "110105198503072014" not in raw[0]
        assert s.write(lambda c: cases.purge_expired(c, now=1e12)) == 1
    finally:
        s.close()
    raw_file = b"".join(p.read_bytes() for p in tmp_path.glob("kiosk.db*"))
    assert b"110105198503072014" not in raw_file


def test_appointments_match_by_hash_and_survive_refresh(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "kiosk.db")
    salt = "demo-salt-H-DEMO-001"
    h = appointments.holder_id_hash(salt, "32050219480916402x")
    assert h == appointments.holder_id_hash(salt, "32050219480916402X")
    appt = {
        "id": "AP-1",
        "item_code": "B001",
        "category": "B",
        "slot_start": "2026-11-23T09:00:00+08:00",
        "slot_end": "2026-11-23T09:30:00+08:00",
        "holder_id_hash": h,
        "holder_name_masked": "王*英",
        "status": "booked",
    }
    try:
        s.write(lambda c: appointments.upsert(c, "H-DEMO-001", "2026-11-23", [appt]))
        assert s.write(lambda c: appointments.mark_checked_in(c, "AP-1", "T1", "2026-11-23T09:01:00+08:00"))
        assert not s.write(
            lambda c: appointments.mark_checked_in(c, "AP-1", "T2", "2026-11-23T09:02:00+08:00")
        )
        s.write(lambda c: appointments.upsert(c, "H-DEMO-001", "2026-11-23", [appt]))
        with s.read() as conn:
            [a] = appointments.for_holder(conn, h, "2026-11-23")
            assert a.ticket_id == "T1"
        s.write(
            lambda c: appointments.upsert(c, "H-DEMO-001", "2026-11-23", [{**appt, "status": "cancelled"}])
        )
        with s.read() as conn:
            assert appointments.for_holder(conn, h, "2026-11-23") == []
    finally:
        s.close()


def test_quarantine_move_and_release(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "kiosk.db")
    data = {"ticket_id": "t1", "counter": 3, "reason": "no_show"}
    try:
        eid = s.write(lambda c: outbox.enqueue(c, "ticket.skipped", data, terminal_id="T", hall_id="H"))
        assert s.write(lambda c: quarantine.move_from_outbox(c, eid, "unknown ticket"))
        with s.read() as conn:
            assert outbox.depth(conn) == 0
            [entry] = quarantine.entries(conn)
            assert entry.reason == "unknown ticket"
            assert json.loads(entry.payload)["data"] == data
        assert s.write(lambda c: quarantine.release(c, eid))
        with s.read() as conn:
            assert outbox.depth(conn) == 1 and quarantine.count(conn) == 0
    finally:
        s.close()


def test_signing_keys_are_replaced_whole_and_read_back(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "kiosk.db")
    answer = [
        {"kid": "k1", "alg": "Ed25519", "public_key": "AAAA", "not_after": None},
        {"kid": "k2", "alg": "Ed25519", "public_key": "BBBB", "not_after": "2027-01-01T00:00:00+08:00"},
    ]
    try:
        with s.read() as conn:
            assert signing_keys.load(conn) == [], "before the first sync a scanned code cannot verify"
        keys = [signing_keys.SigningKey.from_platform(k) for k in answer]
        assert s.write(lambda c: signing_keys.replace(c, keys)) == 2
        with s.read() as conn:
            held = signing_keys.load(conn)
        assert [k.as_platform() for k in held] == answer
        # the platform withdrew k1: the next pull leaves only k2 (and a repeated kid keeps the last)
        again = [keys[1], signing_keys.SigningKey("k2", "Ed25519", "CCCC", None)]
        s.write(lambda c: signing_keys.replace(c, again))
        with s.read() as conn:
            assert signing_keys.load(conn) == [signing_keys.SigningKey("k2", "Ed25519", "CCCC", None)]
    finally:
        s.close()


def test_retention_purges_old_personal_data(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "kiosk.db")
    calls: list[str] = []
    retention.register("test", lambda conn, cutoff: calls.append(cutoff) or 0)
    try:
        old = {
            "id": "AP-OLD",
            "item_code": None,
            "category": "B",
            "slot_start": "2026-10-01T09:00:00+08:00",
            "slot_end": "2026-10-01T09:30:00+08:00",
            "holder_id_hash": "ab",
            "holder_name_masked": "李*华",
            "status": "booked",
        }
        s.write(lambda c: appointments.upsert(c, "H", "2026-10-01", [old]))
        s.write(lambda c: hall.save(c, {"hall_id": "H", "version": 1, "name": "x"}))
        done = s.write(lambda c: retention.purge(c, retention_days=30, today=date(2026, 11, 23)))
        assert done["appointments"] == 1
        assert calls == ["2026-10-24"]
        with s.read() as conn:
            assert hall.load(conn)["name"] == "x"  # type: ignore[index]
    finally:
        retention.PURGERS.pop("test", None)
        s.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40))
def test_search_never_fails_on_any_input(store: Store, text: str) -> None:
    with store.read() as conn:
        found = catalog.search(conn, text)
    assert len(found) <= 20


@settings(max_examples=100, deadline=None)
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=12,
    )
)
def test_contract_checker_rejects_garbage_cleanly(value: Any) -> None:
    from offline_cache import contract

    for shape in (contract.HALL, contract.CATALOG_PAGE, contract.EVENTS_RESPONSE, contract.CASES):
        try:
            contract.check(value, shape)
        except contract.ContractError:
            pass
