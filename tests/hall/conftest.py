from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hall.mosquitto import Mosquitto, hall_terminals


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[Mosquitto]:
    m = Mosquitto(tmp_path / "broker", hall_terminals())
    m.start()
    try:
        yield m
    finally:
        m.stop()
