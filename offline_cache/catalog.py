"""Service catalog: items kept from the platform, searched as a citizen types.

Search must work on every keystroke, in Chinese (any substring: ``登记`` finds 不动产登记) and
in pinyin, full (``budongchan``) or initials (``bdcdj``). Terms of three or more characters go
to the FTS5 trigram index over ``search_text`` (a lower-cased concatenation of name,
department, pinyin and initials); shorter ones, which SQLite 3.40's trigram tokenizer cannot
answer (not even through LIKE), become the OR of the indexed trigrams that start with them,
found in the index's own vocabulary (``fts5vocab``) -- never a scan of every row. The best
matches (name, initials, pinyin prefixes) come from bounded scans of ordinary indexes first.
Several terms separated by spaces must all match. The query is only ever a bound parameter,
quoted as an FTS phrase.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

_ASCII_WORDS = re.compile(r"[a-z0-9 ]+")
_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=4096)
def pinyin_of(text: str) -> tuple[str, str]:
    """``不动产登记`` -> (``budongchandengji``, ``bdcdj``); other characters kept as they are."""
    # Imported here: its dictionaries cost ~0.1 s and ~56 MiB, and only catalog sync needs them.
    from pypinyin import Style, lazy_pinyin

    # One conversion; non-Chinese chunks come back marked so they are kept whole in both forms.
    parts = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chunk: "\x00" + chunk)
    full = "".join(p.lstrip("\x00") for p in parts).lower()
    initials = "".join(p[1:] if p.startswith("\x00") else p[:1] for p in parts).lower()
    return _squash(full), _squash(initials)


def _squash(s: str) -> str:
    return _NON_WORD.sub("", s)


@dataclass(frozen=True)
class ItemSummary:
    code: str
    name: str
    department: str
    category: str
    kind: str
    promised_days: int | None
    online_depth: int
    name_en: str = ""
    """The platform's English name, ``""`` when it sent none (the screens say so)."""


_SUMMARY_COLS = "code, name, department, category, kind, promised_days, online_depth, name_en"


def _row_values(
    item: dict[str, Any], pinyin: Callable[[str], tuple[str, str]] = pinyin_of
) -> tuple[Any, ...]:
    full, initials = pinyin(item["name"])
    dep_full, dep_initials = pinyin(item.get("department", ""))
    # The trailing newline: a term at the very end still starts a trigram, so the trigram
    # index (see ``_expand``) finds 1-2 character terms wherever they are.
    search_text = "\n".join(
        [item["name"].lower(), item.get("department", "").lower(), full, initials, dep_full, dep_initials, ""]
    )
    return (
        item["code"],
        item["name"],
        item.get("department", ""),
        item.get("category", ""),
        item.get("kind", "promised"),
        item.get("legal_days"),
        item.get("promised_days"),
        int(item.get("online_depth", 1)),
        item.get("fee", ""),
        item.get("location", ""),
        item.get("phone", ""),
        item.get("conditions", ""),
        json.dumps(item.get("materials", []), ensure_ascii=False),
        json.dumps(item.get("steps", []), ensure_ascii=False),
        json.dumps(item.get("faq", []), ensure_ascii=False),
        item.get("updated_at", ""),
        full,
        initials,
        search_text,
        item.get("name_en") or "",
    )


