"""Catalog items' English names (issue 14): the platform may send ``name_en``; an item without
one keeps ``''``, which the screens show as "Chinese only" in English mode rather than
passing the Chinese name off silently. No index: the search does not look at it."""

from __future__ import annotations

from typing import Any

from offline_cache.migrations import run_script

SCHEMA = """
ALTER TABLE catalog_items ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
"""


def up(conn: Any) -> None:
    run_script(conn, SCHEMA)
