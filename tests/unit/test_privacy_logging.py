from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.logs import LOG_FILE, close_logging, setup_logging
from kiosk.privacy import mask_id_number, mask_name, redact

REPO = Path(__file__).resolve().parents[2]
ID = "11010519491231002X"  # fictional, valid check digit


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("张小三", "张*三"), ("欧阳小明", "欧**明"), ("John Smith", "J*** S****"), ("", "")],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_id_number() -> None:
    assert mask_id_number(ID) == "110105**********2X"


def test_redact_finds_ids_in_text() -> None:
    text = f"card {ID} and old 110105491231002 and phone 13812345678"
    out = redact(text)
    assert ID not in out and "110105491231002" not in out and "13812345678" not in out


def test_id_number_never_reaches_a_log_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("DEBUG", log_dir=tmp_path, json_lines=False)
    log = logging.getLogger("kiosk.test")
    log.info("read card %s", ID)
    log.debug("dict %r", {"id_number": ID, "name": "张三"})
    try:
        raise ValueError(f"bad card {ID}")
    except ValueError:
        log.exception("failed")
    setup_logging("DEBUG", log_dir=tmp_path, json_lines=True)
    logging.getLogger("kiosk.test").warning("json %s", ID)
    close_logging()
    text = (tmp_path / LOG_FILE).read_text(encoding="utf-8") + capsys.readouterr().err
    assert ID not in text
    assert text.count("[ID-REDACTED]") >= 4


def test_a_library_calling_basicconfig_does_not_print_unmasked_lines(tmp_path: Path) -> None:
    """python-escpos calls logging.basicConfig() when imported; the kiosk's logging replaces
    that handler, so each line appears once, redacted."""
    code = (
        "import logging, drivers.escpos.builder\n"
        "from kiosk.logs import setup_logging\n"
        "setup_logging('INFO')\n"
        "logging.getLogger('kiosk.test').info('reader says 110105198503072014')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60, check=True
    )
    lines = [line for line in proc.stderr.splitlines() if "reader says" in line]
    assert len(lines) == 1, proc.stderr
    assert "110105198503072014" not in proc.stderr


def test_escpos_routine_root_lines_are_dropped_and_its_errors_named(tmp_path: Path) -> None:
    """python-escpos logs "File printer enabled" / "Closing ..." through the root logger on
    every ticket; the kiosk log keeps only its warnings and errors, named ``escpos``."""
    code = (
        "import sys\n"
        "from escpos.printer import File\n"
        "from kiosk.logs import setup_logging\n"
        "setup_logging('DEBUG')\n"
        "p = File(sys.argv[1])\n"
        "p.open(); p.close()\n"
        "File(sys.argv[2]).open(raise_not_found=False)\n"
    )
    out = tmp_path / "printer.bin"
    missing = tmp_path / "no" / "such" / "printer"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(out), str(missing)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "File printer enabled" not in proc.stderr and "Closing" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "not found" in line]
    assert len(errors) == 1 and " escpos: " in errors[0] and "ERROR" in errors[0], proc.stderr


def test_a_name_read_again_does_not_rebuild_the_names_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every card read remembers its names: one already known (the same card laid again)
    keeps the compiled pattern instead of compiling up to 512 alternatives once more."""
    import re

    from kiosk import privacy

    compiled: list[str] = []
    real = re.compile

    def counting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        compiled.append(pattern)
        return real(pattern, flags)

    privacy.forget_names()
    try:
        privacy.remember_names("王秀英", "Wang Xiuying")
        monkeypatch.setattr(privacy.re, "compile", counting)
        privacy.remember_names("王秀英", "Wang Xiuying")
        assert compiled == []
        assert "王秀英" not in redact("card of 王秀英") and "Xiuying" not in redact("Wang Xiuying")
        privacy.remember_names("李明华")
        assert len(compiled) == 1 and "李明华" not in redact("李明华")
    finally:
        privacy.forget_names()
