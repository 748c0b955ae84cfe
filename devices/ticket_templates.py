"""The four printed documents laid out as receipt blocks, in Chinese or English.

Kept apart from the driver so a hall can restyle its tickets without touching bytes, and so
the layout is tested as data (which lines, which sizes) before any printer is involved.
"""

from __future__ import annotations

from datetime import datetime

from devices.printer import CaseSlip, CheckInSlip, ChecklistSlip, PrintDocument, QueueTicket
from drivers.escpos.layout import text_width
from drivers.escpos.receipt import Block, Columns, Feed, Qr, Rule, Text

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "your_number": "您的排队号",
        "ahead": "前面等候",
        "people": "{n} 人",
        "wait": "预计等候",
        "minutes": "约 {n} 分钟",
        "issued": "取号时间",
        "name": "姓名",
        "priority": "★ 优先办理 ★",
        "checkin": "预约签到凭条",
        "slot": "预约时段",
        "checked_in": "签到时间",
        "late": "迟到 {n} 分钟",
        "windows": "办理窗口",
        "item": "办理事项",
        "case": "办件进度",
        "case_number": "办件编号",
        "status": "当前状态",
        "printed": "打印时间",
        "next": "下一步",
        "checklist": "办事材料清单",
        "item_code": "事项编码",
        "required": "必交",
        "optional": "选交",
        "copies": "{n}份",
        "location": "办理地点",
        "hours": "办理时间",
        "phone": "咨询电话",
        "notes": "温馨提示",
    },
    "en": {
        "your_number": "Your number",
        "ahead": "People ahead",
        "people": "{n}",
        "wait": "Estimated wait",
        "minutes": "about {n} min",
        "issued": "Issued",
        "name": "Name",
        "priority": "* PRIORITY *",
        "checkin": "Appointment check-in",
        "slot": "Booked time",
        "checked_in": "Checked in",
        "late": "{n} min late",
        "windows": "Windows",
        "item": "Service",
        "case": "Case progress",
        "case_number": "Case no.",
        "status": "Status",
        "printed": "Printed",
        "next": "Next step",
        "checklist": "Materials checklist",
        "item_code": "Item code",
        "required": "required",
        "optional": "optional",
        "copies": "{n} copies",
        "location": "Where",
        "hours": "Hours",
        "phone": "Enquiries",
        "notes": "Notes",
    },
}


def _t(lang: str, key: str, **kw: object) -> str:
    return LABELS.get(lang, LABELS["zh"])[key].format(**kw)


