"""What the self-service station prints on A4, as plain documents, and printing them.

A licence printout is the citizen's own copy of their licence: it carries the licence exactly as
the platform rendered it, full ID numbers included (the only place a full number appears). A
receipt can be left in the tray, so it carries the masked name and ID number only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from devices.a4printer import A4Document, A4Line, A4Printer, A4Receipt
from devices.base import DeviceError
from kiosk.identity.person import Identity
from kiosk.selfservice.forms import Form

log = logging.getLogger(__name__)

A4_REFUSALS = {
    "paper_out": "a4_paper_out",
    "cover_open": "a4_cover_open",
    "jam": "a4_unavailable",
    "offline": "a4_unavailable",
    "stopped": "a4_unavailable",
    "failed": "a4_failed",
}


class PrintRefused(Exception):
    """``message`` is the key of the sentence the citizen sees (``a4_paper_out``...)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def licence_document(licence: Mapping[str, Any], hall_name: str, now: datetime | None = None) -> A4Document:
    r = licence["rendering"]
    valid_to = licence.get("valid_to") or "长期"
    lines = [A4Line(str(x["label"]), str(x["value"])) for x in r["lines"]]
    lines += [
        A4Line("证照编号", str(licence["number"])),
        A4Line("发证机关", str(licence["issuer"])),
        A4Line("有效期限", f"{licence['valid_from']} 至 {valid_to}"),
    ]
    return A4Document(
        kind="licence",
        header=f"{hall_name} · 自助服务终端打印 · 电子证照",
        title=str(r["title"]),
        subtitle="电子证照打印件（与电子证照具有同等效力，可扫码或凭核验码核验）",
        lines=tuple(lines),
        printed_at=now or datetime.now().astimezone(),
        seal=str(r["seal"]),
        verify_code=f"核验码 {r['verify_code']}",
        footer="本打印件仅供持证人本人使用",
    )


def receipt_document(
    form: Form,
    identity: Identity,
    *,
    hall_name: str,
    local_ref: str,
    case_number: str,
    materials: Mapping[str, int],
    now: datetime | None = None,
) -> A4Document:
    lines = [
        A4Line("申请事项", form.title),
        A4Line("申请人", identity.masked_name()),
        A4Line("证件号码", identity.masked_id()),
        A4Line("办件编号", case_number or "平台恢复连接后生成（可凭身份证在“办件查询”查询）"),
        A4Line("本机受理号", local_ref),
    ]
    for m in form.materials:
        n = materials.get(m.key, 0)
        if n:
            lines.append(A4Line("已拍摄材料", f"{m.name}（{n}页）"))
    return A4Document(
        kind="receipt",
        header=f"{hall_name} · 24小时自助服务",
        title="申请受理回执",
        lines=tuple(lines),
        printed_at=now or datetime.now().astimezone(),
        notes=("请妥善保管本回执。办理进度可在自助终端“办件查询”或政务服务网查询。",),
        footer="本回执不含完整证件号码",
    )


def print_a4(printer: A4Printer | None, doc: A4Document, timeout_s: float = 60.0) -> A4Receipt:
    """Ask the printer first (paper, cover, queue), then print; ``PrintRefused`` otherwise."""
    if printer is None:
        raise PrintRefused("a4_no_printer", "no_printer")
    status = printer.status()
    if not status.ready:
        log.warning("A4 printer not ready: %s", status.code)
        raise PrintRefused(A4_REFUSALS.get(status.code, "a4_unavailable"), status.code)
    try:
        return printer.print_document(doc, timeout_s=timeout_s)
    except DeviceError as exc:
        raise PrintRefused(A4_REFUSALS.get(exc.code, "a4_failed"), exc.code) from None
