"""The store: one SQLite file, one writer thread, any number of readers.

Every write is a function run on the writer thread inside one transaction (``BEGIN IMMEDIATE``
... ``COMMIT``), so a citizen's action and its outbox event land together or not at all, and no
two threads ever fight over SQLite's write lock. Readers take a pooled connection and see a
consistent snapshot (WAL). ``synchronous=FULL`` makes a committed ticket survive a power cut.

Failures that mean "cannot record anything" (corrupt file, full disk, I/O error) become
``StoreUnavailable`` with a plain message; the kiosk shows it and stops taking actions.
"""

from __future__ import annotations

import logging
import os
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from offline_cache import backup, catalog, migrations
from offline_cache.crypto import Cipher
from offline_cache.errors import StoreUnavailable
from offline_cache.sqlite import driver as default_driver

log = logging.getLogger(__name__)

T = TypeVar("T")
Connection = sqlite3.Connection
"""Type of the connections handed to callers (``pysqlite3`` has the same API)."""

_STOP = object()
_READERS_MAX = 8


def classify(exc: BaseException) -> StoreUnavailable | None:
    """Map an SQLite error onto ``StoreUnavailable`` when it means the file cannot be used."""
    if isinstance(exc, StoreUnavailable):
        return exc
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc).lower()
    if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
        return StoreUnavailable("disk_full", str(exc))
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
        "malformed" in text or "file is not a database" in text
    ):
        return StoreUnavailable("corrupt", str(exc))
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY")) or "disk i/o error" in text:
        return StoreUnavailable("io_error", str(exc))
    return None


