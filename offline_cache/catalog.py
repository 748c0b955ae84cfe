"""Service catalog: items kept from the platform, searched as a citizen types.

Search must work on every keystroke, in Chinese (any substring: ``登记`` finds 不动产登记) and
in pinyin, full (``budongchan``) or initials (``bdcdj``). Terms of three or more characters go
to the FTS5 trigram index; shorter ones (which SQLite 3.40's trigram tokenizer cannot answer,
not even through LIKE) go through ``instr`` over ``search_text``, a lower-cased concatenation
of name, department, pinyin and initials. Several terms separated by spaces must all match.
The query is only ever a bound parameter, quoted as an FTS phrase.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

_ASCII_WORDS = re.compile(r"[a-z0-9 ]+")
_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=4096)
def pinyin_of(text: str) -> tuple[str, str]:
    """``不动产登记`` -> (``budongchandengji``, ``bdcdj``); other characters kept as they are."""
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


_SUMMARY_COLS = "code, name, department, category, kind, promised_days, online_depth"


def _row_values(item: dict[str, Any]) -> tuple[Any, ...]:
    full, initials = pinyin_of(item["name"])
    dep_full, dep_initials = pinyin_of(item.get("department", ""))
    search_text = "\n".join(
        [item["name"].lower(), item.get("department", "").lower(), full, initials, dep_full, dep_initials]
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
    )


def prepare(items: Iterable[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows for ``upsert_rows``: the pinyin and JSON work, done outside the write transaction
    so a large catalog page never holds the single writer (and a citizen's ticket) for long."""
    return [_row_values(item) for item in items]


def upsert(conn: Any, items: Iterable[dict[str, Any]]) -> int:
    """Insert or replace items (already validated against the contract)."""
    return upsert_rows(conn, prepare(items))


def upsert_rows(conn: Any, rows: list[tuple[Any, ...]]) -> int:
    conn.executemany(
        "INSERT INTO catalog_items (code, name, department, category, kind, legal_days, promised_days, "
        "online_depth, fee, location, phone, conditions, materials, steps, faq, updated_at, pinyin, "
        "initials, search_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(code) DO UPDATE SET name=excluded.name, department=excluded.department, "
        "category=excluded.category, kind=excluded.kind, legal_days=excluded.legal_days, "
        "promised_days=excluded.promised_days, online_depth=excluded.online_depth, fee=excluded.fee, "
        "location=excluded.location, phone=excluded.phone, conditions=excluded.conditions, "
        "materials=excluded.materials, steps=excluded.steps, faq=excluded.faq, "
        "updated_at=excluded.updated_at, pinyin=excluded.pinyin, initials=excluded.initials, "
        "search_text=excluded.search_text",
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
        "location, phone, conditions, materials, steps, faq, updated_at FROM catalog_items WHERE code = ?",
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


def search(conn: Any, text: str, limit: int = 20) -> list[ItemSummary]:
    """Items matching every term of ``text``; name hits first, then pinyin-initial hits, then the rest."""
    terms = terms_of(text)[:6]
    if not terms:
        return []
    long_terms = [t for t in terms if len(t) >= 3]
    if not long_terms:
        return _search_short(conn, terms, limit)
    short_terms = [t for t in terms if len(t) < 3]
    where = ["c.rowid IN (SELECT rowid FROM catalog_fts WHERE catalog_fts MATCH ?)"]
    params: list[Any] = [" AND ".join(_fts_phrase(t) for t in long_terms)]
    for t in short_terms:
        where.append("instr(c.search_text, ?) > 0")
        params.append(t)
    first = terms[0]
    sql = (
        f"SELECT {_SUMMARY_COLS} FROM catalog_items c WHERE {' AND '.join(where)} "  # noqa: S608
        "ORDER BY (instr(lower(c.name), ?) = 1) DESC, (instr(lower(c.name), ?) > 0) DESC, "
        "(instr(c.initials, ?) = 1) DESC, (instr(c.pinyin, ?) = 1) DESC, length(c.name), c.code LIMIT ?"
    )
    params.extend([first, first, first, first, limit])
    return [ItemSummary(*tuple(r)) for r in conn.execute(sql, params).fetchall()]


def _search_short(conn: Any, terms: list[str], limit: int) -> list[ItemSummary]:
    """Only 1-2 character terms (the first keystrokes): indexed prefix hits on the name, the
    initials and the pinyin first, then any substring hit, without sorting every match
    (a single character can match most of a 50,000-item catalog)."""
    first, rest = terms[0], terms[1:]
    extra = "".join(" AND instr(search_text, ?) > 0" for _ in rest)
    hi = first + "\U0010ffff"
    rows = conn.execute(
        f"SELECT {_SUMMARY_COLS} FROM catalog_items WHERE "  # noqa: S608
        "((name >= ? AND name < ?) OR (initials >= ? AND initials < ?) OR (pinyin >= ? AND pinyin < ?))"
        f"{extra} "
        "ORDER BY (name >= ? AND name < ?) DESC, length(name), code LIMIT ?",
        [first, hi, first, hi, first, hi, *rest, first, hi, limit],
    ).fetchall()
    found = [ItemSummary(*tuple(r)) for r in rows]
    if len(found) < limit:
        seen = {i.code for i in found}
        more = conn.execute(
            f"SELECT {_SUMMARY_COLS} FROM catalog_items WHERE "  # noqa: S608
            f"{' AND '.join('instr(search_text, ?) > 0' for _ in terms)} LIMIT ?",
            [*terms, limit + len(seen)],
        ).fetchall()
        found.extend(i for i in (ItemSummary(*tuple(r)) for r in more) if i.code not in seen)
    return found[:limit]