def prepare(items: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows for ``upsert_rows``: the pinyin and JSON work, done outside the write transaction
    so a large catalog page never holds the single writer (and a citizen's ticket) for long."""
    return [_row_values(item) for item in items]


class PinyinProcess:
    """``prepare`` with the pinyin from ``offline_cache.pinyin_worker``, started on the first
    page that has items and stopped at the end of the ``with`` block (one catalog sync), so the
    running kiosk never loads pypinyin's dictionaries. If the worker cannot run, the pinyin is
    computed in this process after all: slower, never wrong."""

    def __init__(self) -> None:
        self._proc: Any = None
        self._broken = False

    def __enter__(self) -> PinyinProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def prepare(self, items: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
        items = list(items)
        if not items:
            return []
        texts = sorted({i["name"] for i in items} | {i.get("department", "") for i in items})
        known = self.convert(texts)
        return [_row_values(item, known.__getitem__) for item in items]

    def convert(self, texts: list[str]) -> dict[str, tuple[str, str]]:
        if not self._broken:
            try:
                return self._ask(texts)
            except (OSError, ValueError, TypeError, IndexError) as exc:
                log.warning("pinyin worker failed (%s); converting in this process", type(exc).__name__)
                self._broken = True
                self.close()
        return {t: pinyin_of(t) for t in texts}

    def _ask(self, texts: list[str]) -> dict[str, tuple[str, str]]:
        if self._proc is None:
            import os
            import subprocess
            import sys
            from pathlib import Path

            root = str(Path(__file__).resolve().parents[1])
            path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "offline_cache.pinyin_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env={**os.environ, "PYTHONPATH": path, "PYTHONIOENCODING": "utf-8"},
            )
        self._proc.stdin.write(json.dumps(texts, ensure_ascii=False) + "\n")
        self._proc.stdin.flush()
        pairs = json.loads(self._proc.stdout.readline() or "null")
        if not isinstance(pairs, list) or len(pairs) != len(texts):
            raise ValueError("the worker's answer does not fit the question")
        return {t: (str(p[0]), str(p[1])) for t, p in zip(texts, pairs, strict=True)}

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
            proc.wait(10)
        except Exception:  # noqa: BLE001 - a worker that will not go is killed
            proc.kill()
            proc.wait(5)
        finally:
            proc.stdout.close()


def upsert(conn: Any, items: Iterable[dict[str, Any]]) -> int:
    """Insert or replace items (already validated against the contract)."""
    return upsert_rows(conn, prepare(items))


def upsert_rows(conn: Any, rows: list[tuple[Any, ...]]) -> int:
    conn.executemany(
        "INSERT INTO catalog_items (code, name, department, category, kind, legal_days, promised_days, "
        "online_depth, fee, location, phone, conditions, materials, steps, faq, updated_at, pinyin, "
        "initials, search_text, name_en) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(code) DO UPDATE SET name=excluded.name, department=excluded.department, "
        "category=excluded.category, kind=excluded.kind, legal_days=excluded.legal_days, "
        "promised_days=excluded.promised_days, online_depth=excluded.online_depth, fee=excluded.fee, "
        "location=excluded.location, phone=excluded.phone, conditions=excluded.conditions, "
        "materials=excluded.materials, steps=excluded.steps, faq=excluded.faq, "
        "updated_at=excluded.updated_at, pinyin=excluded.pinyin, initials=excluded.initials, "
        "search_text=excluded.search_text, name_en=excluded.name_en",
        rows,
    )
    return len(rows)


def delete(conn: Any, codes: Iterable[str]) -> int:
    return sum(conn.execute("DELETE FROM catalog_items WHERE code = ?", (c,)).rowcount for c in codes)


def clear(conn: Any) -> None:
    conn.execute("DELETE FROM catalog_items")


def count(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM catalog_items").fetchone()[0])


def get(conn: Any, code: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT code, name, department, category, kind, legal_days, promised_days, online_depth, fee, "
        "location, phone, conditions, materials, steps, faq, updated_at, name_en FROM catalog_items "
        "WHERE code = ?",
        (code,),
    ).fetchone()
    if row is None:
        return None
    keys = [
        "code",
        "name",
        "department",
        "category",
        "kind",
        "legal_days",
        "promised_days",
        "online_depth",
        "fee",
        "location",
        "phone",
        "conditions",
        "materials",
        "steps",
        "faq",
        "updated_at",
        "name_en",
    ]
    item = dict(zip(keys, tuple(row), strict=True))
    for k in ("materials", "steps", "faq"):
        try:
            value = json.loads(item[k])
        except (ValueError, TypeError, RecursionError):
            value = None  # damaged on disk: shown as empty, the item itself stays usable
        item[k] = value if isinstance(value, list) else []
    return item


def by_category(conn: Any, category: str, limit: int = 200) -> list[ItemSummary]:
    rows = conn.execute(
        f"SELECT {_SUMMARY_COLS} FROM catalog_items WHERE category = ? ORDER BY name LIMIT ?",  # noqa: S608
        (category, limit),
    ).fetchall()
    return [ItemSummary(*tuple(r)) for r in rows]


def terms_of(text: str) -> list[str]:
    """Normalised search terms: lower case; pure-latin input (pinyin) has its spaces removed."""
    t = text.strip().lower()
    if not t:
        return []
    if _ASCII_WORDS.fullmatch(t):
        return [t.replace(" ", "")]
    return [w for w in (_squash(p) for p in t.split()) if w]


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


VOCAB_DDL = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.catalog_vocab USING fts5vocab(main, catalog_fts, row)"
"""Per reader connection (``Store.read`` runs it): the trigram index's own term list, through
which a 1-2 character term finds the trigrams that start with it without reading every row."""

_MAX_EXPANSION = 400
"""Trigrams a short term may expand to; beyond that the term is so common that the indexed
prefix tiers have already filled the page."""

_TIER_SCAN = 100
"""Hits of one tier read and ordered per keystroke: bounded work however common the prefix
(the exact name comes first whenever fewer items than this share what was typed)."""


def search(conn: Any, text: str, limit: int = 20) -> list[ItemSummary]:
    """Items matching every term of ``text``, best first: the name starting with the first term
    (the exact name first of all), then the pinyin initials, then the full pinyin starting with
    it, then (Chinese terms) names containing it, then any other match; shortest name first
    within a tier. Each tier is one bounded index scan (``_TIER_SCAN``) and the rest comes from
    the trigram index in storage order with the row limit, so no keystroke ranks thousands of
    matches or reads every row."""
    terms = terms_of(text)[:6]
    if not terms or limit <= 0:
        return []
    found: dict[str, ItemSummary] = {}
    first, rest = terms[0], terms[1:]
    hi = first + "\U0010ffff"
    for column in ("name", "initials", "pinyin"):
        if len(found) >= limit:
            break
        _add(found, _prefix_tier(conn, column, first, hi, rest, limit), limit)
    if len(found) >= limit:
        return list(found.values())
    match = _match(conn, terms)
    if match is None:
        _add(found, _scan(conn, terms, limit + len(found)), limit)
    elif match:
        if not first.isascii():
            _add(found, _any_match(conn, match, limit + len(found), name_has=first), limit)
        if len(found) < limit:
            _add(found, _any_match(conn, match, limit + len(found)), limit)
    return list(found.values())[:limit]


def _add(found: dict[str, ItemSummary], rows: list[Any], limit: int) -> None:
    for r in rows:
        if len(found) >= limit:
            return
        item = ItemSummary(*tuple(r))
        found.setdefault(item.code, item)


def _prefix_tier(conn: Any, column: str, first: str, hi: str, rest: list[str], limit: int) -> list[Any]:
    """Rows whose ``column`` starts with the first term and that contain every other term,
    shortest name first (the exact name before longer ones). At most ``_TIER_SCAN`` prefix hits
    are read, in index order, so a first keystroke matching half the catalog stays cheap."""
    inner = _SUMMARY_COLS + (", search_text" if rest else "")
    extra = "".join(" AND instr(search_text, ?) > 0" for _ in rest)
    return list(
        conn.execute(
            f"SELECT {_SUMMARY_COLS} FROM (SELECT {inner} FROM catalog_items INDEXED BY "  # noqa: S608
            f"catalog_{column} WHERE {column} >= ? AND {column} < ? ORDER BY {column} LIMIT ?) "
            f"WHERE 1{extra} ORDER BY length(name), code LIMIT ?",
            (first, hi, _TIER_SCAN, *rest, limit),
        ).fetchall()
    )


def _match(conn: Any, terms: list[str]) -> str | None:
    """The FTS5 query for every term ("" when a term cannot match; None when this connection
    has no vocabulary table). A term of 1-2 characters becomes the OR of the indexed trigrams
    that start with it (looked up once per keystroke: the lookup reads those trigrams' lists)."""
    groups: list[str] = []
    for t in terms:
        if len(t) >= 3:
            groups.append(_fts_phrase(t))
            continue
        expanded = _expand(conn, t)
        if expanded is None:
            return None
        if not expanded:
            return ""
        groups.append("(" + " OR ".join(_fts_phrase(x) for x in expanded) + ")")
    return " AND ".join(groups)


def _any_match(conn: Any, match: str, limit: int, name_has: str = "") -> list[Any]:
    """Rows matching ``match`` anywhere in name, department or pinyin, in storage order.
    With ``name_has``: only items whose name contains it, among the first ``_TIER_SCAN`` matches."""
    cols = ", ".join("c." + c for c in _SUMMARY_COLS.split(", "))
    if name_has:
        sql = (
            f"SELECT {cols} FROM (SELECT rowid FROM catalog_fts WHERE catalog_fts MATCH ? LIMIT ?) f "  # noqa: S608
            "JOIN catalog_items c ON c.rowid = f.rowid WHERE instr(c.name, ?) > 0 "
            "ORDER BY length(c.name), c.code LIMIT ?"
        )
        return list(conn.execute(sql, (match, _TIER_SCAN, name_has, limit)).fetchall())
    sql = (
        f"SELECT {cols} FROM catalog_fts f JOIN catalog_items c ON c.rowid = f.rowid "  # noqa: S608
        "WHERE catalog_fts MATCH ? LIMIT ?"
    )
    return list(conn.execute(sql, (match, limit)).fetchall())


def _expand(conn: Any, term: str) -> list[str] | None:
    """The trigrams starting with ``term`` (None: this connection has no vocabulary table)."""
    try:
        rows = conn.execute(
            "SELECT term FROM temp.catalog_vocab WHERE term >= ? AND term < ? LIMIT ?",
            (term, term + "\U0010ffff", _MAX_EXPANSION),
        ).fetchall()
    except Exception as exc:
        if "no such" in str(exc):
            return None
        raise
    return [r[0] for r in rows]


def _scan(conn: Any, terms: list[str], limit: int) -> list[Any]:
    """Fallback for a connection without the vocabulary table: ``instr`` over every row."""
    return list(
        conn.execute(
            f"SELECT {_SUMMARY_COLS} FROM catalog_items WHERE "  # noqa: S608
            f"{' AND '.join('instr(search_text, ?) > 0' for _ in terms)} LIMIT ?",
            [*terms, limit],
        ).fetchall()
    )