class Store:
    """Use ``Store.open(path)``; ``write(fn)`` for changes, ``with read() as conn`` for queries."""

    def __init__(self, path: Path, *, module: Any = None, max_page_count: int | None = None) -> None:
        self.path = Path(path)
        self.module: Any = module or default_driver
        self._max_page_count = max_page_count
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._writer_ident: int | None = None
        self._wconn: Any = None
        self._readers: queue.LifoQueue[Any] = queue.LifoQueue()
        self._all_readers: list[Any] = []
        self._lock = threading.Lock()
        self._closed = False
        self._unavailable: StoreUnavailable | None = None
        self._commit_listeners: list[Callable[[], None]] = []
        self._status_listeners: list[Callable[[StoreUnavailable | None], None]] = []
        self._lock_fd: int | None = None
        self.cipher: Cipher | None = None

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        migrate: bool = True,
        module: Any = None,
        max_page_count: int | None = None,
        cipher: Cipher | None = None,
    ) -> Store:
        """Open (creating if needed), check and migrate the database; start the writer.

        ``cipher`` seals the personal data the store must keep readable (case cache).
        """
        store = cls(Path(path), module=module, max_page_count=max_page_count)
        store.cipher = cipher
        store.path.parent.mkdir(parents=True, exist_ok=True)
        if not store.path.exists():
            # Private from the start; SQLite gives -wal/-shm the same mode.
            os.close(os.open(store.path, os.O_WRONLY | os.O_CREAT, 0o600))
        try:
            store._lock_fd = backup.hold_shared(store.path)
        except OSError as exc:
            raise StoreUnavailable("io_error", str(exc)) from None
        ready: Future[None] = Future()
        store._writer = threading.Thread(
            target=store._run, args=(ready, migrate), name="store-writer", daemon=True
        )
        store._writer.start()
        try:
            ready.result()
        except BaseException:
            store._writer.join(5)
            store._release_lock()
            raise
        return store

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def close(self) -> None:
        """Finish queued writes, then close every connection. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            # Under the lock: every job queued before this is finished, none is queued after.
            self._jobs.put(_STOP)
        if self._writer is not None:
            self._writer.join(30)
        with self._lock:
            readers, self._all_readers = self._all_readers, []
        for conn in readers:
            try:
                conn.close()
            except Exception:
                log.debug("closing a reader failed", exc_info=True)
        self._release_lock()

    @property
    def closed(self) -> bool:
        return self._closed

    def _connect(self) -> Any:
        conn = self.module.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=30)
        conn.row_factory = self.module.Row
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    # -- the writer ------------------------------------------------------------------------
    def _run(self, ready: Future[None], migrate: bool) -> None:
        self._writer_ident = threading.get_ident()
        try:
            conn = self._connect()
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    log.warning("database journal mode is %s, not WAL", mode)
                conn.execute("PRAGMA synchronous = FULL")
                if self._max_page_count:
                    conn.execute(f"PRAGMA max_page_count = {int(self._max_page_count)}")
                check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
                if check != "ok":
                    raise StoreUnavailable("corrupt", str(check))
                if migrate:
                    migrations.migrate(conn)
            except BaseException:
                conn.close()
                raise
        except BaseException as exc:  # noqa: BLE001 - handed to the opener
            err = classify(exc)
            ready.set_exception(err if err is not None else exc)
            return
        self._wconn = conn
        ready.set_result(None)
        try:
            while True:
                job = self._jobs.get()
                if job is _STOP:
                    break
                fn, fut = job
                if not fut.set_running_or_notify_cancel():
                    continue
                try:
                    result = self._transaction(fn)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    fut.set_exception(exc)
                else:
                    fut.set_result(result)
                    self._notify_commit()
        finally:
            try:
                conn.execute("PRAGMA optimize")
            except Exception:  # noqa: BLE001 - best effort on the way out
                pass
            conn.close()
            self._wconn = None

    def _transaction(self, fn: Callable[[Any], T]) -> T:
        if self._unavailable is not None and self._unavailable.reason == "corrupt":
            raise self._unavailable
        conn = self._wconn
        raw = isinstance(fn, _Raw)
        try:
            if raw:
                result = fn(conn)
            else:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = fn(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        except BaseException as exc:
            err = classify(exc)
            if err is not None:
                self._set_unavailable(err)
                raise err from exc
            raise
        if self._unavailable is not None:
            self._set_unavailable(None)
        return result

    def write(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(conn)`` in one transaction on the writer; return its result or raise its error.

        Called from inside another write (on the writer thread), ``fn`` runs in a savepoint of
        the enclosing transaction instead of deadlocking.
        """
        if threading.get_ident() == self._writer_ident and self._wconn is not None:
            conn = self._wconn
            conn.execute("SAVEPOINT nested")
            try:
                result = fn(conn)
            except BaseException:
                conn.execute("ROLLBACK TO nested")
                conn.execute("RELEASE nested")
                raise
            conn.execute("RELEASE nested")
            return result
        return self._enqueue(fn).result()

    def _enqueue(self, fn: Callable[[Any], T]) -> Future[T]:
        fut: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise StoreUnavailable("closed")
            self._jobs.put((fn, fut))
        return fut

    def submit(self, fn: Callable[[Any], T]) -> Future[T]:
        """Like ``write`` but returns the future (for callers that must not block, e.g. the GUI)."""
        return self._enqueue(fn)

    # -- readers ---------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Any]:
        """A connection with a consistent snapshot for queries; safe from any thread."""
        if self._closed:
            raise StoreUnavailable("closed")
        try:
            conn = self._readers.get_nowait()
        except queue.Empty:
            try:
                conn = self._connect()
                conn.execute(catalog.VOCAB_DDL)  # a temp table: allowed before query_only
                conn.execute("PRAGMA query_only = ON")
            except Exception as exc:
                err = classify(exc)
                if err is not None:
                    raise err from exc
                raise
            with self._lock:
                self._all_readers.append(conn)
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
        except Exception as exc:
            err = classify(exc)
            if err is not None and err is not exc:
                if err.reason == "corrupt":
                    self._set_unavailable(err)
                raise err from exc
            raise
        finally:
            if self._readers.qsize() < _READERS_MAX and not self._closed:
                self._readers.put(conn)
            else:
                with self._lock:
                    if conn in self._all_readers:
                        self._all_readers.remove(conn)
                conn.close()

    # -- status ----------------------------------------------------------------------------
    @property
    def unavailable(self) -> StoreUnavailable | None:
        """Why the store cannot record right now, or None when it can."""
        return self._unavailable

    def add_commit_listener(self, fn: Callable[[], None]) -> Callable[[], None]:
        """``fn()`` runs on the writer thread after each commit (keep it tiny: set an Event)."""
        self._commit_listeners.append(fn)
        return lambda: self._commit_listeners.remove(fn) if fn in self._commit_listeners else None

    def add_status_listener(self, fn: Callable[[StoreUnavailable | None], None]) -> None:
        """``fn(error_or_None)`` when the store becomes unavailable or available again."""
        self._status_listeners.append(fn)

    def _notify_commit(self) -> None:
        for fn in list(self._commit_listeners):
            try:
                fn()
            except Exception:
                log.exception("commit listener failed")

    def _set_unavailable(self, err: StoreUnavailable | None) -> None:
        before = self._unavailable
        if (before is None) == (err is None) and (before is None or before.reason == err.reason):  # type: ignore[union-attr]
            return
        self._unavailable = err
        if err is not None:
            log.error("store unavailable: %s", err.reason)
        else:
            log.info("store available again")
        for fn in list(self._status_listeners):
            try:
                fn(err)
            except Exception:
                log.exception("status listener failed")

    # -- maintenance -----------------------------------------------------------------------
    def schema_version(self) -> int:
        with self.read() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def backup_to(self, dest: Path) -> Path:
        """A consistent copy of the live database (SQLite online backup), written atomically."""
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".partial")
        tmp.unlink(missing_ok=True)

        def copy(conn: Any) -> None:
            target = self.module.connect(str(tmp))
            try:
                conn.backup(target)
            finally:
                target.close()

        # The backup runs on the writer (outside a transaction) so no write interleaves.
        self._enqueue(_Raw(copy)).result()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        tmp.replace(dest)
        return dest


class _Raw:
    """A writer job that must run outside BEGIN/COMMIT (online backup, VACUUM)."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __call__(self, conn: Any) -> Any:
        return self.fn(conn)
