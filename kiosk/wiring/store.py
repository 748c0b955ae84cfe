"""Builder for the local store: ``app.services["store"]``, the database in the data directory.

A database that cannot be opened (corrupt, disk full, from a newer version) does not stop the
kiosk from starting: the builder publishes a ``StoreStatus`` the UI shows plainly, leaves
``app.services["store"]`` unset (so services that must record actions do not start) and
keeps the error in ``app.services["store_error"]`` for the technician screens.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.platform.status import StoreStatus
from offline_cache.errors import MigrationError, StoreUnavailable
from offline_cache.store import Store

if TYPE_CHECKING:
    from kiosk.app import App, Component

log = logging.getLogger(__name__)

DB_NAME = "kiosk.db"


def build(app: App) -> Component:
    holder: dict[str, Store] = {}

    def start() -> None:
        app.paths.ensure()
        try:
            store = Store.open(app.paths.data / DB_NAME)
        except StoreUnavailable as exc:
            log.error("local database unavailable (%s); actions that need it are disabled", exc.reason)
            app.services["store_error"] = exc
            app.bus.publish(StoreStatus(False, exc.reason, exc.message))
            return
        except MigrationError as exc:
            log.error("local database cannot be upgraded: %s", exc)
            err = StoreUnavailable("io_error", str(exc))
            app.services["store_error"] = err
            app.bus.publish(StoreStatus(False, "schema", str(exc)))
            return
        holder["store"] = store
        app.services["store"] = store
        store.add_status_listener(
            lambda err: app.bus.publish(
                StoreStatus(True) if err is None else StoreStatus(False, err.reason, err.message)
            )
        )
        app.bus.publish(StoreStatus(True))

    def stop() -> None:
        store = holder.pop("store", None)
        if store is not None:
            store.close()

    return app.add("store", start, stop)
