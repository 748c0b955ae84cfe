"""The application spool: sealed at rest, whole or absent, bound to its id, purged on delivery."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from offline_cache.applications import ApplicationSpool, Page, SpoolError
from offline_cache.crypto import Cipher

ID = "110105198503072014"


def _app(aid: str) -> dict[str, object]:
    return {"application_id": aid, "applicant_id_number": ID, "data": {"phone": "13800138000"}}


def test_round_trip_in_acceptance_order_and_nothing_readable_on_disk(tmp_path: Path) -> None:
    spool = ApplicationSpool(tmp_path / "s", Cipher(b"k" * 32))
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for aid in ids:
        spool.accept(_app(aid), [Page("contract", "ab" * 32, b"\xff\xd8\xffJPEGDATA" + aid.encode())])
    assert spool.pending() == ids and spool.depth() == 3
    got = spool.load(ids[1])
    assert got is not None and got.application["applicant_id_number"] == ID
    assert got.pages[0].jpeg.endswith(ids[1].encode())
    for f in spool.plain_bytes_on_disk():
        blob = f.read_bytes()
        assert ID.encode() not in blob and b"13800138000" not in blob and b"JPEGDATA" not in blob
    assert ID not in repr(got) and "JPEGDATA" not in repr(got.pages[0])
    assert spool.purge(ids[0]) and not spool.purge(ids[0])
    assert spool.pending() == ids[1:]


def test_another_key_or_a_file_moved_to_another_id_does_not_open(tmp_path: Path) -> None:
    spool = ApplicationSpool(tmp_path / "s", Cipher(b"k" * 32))
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    path = spool.accept(_app(a), [])
    with pytest.raises(SpoolError):
        ApplicationSpool(tmp_path / "s", Cipher(b"x" * 32)).load(a)
    path.rename(path.with_name(path.name.replace(a, b)))
    with pytest.raises(SpoolError):
        spool.load(b)


def test_rejected_moves_aside_still_sealed_with_the_reason(tmp_path: Path) -> None:
    spool = ApplicationSpool(tmp_path / "s", Cipher(b"k" * 32))
    aid = str(uuid.uuid4())
    spool.accept(_app(aid), [])
    spool.reject(aid, "HTTP 409 form_outdated form_version")
    assert spool.pending() == [] and spool.rejected() == [aid]
    reason = next((tmp_path / "s" / "rejected").glob("*.reason")).read_text()
    assert "form_outdated" in reason and ID not in reason
    assert not list((tmp_path / "s").glob(".*.partial"))


def test_rejected_ones_are_purged_after_the_retention_period(tmp_path: Path) -> None:
    import os
    import time

    spool = ApplicationSpool(tmp_path / "s", Cipher(b"k" * 32))
    old, new = str(uuid.uuid4()), str(uuid.uuid4())
    for aid in (old, new):
        spool.accept(_app(aid), [])
        spool.reject(aid, "HTTP 422 required data.phone")
    aged = next(p for p in (tmp_path / "s" / "rejected").glob("*.sealed") if old in p.name)
    then = time.time() - 40 * 86400
    os.utime(aged, (then, then))
    cutoff = time.strftime("%Y-%m-%d", time.localtime(time.time() - 30 * 86400))
    assert spool.purge_rejected_before(cutoff) == 1
    assert spool.rejected() == [new]
    assert len(list((tmp_path / "s" / "rejected").glob("*.reason"))) == 1


def test_a_spool_whose_folder_is_gone_is_empty(tmp_path: Path) -> None:
    import shutil

    spool = ApplicationSpool(tmp_path / "s", Cipher(b"k" * 32))
    shutil.rmtree(tmp_path / "s")
    assert spool.pending() == [] and spool.purge_rejected_before("2026-01-01") == 0


def test_the_technician_sees_refusals_newest_first_with_the_reason_and_nothing_personal(
    tmp_path: Path,
) -> None:
    import os
    import time

    spool = ApplicationSpool(tmp_path / "s", Cipher(b"k" * 32))
    first, second, waiting = (str(uuid.uuid4()) for _ in range(3))
    for aid in (first, second, waiting):
        spool.accept(_app(aid), [])
    spool.reject(first, "HTTP 409 form_outdated form_version")
    spool.reject(second, "HTTP 422 required data.phone")
    earlier = time.time() - 3600
    note = next(p for p in (tmp_path / "s" / "rejected").glob("*.reason") if first in p.name)
    os.utime(note, (earlier, earlier))
    entries = spool.rejected_entries()
    assert [e.application_id for e in entries] == [second, first]
    assert (
        entries[0].reason == "HTTP 422 required data.phone"
        and entries[1].rejected_at < entries[0].rejected_at
    )
    assert ID not in repr(entries) and spool.pending() == [waiting]
    assert len(spool.rejected_entries(limit=1)) == 1
