"""Fictional sample state for screenshots (the demo hall and demo people of the project; names
and ID numbers are always shown masked).

The hall, its categories and the tickets come from the reference platform's demo hall through
the presenters' own mappings, so a screenshot shows what the live kiosk shows, not a mock-up."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kiosk.catalog import ItemSummary
from kiosk.devtools.refplatform import seed, seed_selfservice
from kiosk.hall_queue import HallInfo
from kiosk.identity.person import Identity
from kiosk.privacy import mask_name
from kiosk.queue.events import CategoryStatus
from kiosk.queue.model import HallProfile
from kiosk.usecases.results import TicketView
from ui.presenters.home import waiting_rows as home_waiting_rows
from ui.presenters.item_search import result_rows
from ui.presenters.service_guide import guide_view
from ui.presenters.take_number import category_rows
from ui.presenters.ticket_printed import ticket_view

HALL = HallInfo.of(HallProfile.from_dict(seed.HALL))
"""The demo hall as a kiosk synced from the (reference) platform has it."""

_QUEUE = {"A": (12, 26), "B": (5, 15), "C": (8, 18), "D": (3, 9), "E": (2, 4)}
"""People waiting and the estimate per category, a plausible mid-morning."""


def statuses() -> tuple[CategoryStatus, ...]:
    """The queue's category status as the core reports it (``QueueChanged.categories``)."""
    return tuple(
        CategoryStatus(c.code, c.name, *_QUEUE.get(c.code, (0, 0)), name_en=c.name_en)
        for c in HALL.categories
    )


CATEGORIES: list[dict[str, Any]] = category_rows(HALL, statuses())
"""The category buttons exactly as the take-number presenter builds them."""

LI_MINGHUA = Identity("id_card", "李明华", "110105198503072014", date(1985, 3, 7))
WANG_XIUYING = Identity("id_card", "王秀英", "32050219480916402X", date(1948, 9, 16))

HALL_ZH = HALL.name
HALL_EN = HALL.name_en


def waiting_rows() -> list[dict[str, Any]]:
    return home_waiting_rows(statuses())


def ticket(number: str = "A023", *, priority: str = "", holder: str = "") -> dict[str, Any]:
    """The ticket screen's view of a ticket, through the ticket presenter's own mapping."""
    code = number[0]
    ahead, minutes = _QUEUE.get(code, (0, 0))
    view = TicketView(
        ticket_id="T-SAMPLE",
        number=number,
        category=code,
        category_name=HALL.category_name(code),
        priority=priority or "normal",
        issued_at=datetime(2026, 11, 23, 9, 30, tzinfo=HALL.tz),
        people_ahead=ahead,
        est_wait_min=minutes,
        counters=tuple(c.number for c in HALL.counters if code in c.categories),
    )
    return ticket_view(view, holder, HALL, (HALL.name, HALL.name_en))


_ITEMS: list[dict[str, Any]] = sorted(seed.items(), key=lambda it: (-len(it["name"]), it["code"]))
"""The demo catalog (the reference platform's, as a synced kiosk has it), longest names first:
the screens are rendered, and their layout checked, with the longest strings they will meet."""

SEARCH_RESULTS: list[dict[str, Any]] = result_rows(
    ItemSummary(
        it["code"], it["name"], it["department"], it["category"], it["kind"], it.get("promised_days"),
        int(it.get("online_depth") or 0), str(it.get("name_en") or ""),
    )
    for it in _ITEMS[:4]
)  # fmt: skip
"""What the search presenter shows for a search (the four longest names)."""


def _checklist_length(item: dict[str, Any]) -> tuple[int, int]:
    materials: list[Any] = item["materials"]
    return len(materials), len(str(item["name"]))


_LONGEST_CHECKLIST: dict[str, Any] = max(_ITEMS, key=_checklist_length)
GUIDE_ITEM: dict[str, Any] = guide_view(_LONGEST_CHECKLIST)
"""The guide presenter's view of the item with the longest checklist."""

CASE_LI: dict[str, Any] = {
    "number": "11330000MB0000000X100010000120261118" + "0007",
    "item": "不动产登记（转移登记）",
    "itemEn": "Real estate registration (transfer)",
    "department": "县不动产登记中心",
    "departmentEn": "County Real Estate Registration Centre",
    "status": "in_progress",
    "acceptedAt": "2026-11-18 10:12",
    "promisedDate": "2026-11-25",
    "note": "",
    "noteEn": "",
    "holder": mask_name("李明华"),
    "timeline": [
        {
            "at": "2026-11-18 09:55",
            "status": "submitted",
            "label": "已提交",
            "labelEn": "Submitted",
            "done": True,
            "current": False,
        },
        {
            "at": "2026-11-18 10:12",
            "status": "accepted",
            "label": "已受理",
            "labelEn": "Accepted",
            "done": True,
            "current": False,
        },
        {
            "at": "2026-11-20 15:40",
            "status": "in_progress",
            "label": "审核中",
            "labelEn": "Under review",
            "done": True,
            "current": True,
        },
        {
            "at": "",
            "status": "completed",
            "label": "办结",
            "labelEn": "Decided",
            "done": False,
            "current": False,
        },
        {
            "at": "",
            "status": "ready_for_pickup",
            "label": "领取证书",
            "labelEn": "Certificate pickup",
            "done": False,
            "current": False,
        },
    ],
}


def licences_of_li() -> list[dict[str, Any]]:
    """李明华's e-licences as the reference platform seeds them."""
    return [lic for holder, lic in seed_selfservice.licences() if holder == seed.LI_MINGHUA]


def first_form() -> dict[str, Any]:
    """The first seeded application form (the apply screen's sample)."""
    form: dict[str, Any] = seed_selfservice.forms()[0]
    return form


HALL_PROFILE: dict[str, Any] = seed.HALL
"""The demo hall's profile as the platform serves it (a form's hall-profile fields)."""