def _time(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


def number_size(number: str, columns: int, largest: int = 6) -> int:
    """The largest ``GS !`` multiplier at which the number still fits on one line."""
    width = max(1, text_width(number))
    return max(1, min(largest, columns // width))


def _header(hall: str, title: str) -> list[Block]:
    blocks: list[Block] = [Text(hall, align="center", bold=True, height=2)]
    if title:
        blocks.append(Text(title, align="center"))
    return blocks


def _footer(doc_qr: str, footer: str, qr_size: int) -> list[Block]:
    blocks: list[Block] = []
    if doc_qr:
        blocks += [Feed(1), Qr(doc_qr, size=qr_size)]
    if footer:
        blocks += [Rule(), Text(footer, align="center")]
    return blocks


def queue_ticket(doc: QueueTicket, columns: int, qr_size: int = 6) -> list[Block]:
    lang = doc.language
    size = number_size(doc.number, columns)
    blocks = _header(doc.hall_name, "")
    blocks += [Rule(), Text(_t(lang, "your_number"), align="center")]
    blocks.append(Text(doc.number, align="center", width=size, height=size, bold=True))
    if doc.priority:
        blocks.append(Text(_t(lang, "priority"), align="center", bold=True))
    blocks.append(Text(doc.category_name, align="center", bold=True, width=1, height=2))
    if doc.item_name:
        blocks.append(Text(doc.item_name, align="center"))
    blocks += [
        Rule(),
        Columns(_t(lang, "ahead"), _t(lang, "people", n=doc.people_ahead)),
        Columns(_t(lang, "wait"), _t(lang, "minutes", n=doc.est_wait_min)),
        Columns(_t(lang, "issued"), _time(doc.issued_at)),
    ]
    if doc.holder_name_masked:
        blocks.append(Columns(_t(lang, "name"), doc.holder_name_masked))
    return blocks + _footer(doc.qr_payload, doc.footer, qr_size)


def checkin_slip(doc: CheckInSlip, columns: int, qr_size: int = 6) -> list[Block]:
    lang = doc.language
    size = number_size(doc.number, columns)
    blocks = _header(doc.hall_name, _t(lang, "checkin"))
    blocks += [Rule(), Text(doc.number, align="center", width=size, height=size, bold=True)]
    blocks += [Rule(), Columns(_t(lang, "item"), ""), Text(doc.item_name)]
    blocks += [Columns(_t(lang, "slot"), doc.slot), Columns(_t(lang, "checked_in"), _time(doc.checked_in_at))]
    if doc.late_minutes > 0:
        blocks.append(Columns("", _t(lang, "late", n=doc.late_minutes)))
    if doc.counter_hint:
        blocks.append(Columns(_t(lang, "windows"), doc.counter_hint))
    if doc.holder_name_masked:
        blocks.append(Columns(_t(lang, "name"), doc.holder_name_masked))
    return blocks + _footer(doc.qr_payload, doc.footer, qr_size)


def case_slip(doc: CaseSlip, columns: int, qr_size: int = 6) -> list[Block]:
    lang = doc.language
    blocks = _header(doc.hall_name, _t(lang, "case"))
    blocks += [
        Rule(),
        Columns(_t(lang, "case_number"), ""),
        Text(doc.case_number),
        Columns(_t(lang, "item"), ""),
        Text(doc.item_name),
        Columns(_t(lang, "status"), doc.status_label, bold=True),
    ]
    if doc.holder_name_masked:
        blocks.append(Columns(_t(lang, "name"), doc.holder_name_masked))
    if doc.steps:
        blocks.append(Rule())
        for step in doc.steps:
            mark = "[x]" if step.done else "[ ]"
            blocks.append(Columns(f"{mark} {step.name}", step.at or ""))
    if doc.next_action:
        blocks += [Rule(), Text(f"{_t(lang, 'next')}: {doc.next_action}", bold=True)]
    blocks.append(Columns(_t(lang, "printed"), _time(doc.printed_at)))
    return blocks + _footer(doc.qr_payload, doc.footer, qr_size)


def checklist_slip(doc: ChecklistSlip, columns: int, qr_size: int = 6) -> list[Block]:
    lang = doc.language
    blocks = _header(doc.hall_name, _t(lang, "checklist"))
    blocks += [Rule(), Text(doc.item_name, bold=True)]
    if doc.item_code:
        blocks.append(Columns(_t(lang, "item_code"), doc.item_code))
    blocks.append(Rule())
    for i, m in enumerate(doc.materials, 1):
        need = _t(lang, "required" if m.required else "optional")
        detail = " ".join(x for x in (m.form, _t(lang, "copies", n=m.copies), need) if x)
        blocks.append(Text(f"{i}. {m.name}"))
        blocks.append(Columns("", detail))
        if m.note:
            blocks.append(Text(f"   {m.note}"))
    blocks.append(Rule())
    for key, value in (("location", doc.location), ("hours", doc.hours), ("phone", doc.phone)):
        if value:
            blocks.append(Text(f"{_t(lang, key)}: {value}"))
    if doc.notes:
        blocks.append(Text(_t(lang, "notes") + ":"))
        blocks += [Text(f"- {n}") for n in doc.notes]
    blocks.append(Columns(_t(lang, "printed"), _time(doc.printed_at)))
    return blocks + _footer(doc.qr_payload, doc.footer, qr_size)


def blocks_for(doc: PrintDocument, columns: int, qr_size: int = 6) -> list[Block]:
    if isinstance(doc, QueueTicket):
        return queue_ticket(doc, columns, qr_size)
    if isinstance(doc, CheckInSlip):
        return checkin_slip(doc, columns, qr_size)
    if isinstance(doc, CaseSlip):
        return case_slip(doc, columns, qr_size)
    return checklist_slip(doc, columns, qr_size)
