"""Fictional sample state for screenshots (the demo hall and demo people of the project; names
and ID numbers are always shown masked)."""

from __future__ import annotations

from datetime import date
from typing import Any

from kiosk.identity.person import Identity
from kiosk.privacy import mask_name

CATEGORIES: list[dict[str, Any]] = [
    {
        "code": "A",
        "prefix": "A",
        "name": "综合受理",
        "name_en": "General acceptance",
        "note": "投资项目、企业设立",
        "noteEn": "Investment projects, new companies",
        "waiting": 12,
        "estMin": 26,
    },
    {
        "code": "B",
        "prefix": "B",
        "name": "不动产登记",
        "name_en": "Real estate registration",
        "note": "房屋、土地登记与查询",
        "noteEn": "Property and land registration",
        "waiting": 5,
        "estMin": 15,
    },
    {
        "code": "C",
        "prefix": "C",
        "name": "民生事务",
        "name_en": "Civil affairs",
        "note": "公安、民政、卫计",
        "noteEn": "Police, civil affairs, health",
        "waiting": 8,
        "estMin": 18,
    },
    {
        "code": "D",
        "prefix": "D",
        "name": "税务",
        "name_en": "Tax",
        "note": "申报、发票、缴税",
        "noteEn": "Returns, invoices, payments",
        "waiting": 3,
        "estMin": 9,
    },
    {
        "code": "E",
        "prefix": "E",
        "name": "咨询/帮办",
        "name_en": "Help desk",
        "note": "咨询、帮办代办",
        "noteEn": "Questions and assisted service",
        "waiting": 2,
        "estMin": 4,
    },
]

LI_MINGHUA = Identity("id_card", "李明华", "110105198503072014", date(1985, 3, 7))
WANG_XIUYING = Identity("id_card", "王秀英", "32050219480916402X", date(1948, 9, 16))

HALL_ZH = "示范县政务服务中心"
HALL_EN = "Demo County Government Service Centre"


def waiting_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": c["code"],
            "name": c["name"],
            "name_en": c["name_en"],
            "nameEn": c["name_en"],
            "waiting": c["waiting"],
        }
        for c in CATEGORIES
    ]


def ticket(number: str = "A023", *, priority: str = "", holder: str = "") -> dict[str, Any]:
    cat = next(c for c in CATEGORIES if c["prefix"] == number[0])
    return {
        "number": number,
        "categoryName": cat["name"],
        "categoryNameEn": cat["name_en"],
        "issuedAt": "2026-11-23 09:30",
        "peopleAhead": cat["waiting"],
        "estMin": cat["estMin"],
        "priority": priority,
        "holder": holder,
        "counters": {"A": "1, 2, 8", "B": "3, 4", "C": "5, 6", "D": "7", "E": "8"}[cat["code"]],
        "hallName": HALL_ZH,
        "hallNameEn": HALL_EN,
    }


SEARCH_RESULTS: list[dict[str, Any]] = [
    {
        "code": "B-0001",
        "name": "不动产登记（首次登记）",
        "nameEn": "Real estate registration (first)",
        "department": "县不动产登记中心",
        "departmentEn": "County Real Estate Registration Centre",
        "category": "B",
    },
    {
        "code": "B-0002",
        "name": "不动产登记（转移登记）",
        "nameEn": "Real estate registration (transfer)",
        "department": "县不动产登记中心",
        "departmentEn": "County Real Estate Registration Centre",
        "category": "B",
    },
    {
        "code": "B-0003",
        "name": "不动产登记资料查询",
        "nameEn": "Real estate records search",
        "department": "县不动产登记中心",
        "departmentEn": "County Real Estate Registration Centre",
        "category": "B",
    },
    {
        "code": "B-0004",
        "name": "不动产抵押登记",
        "nameEn": "Real estate mortgage registration",
        "department": "县不动产登记中心",
        "departmentEn": "County Real Estate Registration Centre",
        "category": "B",
    },
]

GUIDE_ITEM: dict[str, Any] = {
    "code": "B-0002",
    "name": "不动产登记（转移登记）",
    "nameEn": "Real estate registration (transfer)",
    "department": "县不动产登记中心",
    "departmentEn": "County Real Estate Registration Centre",
    "kind": 2,
    "legalDays": 30,
    "promisedDays": 5,
    "visits": 1,
    "conditions": "买卖、继承、赠与等导致不动产权利转移的，当事人双方共同申请。",
    "conditionsEn": "When property rights pass by sale, inheritance or gift; both parties apply together.",
    "fee": "住宅 80 元/件（不动产登记费）",
    "feeEn": "Housing CNY 80 per case (registration fee)",
    "location": "政务服务中心一楼 B 区 3、4 号窗口",
    "locationEn": "Service centre ground floor, zone B, counters 3 and 4",
    "hours": "周一至周五 9:00–12:00，13:30–17:00",
    "hoursEn": "Mon–Fri 9:00–12:00, 13:30–17:00",
    "phone": "0000-12345678",
    "materials": [
        {
            "name": "不动产登记申请书",
            "nameEn": "Registration application form",
            "form": "original",
            "copies": 1,
            "required": True,
            "note": "窗口可领取空白表",
            "noteEn": "Blank forms at the counter",
        },
        {
            "name": "申请人身份证明",
            "nameEn": "Applicants' identity documents",
            "form": "original_and_copy",
            "copies": 1,
            "required": True,
            "note": "",
            "noteEn": "",
        },
        {
            "name": "不动产权属证书",
            "nameEn": "Property title certificate",
            "form": "original",
            "copies": 1,
            "required": True,
            "note": "",
            "noteEn": "",
        },
        {
            "name": "买卖合同",
            "nameEn": "Sale contract",
            "form": "original",
            "copies": 1,
            "required": True,
            "note": "网签合同可免提交",
            "noteEn": "Not needed for an online-signed contract",
        },
        {
            "name": "完税凭证",
            "nameEn": "Tax payment receipt",
            "form": "copy",
            "copies": 1,
            "required": True,
            "note": "税务窗口（D 类）办理",
            "noteEn": "From the tax counter (category D)",
        },
        {
            "name": "授权委托书",
            "nameEn": "Power of attorney",
            "form": "original",
            "copies": 1,
            "required": False,
            "note": "委托他人办理时提供",
            "noteEn": "When someone applies for you",
        },
    ],
}

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
