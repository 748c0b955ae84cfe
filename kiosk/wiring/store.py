"""Builder for the local store: ``app.services.store``, the database in the data directory.

Also runs the store's upkeep: the automatic daily backup and the retention job. A database that
cannot be opened (corrupt, disk full, from a newer version) does not stop the kiosk from
starting: the builder publishes a ``StoreStatus`` the UI shows plainly, leaves
``app.services.store`` unset (so services that must record actions do not start) and keeps
the error in ``app.services.store_error`` for the technician screens.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.platform.status import StoreStatus
from offline_cache import retention
from offline_cache.backup import DailyBackup
from offline_cache.crypto import Cipher, KeyFileError
from offline_cache.errors import MigrationError, StoreError, StoreUnavailable
from offline_cache.store import Store

if TYPE_CHECKING:
    from kiosk.paths import Paths
    from kiosk.runtime import App, Component
    from kiosk.settings.schema import StoreSettings

log = logging.getLogger(__name__)

DB_NAME = "kiosk.db"
RETENTION_EVERY_S = 6 * 3600.0


def db_path(paths: Paths) -> Path:
    return paths.data / DB_NAME


def key_path(paths: Paths, settings: StoreSettings) -> Path:
    return Path(settings.key_file).expanduser() if settings.key_file else paths.data / "keys" / "store.key"


def backup_dir(paths: Paths, settings: StoreSettings) -> Path:
    return Path(settings.backup_dir).expanduser() if settings.backup_dir else paths.data / "backups"


def open_store(paths: Paths, settings: StoreSettings) -> Store:
    """Open the terminal's store with its data key (CLI commands use this too)."""
    try:
        cipher = Cipher.from_key_file(key_path(paths, settings), settings.crypto)
    except KeyFileError as exc:
        raise StoreUnavailable("io_error", str(exc)) from None
    return Store.open(db_path(paths), cipher=cipher)


def build(app: App) -> Component:
    cfg = app.settings.store
    state: dict[str, object] = {}
    stop_event = threading.Event()

    def retention_loop(store: Store) -> None:
        while True:
            try:
                store.write(lambda c: retention.purge(c, retention_days=cfg.retention_days))
            except StoreError as exc:
                log.error("retention job failed: %s", exc)
            if stop_event.wait(RETENTION_EVERY_S):
                return

    def start() -> None:
        app.paths.ensure()
        try:
            store = open_store(app.paths, cfg)
        except StoreUnavailable as exc:
            log.error("local database unavailable (%s); actions that need it are disabled", exc.reason)
            app.services.store_error = exc
            app.bus.publish(StoreStatus(False, exc.reason, exc.message))
            return
        except MigrationError as exc:
            log.error("local database cannot be upgraded: %s", exc)
            app.services.store_error = StoreUnavailable("io_error", str(exc))
            app.bus.publish(StoreStatus(False, "schema", str(exc)))
            return
        state["store"] = store
        app.services.store = store
        store.add_status_listener(
            lambda err: app.bus.publish(
                StoreStatus(True) if err is None else StoreStatus(False, err.reason, err.message)
            )
        )
        app.bus.publish(StoreStatus(True))
        daily = DailyBackup(store, backup_dir(app.paths, cfg), hour=cfg.backup_hour, keep=cfg.backups_kept)
        daily.start()
        state["backup"] = daily
        worker = threading.Thread(target=retention_loop, args=(store,), name="store-retention", daemon=True)
        worker.start()
        state["retention"] = worker

    def stop() -> None:
        stop_event.set()
        daily = state.pop("backup", None)
        if isinstance(daily, DailyBackup):
            daily.stop()
        worker = state.pop("retention", None)
        if isinstance(worker, threading.Thread):
            worker.join(30)
        store = state.pop("store", None)
        if isinstance(store, Store):
            store.close()

    return app.add("store", start, stop)
