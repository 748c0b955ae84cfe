"""The service guide's view of the catalog (``app.services.catalog``): search as you type,
items by category, one item's details. Reads only; the sync engine keeps the data fresh."""

from __future__ import annotations

from typing import Any

from offline_cache import catalog, hall
from offline_cache.catalog import ItemSummary
from offline_cache.store import Store

__all__ = ["CatalogService", "ItemSummary"]


class CatalogService:
    def __init__(self, store: Store, hall_id: str = "") -> None:
        self.store = store
        self.hall_id = hall_id

    def search(self, text: str, limit: int = 20) -> list[ItemSummary]:
        with self.store.read() as conn:
            return catalog.search(conn, text, limit)

    def item(self, code: str) -> dict[str, Any] | None:
        with self.store.read() as conn:
            return catalog.get(conn, code)

    def by_category(self, category: str, limit: int = 200) -> list[ItemSummary]:
        with self.store.read() as conn:
            return catalog.by_category(conn, category, limit)

    def count(self) -> int:
        with self.store.read() as conn:
            return catalog.count(conn)

    def hall_profile(self) -> dict[str, Any] | None:
        """The hall profile as last synced (categories, counters, opening hours), or None."""
        with self.store.read() as conn:
            return hall.load(conn, self.hall_id or None)
