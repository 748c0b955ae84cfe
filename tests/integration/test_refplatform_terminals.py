"""The reference platform knows a hall of several terminals (T-0001…T-0004 besides the demo
terminal), each with its own secret; an unknown one is still refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import ServerThread, prepare
from kiosk.platform.client import ClientConfig, PlatformClient, PlatformError
from kiosk.platform.signing import load_secret


def test_each_hall_terminal_signs_with_its_own_secret(tmp_path: Path) -> None:
    server = ServerThread(prepare(tmp_path / "platform")).start()
    try:
        for tid in seed.HALL_TERMINALS:
            secret = load_secret(tmp_path / "platform" / f"{tid}.secret")
            hall = PlatformClient(ClientConfig(server.url, tid, seed.HALL_ID, secret, timeout_s=5)).hall()
            assert hall["hall_id"] == seed.HALL_ID
        other = load_secret(tmp_path / "platform" / "T-0001.secret")
        with pytest.raises(PlatformError) as err:
            PlatformClient(ClientConfig(server.url, "T-0002", seed.HALL_ID, other, timeout_s=5)).hall()
        assert "bad_signature" in str(err.value)
        with pytest.raises(PlatformError) as err:
            PlatformClient(ClientConfig(server.url, "T-0099", seed.HALL_ID, other, timeout_s=5)).hall()
        assert "unknown_terminal" in str(err.value)
    finally:
        server.stop()
