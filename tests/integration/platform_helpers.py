"""The terminal's side of the reference platform over loopback HTTP: one store, client and sync
engine against a served platform, shared by the integration and hostile tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from kiosk.platform.client import ClientConfig, PlatformClient
from kiosk.platform.signing import load_secret
from kiosk.platform.sync import SyncEngine
from offline_cache.crypto import Cipher
from offline_cache.store import Store

T, H = seed.TERMINAL_ID, seed.HALL_ID


def admin(base_url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """The platform's admin API: POST ``body`` if given, else GET; the JSON answer."""
    url = base_url + path
    r = requests.post(url, json=body, timeout=5) if body is not None else requests.get(url, timeout=5)
    r.raise_for_status()
    return r.json()


@dataclass
class Rig:
    server: ServerThread
    store: Store
    client: PlatformClient
    engine: SyncEngine
    platform_dir: Path

    def admin(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return admin(self.server.url, path, body)

    def serve_hall(self, profile: dict[str, Any]) -> None:
        """Put ``profile`` on the platform as is (the admin API would refuse big integers)."""
        with self.server.platform.db.tx() as c:
            c.execute(
                "UPDATE halls SET payload = ?, version = version + 1 WHERE hall_id = ?",
                (json.dumps(profile, ensure_ascii=False), H),
            )

    def serve_items(self, items: list[dict[str, Any]]) -> None:
        with self.server.platform.db.tx() as c:
            self.server.platform.db.put_items(c, items)


@contextmanager
def platform_rig(tmp_path: Path, **engine: Any) -> Iterator[Rig]:
    """A reference platform in ``tmp_path/platform`` and an encrypted store, client and sync
    engine (``engine`` = extra SyncEngine arguments) against it; all stopped afterwards."""
    pdir = tmp_path / "platform"
    server = ServerThread(prepare(pdir)).start()
    store = Store.open(tmp_path / "kiosk.db", cipher=Cipher.from_key_file(tmp_path / "store.key"))
    client = PlatformClient(ClientConfig(server.url, T, H, load_secret(pdir / SECRET_NAME), timeout_s=5))
    eng = SyncEngine(store, client, terminal_id=T, hall_id=H, **engine)
    try:
        yield Rig(server, store, client, eng, pdir)
    finally:
        eng.stop()
        client.close()
        store.close()
        server.stop()
