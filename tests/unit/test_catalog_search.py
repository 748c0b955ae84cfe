"""Catalog search order and the short-term paths (issue 16: bounded work per keystroke)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from offline_cache import catalog, sqlite
from offline_cache.store import Store
from tests.unit.test_store_data import catalog_store

ITEMS = [
    # storage (rowid) order deliberately puts the weaker matches first
    {"code": "D1", "name": "示范县不动产登记资料查询", "department": "不动产登记中心", "category": "B"},
    {"code": "D2", "name": "房屋查封登记", "department": "县不动产登记中心", "category": "B"},
    {"code": "P2", "name": "不动产抵押权首次登记", "department": "县自然资源局", "category": "B"},
    {"code": "P1", "name": "不动产登记", "department": "县自然资源局", "category": "B"},
    {"code": "I1", "name": "补递材料", "department": "县政务服务中心", "category": "A"},
    {"code": "C1", "name": "居民身份证换领", "department": "县公安局", "category": "C"},
    {"code": "M1", "name": "城乡居民医保参保登记", "department": "县医疗保障局", "category": "E"},
]


@pytest.fixture(params=["bundled", "stdlib"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    yield from catalog_store(request, tmp_path, ITEMS)


def codes(store: Store, text: str, limit: int = 20) -> list[str]:
    with store.read() as conn:
        return [i.code for i in catalog.search(conn, text, limit)]


def test_exact_name_then_name_prefix_then_name_contains_then_other_fields(store: Store) -> None:
    found = codes(store, "不动产")
    assert found[:2] == ["P1", "P2"]  # exact name first, then the other name starting with it
    assert found[2] == "D1"  # name contains it
    assert found[3:] == ["D2"]  # only its department does


def test_initials_prefix_before_matches_elsewhere(store: Store) -> None:
    # "bdc" starts the initials of P1/P2 and I1's ("bdcl"), and is inside D1's/D2's department initials
    found = codes(store, "bdc")
    assert set(found[:3]) == {"P1", "P2", "I1"}
    assert set(found[3:]) == {"D1", "D2"}


def test_pinyin_prefix_before_matches_elsewhere(store: Store) -> None:
    found = codes(store, "budongchan")
    assert found[:2] == ["P2", "P1"] or found[:2] == ["P1", "P2"]
    assert set(found) == {"P1", "P2", "D1", "D2"}


def test_short_terms_without_a_prefix_hit_are_found_anywhere(store: Store) -> None:
    assert codes(store, "医保") == ["M1"]  # inside a name: no prefix of anything
    assert codes(store, "换领") == ["C1"]
    assert codes(store, "查") == ["D2", "D1"]  # both names contain it: the shorter first
    assert codes(store, "aj") == ["C1"]  # only the last letters of 县公安局's initials (xgaj)
    assert codes(store, "j") != []
    assert codes(store, "qq") == []


def test_several_terms_with_a_short_one(store: Store) -> None:
    assert codes(store, "不动产 首次") == ["P2"]
    assert codes(store, "登记 查") == ["D2", "D1"]


def test_limit_is_kept_across_tiers(store: Store) -> None:
    assert codes(store, "不动产", limit=2) == ["P1", "P2"]
    assert len(codes(store, "d", limit=3)) == 3


def test_a_connection_without_the_vocabulary_still_finds_short_terms(tmp_path: Path) -> None:
    """Another caller's connection (no temp vocabulary table) falls back to reading every row."""
    s = Store.open(tmp_path / "kiosk.db")
    s.write(lambda c: catalog.upsert(c, ITEMS))
    s.close()
    conn = sqlite.driver.connect(str(tmp_path / "kiosk.db"))
    try:
        assert [i.code for i in catalog.search(conn, "医保")] == ["M1"]
        assert [i.code for i in catalog.search(conn, "不动产")][:2] == ["P1", "P2"]
    finally:
        conn.close()


def test_pinyin_from_the_worker_process_gives_the_same_rows() -> None:
    """Catalog sync takes its pinyin from a worker so the kiosk never loads pypinyin itself."""
    with catalog.PinyinProcess() as pinyin:
        assert pinyin.prepare([]) == []
        assert pinyin._proc is None  # nothing to convert: no process started
        rows = pinyin.prepare(ITEMS)
        assert pinyin._proc is not None and pinyin._proc.poll() is None
        assert pinyin.prepare(ITEMS[:2]) == catalog.prepare(ITEMS[:2])  # the same worker again
        proc = pinyin._proc
    assert rows == catalog.prepare(ITEMS)
    assert proc.returncode == 0  # stopped with the block


def test_a_worker_that_cannot_run_falls_back_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.executable", "/nonexistent/python")
    with catalog.PinyinProcess() as pinyin:
        assert pinyin.prepare(ITEMS) == catalog.prepare(ITEMS)
