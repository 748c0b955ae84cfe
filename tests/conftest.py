"""Shared fixtures. Qt runs offscreen with the software renderer; data goes to tmp dirs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KIOSK_SOFTWARE_RENDER", "1")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(d))
    return d


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture(autouse=True)
def _no_leaked_log_handlers() -> Iterator[None]:
    """A test that runs the CLI in-process installs kiosk's stderr handler on the root logger
    around pytest's captured stream; removed after each test, so a later test's threads never
    log into a stream pytest has closed."""
    yield
    from kiosk.logs import close_logging

    close_logging()
