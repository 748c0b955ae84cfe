"""Personal names are masked in every log line and bundle (issue 15, finding 9): the demo no
longer logs a card holder's name, and ``redact`` masks the names it knows."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.base import DeviceEvent
from devices.idcard import IdentityDocument
from drivers.sam.emulator import SamEmulator, load_cards
from kiosk import privacy
from kiosk.logs import RedactFilter
from kiosk.ops.diagnostics import write_bundle
from kiosk.paths import Paths
from kiosk.settings import load_settings
from kiosk.settings.load import shipped_config_dir

DEMO_NAMES = ("李明华", "王秀英", "陈志强")


@pytest.fixture(autouse=True)
def _fresh_names() -> Iterator[None]:
    privacy.forget_names()
    yield
    privacy.forget_names()


def test_the_demo_reader_says_which_card_without_the_holders_name() -> None:
    cards = load_cards(shipped_config_dir() / "demo-cards.toml")
    emulator = SamEmulator(cards, present=None)
    replies = [emulator.command(f"card {i}") for i in (1, 2, 3)]
    assert replies[0].startswith("card 1 on the reader: 李*华")
    for reply in replies:
        for name in DEMO_NAMES:
            assert name not in reply, reply


def _logged(message: str, *args: object) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    log = logging.getLogger("test.names")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning(message, *args)
    finally:
        log.removeHandler(handler)
    return stream.getvalue()


def test_a_name_read_from_a_card_is_masked_in_every_later_log_line() -> None:
    identity = IdentityDocument(
        "resident",
        "欧阳明华",
        "male",
        "汉",
        None,
        None,
        "110105198503072014",
        True,
        None,
        None,
        None,
        {"english_name": "OUYANG MINGHUA"},
    )
    assert "欧阳明华" in _logged("holder %s", "欧阳明华")  # not known yet, no label: as is
    privacy.names_from_event(DeviceEvent("idreader", "card_read", {"identity": identity}))
    line = _logged("careless: %s / %s / %s", identity.name, "OUYANG MINGHUA", identity.id_number)
    assert "欧阳明华" not in line and "欧**华" in line
    assert "OUYANG" not in line and "MINGHUA" not in line
    assert "110105198503072014" not in line


def test_a_value_after_a_name_label_is_masked() -> None:
    line = _logged("form 姓名：张小三 holder_name=李四光")
    assert "张小三" not in line and "李四光" not in line and "张*三" in line


def test_the_diagnostics_bundle_masks_the_demo_names_in_old_logs(tmp_path: Path) -> None:
    settings = load_settings(None, environ={"KIOSK_DATA_DIR": str(tmp_path / "data")})
    logs = Paths.from_settings(settings.paths).logs
    logs.mkdir(parents=True)
    (logs / "kiosk.log").write_text(
        "INFO demo control idreader.fifo: card 1 on the reader: 李明华 (appointment today)\n",
        encoding="utf-8",
    )
    out = write_bundle(settings, tmp_path / "bundle.zip")
    with zipfile.ZipFile(out) as zf:
        everything = "\n".join(zf.read(n).decode() for n in zf.namelist())
    for name in DEMO_NAMES:
        assert name not in everything
    assert "李*华" in everything
