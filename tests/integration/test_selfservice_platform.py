"""Self-service against the reference platform over loopback HTTP: licences, forms, an
application accepted offline, delivered once when the platform is back, and nothing personal
left at the terminal; both sides refuse what the contract or the form's rules do not allow."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from kiosk.devtools.refplatform import seed
from kiosk.identity.person import Identity
from kiosk.platform.client import InvalidResponse, Rejected
from kiosk.selfservice.delivery import ApplicationDelivery
from kiosk.selfservice.service import LicencesUnavailable, SelfService
from offline_cache.applications import ApplicationSpool
from tests.integration import platform_helpers
from tests.integration.platform_helpers import platform_rig

T, H = seed.TERMINAL_ID, seed.HALL_ID
LI = Identity(
    "id_card",
    "李明华",
    seed.LI_MINGHUA,
    date(1985, 3, 7),
    gender="男",
    nation="汉",
    address="北京市朝阳区建国路88号",
)


def page(text: str, seed_: int = 0) -> bytes:
    """A synthetic photographed page as JPEG (white paper, dark text lines)."""
    rng = np.random.default_rng(seed_)
    img = np.full((1100, 800, 3), 245, np.uint8)
    for i in range(12):
        cv2.putText(
            img, f"{text} line {i}", (60, 120 + i * 70), cv2.FONT_HERSHEY_SIMPLEX, 1.1, (20, 20, 20), 2
        )
    img = np.clip(img.astype(np.int16) + rng.integers(-6, 6, img.shape), 0, 255).astype(np.uint8)
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return bytes(buf)


@dataclass
class Rig(platform_helpers.Rig):
    spool: ApplicationSpool
    service: SelfService
    data: Path


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    with platform_rig(tmp_path, batch_size=50) as r:
        store, client, engine = r.store, r.client, r.engine
        assert store.cipher is not None
        spool = ApplicationSpool(tmp_path / "data" / "applications", store.cipher)
        delivery = ApplicationDelivery(spool, client, store)
        service = SelfService(
            store=store, spool=spool, client=client, delivery=delivery, hall_profile=lambda: seed.HALL
        )
        engine.add_pusher(delivery.deliver)
        engine.add_pull("forms", service.pull_forms)
        yield Rig(r.server, store, client, engine, r.platform_dir, spool, service, tmp_path)


def completed(rig: Rig) -> tuple[Any, dict[str, str]]:
    form = rig.service.form(seed.item_code("二手房买卖"))
    assert form is not None
    lics = rig.service.licences(LI)
    values = rig.service.prefill(form, LI, lics).values | {
        "phone": "13800138000",
        "reason": "买卖",
        "price": "185",
    }
    return form, values


def test_licences_of_the_card_holder_and_plainly_unavailable_without_the_platform(rig: Rig) -> None:
    lics = rig.service.licences(LI)
    assert {lic["type_name"] for lic in lics} == {"结婚证", "不动产权证书"}
    assert all(lic["rendering"]["lines"] for lic in lics)
    rig.admin("/admin/faults", {"error_rate": 1.0})
    with pytest.raises(LicencesUnavailable) as err:
        rig.service.licences(LI)
    assert err.value.reason == "licences_need_platform"
    rig.server.stop()
    with pytest.raises(LicencesUnavailable):
        rig.service.licences(LI)


def test_forms_are_pulled_with_the_sync_and_kept_for_offline_use(rig: Rig) -> None:
    result = rig.engine.run_once()
    assert result.ok, result.reason
    assert result.pulls["forms"] == "ok (4 forms)"
    rig.server.stop()
    form = rig.service.form(seed.item_code("二手房买卖"))
    assert form is not None and form.title == "不动产登记申请书（转移登记）"


def test_application_accepted_offline_is_delivered_once_when_the_platform_is_back(rig: Rig) -> None:
    assert rig.engine.run_once().ok
    form, values = completed(rig)
    pages = {"contract": [page("CONTRACT p1", 1), page("CONTRACT p2", 2)], "tax_receipt": [page("TAX", 3)]}
    rig.admin("/admin/faults", {"error_rate": 1.0})
    sub = rig.service.submit(form, LI, values, pages)
    assert sub.ok and sub.message == "application_queued" and not sub.case_number
    assert sub.local_ref.startswith("ZZ")
    # Sealed at rest: neither the ID number, the name, the phone nor a page is readable on disk.
    files = rig.spool.plain_bytes_on_disk()
    assert len(files) == 1
    blob = files[0].read_bytes()
    for secret in (seed.LI_MINGHUA.encode(), "李明华".encode(), b"13800138000", pages["contract"][0][:64]):
        assert secret not in blob
    assert rig.engine.run_once().ok is False  # still offline: held, not lost
    assert rig.spool.depth() == 1
    rig.admin("/admin/faults", {"error_rate": 0.0})
    result = rig.engine.run_once()
    assert result.ok, result.reason
    case = rig.service.case_number(sub.application_id)
    assert case is not None and case.startswith(form.item_code)
    stats = rig.admin("/admin/applications")
    assert stats["applications"] == 1 and stats["pages"] == 3
    kept = rig.server.platform.selfservice.application(sub.application_id)
    assert kept is not None and kept["case_number"] == case
    assert kept["application"]["data"]["phone"] == "13800138000"
    assert set(kept["pages"]) == {hashlib.sha256(p).hexdigest() for ps in pages.values() for p in ps}
    # Purged once the platform has it; the case is found by the citizen's card.
    assert rig.spool.depth() == 0 and rig.spool.plain_bytes_on_disk() == []
    found = rig.client.lookup_cases(id_number=seed.LI_MINGHUA)
    assert [c["case_number"] for c in found if c["status"] == "submitted"] == [case]
    assert rig.engine.run_once().ok and rig.admin("/admin/applications")["applications"] == 1


def test_a_lost_answer_is_resent_and_answered_as_a_duplicate(rig: Rig) -> None:
    assert rig.engine.run_once().ok
    form, values = completed(rig)
    rig.admin("/admin/faults", {"drop_rate": 1.0})  # committed, then the connection drops
    sub = rig.service.submit(form, LI, values, {"contract": [page("C", 4)], "tax_receipt": [page("T", 5)]})
    assert sub.message == "application_queued"
    assert rig.admin("/admin/applications")["applications"] == 1  # applied, answer lost
    rig.admin("/admin/faults", {"drop_rate": 0.0})
    assert rig.engine.run_once().ok
    stats = rig.admin("/admin/applications")
    assert stats["applications"] == 1 and stats["application_receipts"][sub.application_id] == 2
    assert rig.service.case_number(sub.application_id)


def test_online_submission_gets_its_case_number_at_once(rig: Rig) -> None:
    assert rig.engine.run_once().ok
    form, values = completed(rig)
    sub = rig.service.submit(form, LI, values, {"contract": [page("C", 6)], "tax_receipt": [page("T", 7)]})
    assert sub.message == "application_submitted" and sub.case_number.startswith(form.item_code)
    assert rig.spool.depth() == 0


def test_the_kiosk_refuses_an_invalid_application_before_accepting_it(rig: Rig) -> None:
    assert rig.engine.run_once().ok
    form, values = completed(rig)
    sub = rig.service.submit(form, LI, values | {"phone": "12"}, {"contract": [page("C")]})
    assert not sub.ok and sub.message == "application_invalid"
    assert {(p.key, p.code) for p in sub.problems} == {
        ("phone", "phone"),
        ("tax_receipt", "missing_material"),
    }
    assert rig.spool.depth() == 0


def _application(rig: Rig, **over: Any) -> dict[str, Any]:
    form, values = completed(rig)
    jpeg = page("C", 9)
    body = {
        "application_id": "7d3c1f3e-2b1a-4c5d-9e8f-0a1b2c3d4e5f",
        "item_code": form.item_code,
        "form_id": form.form_id,
        "form_version": form.version,
        "submitted_at": "2026-11-30T01:00:00+00:00",
        "applicant_id_number": seed.LI_MINGHUA,
        "data": values,
        "materials": [
            {"key": "contract", "pages": [{"sha256": hashlib.sha256(jpeg).hexdigest(), "bytes": len(jpeg)}]},
            {
                "key": "tax_receipt",
                "pages": [{"sha256": hashlib.sha256(jpeg).hexdigest(), "bytes": len(jpeg)}],
            },
        ],
    }
    rig.client.upload_page(body["application_id"], hashlib.sha256(jpeg).hexdigest(), jpeg)
    return body | over


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"form_version": 1}, 409, "form_outdated"),
        ({"applicant_id_number": "110105198503072015"}, 422, "bad_id_number"),
        ({"application_id": "not-a-uuid"}, 400, "does not match the required pattern"),
        ({"data": {"x" * 41: "v"}}, 400, "length must be 0-40"),
        ({"data": {"phone": "1" * 501}}, 400, "length must be 0-500"),
        ({"data": {"evil": "v"}}, 422, "unknown_field"),
    ],
)
def test_the_platform_refuses_what_the_contract_or_the_form_does_not_allow(
    rig: Rig, change: dict[str, Any], status: int, error: str
) -> None:
    assert rig.engine.run_once().ok
    with pytest.raises(Rejected) as err:
        rig.client.submit_application(_application(rig, **change))
    assert err.value.status == status and err.value.error == error


def test_the_platform_refuses_a_missing_page_and_a_page_that_is_not_what_it_claims(rig: Rig) -> None:
    assert rig.engine.run_once().ok
    body = _application(rig)
    body["materials"][1]["pages"][0]["sha256"] = "0" * 64
    with pytest.raises(Rejected) as err:
        rig.client.submit_application(body)
    assert err.value.error == "missing_page"
    with pytest.raises(Rejected) as err:
        rig.client.upload_page(body["application_id"], "1" * 64, page("X"))
    assert err.value.status == 409 and err.value.error == "sha256_mismatch"
    with pytest.raises(Rejected) as err:
        rig.client.upload_page(body["application_id"], hashlib.sha256(b"GIF89a").hexdigest(), b"GIF89a")
    assert err.value.status == 422 and err.value.error == "not_jpeg"


def test_the_kiosk_refuses_a_platform_answer_outside_the_contract(rig: Rig) -> None:
    rig.admin("/admin/faults", {"nonsense_rate": 1.0})
    with pytest.raises(InvalidResponse):
        rig.client.forms()
    with pytest.raises(InvalidResponse):
        rig.client.licences(seed.LI_MINGHUA)
