"""Shared fixtures. Qt runs offscreen with the software renderer; data goes to tmp dirs."""

from __future__ import annotations

import os
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
