"""A reference platform serving contract-valid extremes, and the terminal's side of it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from kiosk.platform.client import ClientConfig, PlatformClient
from kiosk.platform.signing import load_secret
from kiosk.platform.sync import SyncEngine
from offline_cache.crypto import Cipher
from offline_cache.store import Store

T, H = seed.TERMINAL_ID, seed.HALL_ID

HOSTILE_HALLS: dict[str, dict[str, Any]] = {
    "timezone of 300 characters": {**seed.HALL, "timezone": "A" * 300, "version": 90},
    "timezone that is a path": {**seed.HALL, "timezone": "../../etc/passwd", "version": 91},
    "version 2**70": {**seed.HALL, "version": 2**70},
    "daily_limit 2**62": {
        **seed.HALL,
        "version": 92,
        "categories": [{**seed.HALL["categories"][0], "daily_limit": 2**62}, *seed.HALL["categories"][1:]],
    },
    "a name of 60,000 characters": {**seed.HALL, "name": "厅" * 60_000, "version": 93},
}
"""Each passes the contract's shapes (``contract.HALL``); none is usable by a terminal."""


def hostile_items() -> dict[str, dict[str, Any]]:
    base = seed.items()[0]
    return {
        "legal_days 2**70": {**base, "code": "X-LEGAL", "legal_days": 2**70},
        "promised_days -1": {**base, "code": "X-PROMISED", "promised_days": -1},
        "a step of 50,000 characters": {**base, "code": "X-STEP", "steps": ["步" * 50_000]},
        "a name with control bytes": {**base, "code": "X-CTRL", "name": "办\x00理\x1b[2J"},
        "updated_at not a date": {**base, "code": "X-DATE", "updated_at": "yesterday-ish"},
    }


@dataclass
class Rig:
    server: ServerThread
    store: Store
    client: PlatformClient
    engine: SyncEngine
    platform_dir: Path

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
