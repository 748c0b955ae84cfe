"""The 256-byte text block of a read (UCS-2LE), per card type, and its code tables.

Layouts (byte offsets), with the card-type flag at byte 248 for every type:
resident (' '): name 0-30, gender 30-32, nation 32-36, birth 36-52, address 52-122,
  id number 122-158, issuer 158-188, valid from 188-204, valid to 204-220, reserved 220-256.
HK/Macau/Taiwan residence permit ('J'): as resident, nation slot reserved, plus pass number
  220-238, issue count 238-242.
foreign permanent residence card 2017 ('I'): English name 0-120, gender 120-122, permit number
  122-152, country 152-158, Chinese name 158-188, valid from 188-204, valid to 204-220, birth
  220-236, card version 236-240, issuing authority code 240-248.
foreign permanent residence card 2023 ('Y'): Chinese name 0-30, gender 30-32, issue count
  32-36, birth 36-52, English name 52-122, id number 122-158, issuer 158-188, valid from
  188-204, valid to 204-220, English name continued 220-242, link to the previous card number
  242-248, country 250-256.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from drivers.sam.codec import TEXT_LEN, FrameError

# GB/T 2261.1 sex codes
GENDERS = {"0": "unknown", "1": "male", "2": "female", "9": "unspecified"}
GENDER_CODES = {v: k for k, v in GENDERS.items()}

# GB 3304 nationality (ethnic group) codes as printed on resident ID cards
NATIONS = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝",
    "08": "壮", "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白",
    "15": "土家", "16": "哈尼", "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤",
    "22": "畲", "23": "高山", "24": "拉祜", "25": "水", "26": "东乡", "27": "纳西", "28": "景颇",
    "29": "柯尔克孜", "30": "土", "31": "达斡尔", "32": "仫佬", "33": "羌", "34": "布朗",
    "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌", "40": "普米",
    "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}  # fmt: skip
NATION_CODES = {v: k for k, v in NATIONS.items()}

CARD_TYPES = {
    " ": "resident",
    "J": "hk_mo_tw_permit",
    "I": "foreign_permanent_2017",
    "Y": "foreign_permanent_2023",
}
CARD_FLAGS = {v: k for k, v in CARD_TYPES.items()}
TYPE_OFFSET = 248
LONG_TERM = "long_term"

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character of the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def id_number_valid(number: str) -> bool:
    """18-character numbers (resident, permits, 2023 foreigner cards): birth date and check digit."""
    n = number.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", n):
        return False
    try:
        date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return False
    return check_digit(n[:17]) == n[17]


def permit_2017_number_valid(number: str) -> bool:
    """2017 foreigner cards: 3-letter country + 12 digits with the birth date (yymmdd) at 5-11.
    No check-digit algorithm for this format is published with the protocol, so this checks
    the format and the date only."""
    n = number.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}\d{12}", n):
        return False
    try:
        date(2000 + int(n[5:7]), int(n[7:9]), int(n[9:11]))
    except ValueError:
        return False
    return True


def _date(raw: str) -> str | None:
    raw = raw.strip()
    if raw == "长期":
        return LONG_TERM
    if not re.fullmatch(r"\d{8}", raw):
        return None
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:8])).isoformat()
    except ValueError:
        return None


def _undate(value: str | None) -> str:
    if value is None or value == "":
        return ""
    if value == LONG_TERM:
        return "长期"
    return value.replace("-", "")


@dataclass(frozen=True)
class CardText:
    """The decoded text of one card. ``extra`` holds the card type's own fields."""

    card_type: str
    name: str
    gender: str
    nation: str | None
    birth_date: str | None
    address: str | None
    id_number: str
    id_number_valid: bool
    issuer: str | None
    valid_from: str | None
    valid_to: str | None
    extra: dict[str, str | None] = field(default_factory=dict)

    def __repr__(self) -> str:  # never let a name or number reach a log through repr()
        return f"CardText(card_type={self.card_type!r}, <personal fields hidden>)"


def _field(chars: str, start: int, end: int) -> str:
    """Byte offsets -> the trimmed string (UCS-2: 2 bytes per character)."""
    return chars[start // 2 : end // 2].replace("\x00", " ").strip()


def parse_text(block: bytes) -> CardText:
    if len(block) != TEXT_LEN:
        raise FrameError("bad_length", f"bad length: text block of {len(block)} bytes")
    chars = block.decode("utf-16-le", errors="replace")
    flag = chars[TYPE_OFFSET // 2]
    if flag == "\x00":
        flag = " "
    card_type = CARD_TYPES.get(flag)
    if card_type is None:
        raise FrameError("unknown_card_type", f"unknown card type flag {flag!r}")

    def f(a: int, b: int) -> str:
        return _field(chars, a, b)

    gender = GENDERS.get(f(30, 32), "unknown")
    if card_type == "resident":
        number = f(122, 158).upper()
        return CardText(
            card_type, f(0, 30), gender, NATIONS.get(f(32, 36)), _date(f(36, 52)), f(52, 122),
            number, id_number_valid(number), f(158, 188), _date(f(188, 204)), _date(f(204, 220)),
        )  # fmt: skip
    if card_type == "hk_mo_tw_permit":
        number = f(122, 158).upper()
        return CardText(
            card_type, f(0, 30), gender, None, _date(f(36, 52)), f(52, 122),
            number, id_number_valid(number), f(158, 188), _date(f(188, 204)), _date(f(204, 220)),
            {"pass_number": f(220, 238), "issue_count": f(238, 242)},
        )  # fmt: skip
    if card_type == "foreign_permanent_2017":
        number = f(122, 152).upper()
        english = f(0, 120)
        return CardText(
            card_type, f(158, 188) or english, GENDERS.get(f(120, 122), "unknown"), None,
            _date(f(220, 236)), None, number, permit_2017_number_valid(number), f(240, 248),
            _date(f(188, 204)), _date(f(204, 220)),
            {"english_name": english, "country": f(152, 158), "card_version": f(236, 240)},
        )  # fmt: skip
    number = f(122, 158).upper()
    # a long English name runs on from its 35-character field into the one at 220
    english = (chars[26:61] + chars[110:121]).replace("\x00", " ").strip()
    return CardText(
        card_type, f(0, 30) or english, gender, None, _date(f(36, 52)), None,
        number, id_number_valid(number), f(158, 188), _date(f(188, 204)), _date(f(204, 220)),
        {"english_name": english, "issue_count": f(32, 36), "country": f(250, 256),
         "previous_number_link": f(242, 248) or None},
    )  # fmt: skip


def _put(buf: list[str], start: int, end: int, value: str) -> None:
    width = (end - start) // 2
    if len(value) > width:
        raise ValueError(f"{value!r} longer than {width} characters")
    buf[start // 2 : end // 2] = list(value.ljust(width))


def build_text(
    card_type: str,
    *,
    name: str = "",
    gender: str = "male",
    nation: str | None = None,
    birth_date: str | None = None,
    address: str | None = None,
    id_number: str = "",
    issuer: str | None = None,
    valid_from: str | None = None,
    valid_to: str | None = None,
    **extra: str,
) -> bytes:
    """The text block a card of ``card_type`` holds (emulator and fixtures)."""
    buf = [" "] * (TEXT_LEN // 2)
    flag = CARD_FLAGS[card_type]
    g = GENDER_CODES[gender]
    if card_type == "foreign_permanent_2017":
        _put(buf, 0, 120, extra.get("english_name", ""))
        _put(buf, 120, 122, g)
        _put(buf, 122, 152, id_number)
        _put(buf, 152, 158, extra.get("country", ""))
        _put(buf, 158, 188, name)
        _put(buf, 188, 204, _undate(valid_from))
        _put(buf, 204, 220, _undate(valid_to))
        _put(buf, 220, 236, _undate(birth_date))
        _put(buf, 236, 240, extra.get("card_version", "20"))
        _put(buf, 240, 248, issuer or "")
    else:
        _put(buf, 0, 30, name)
        _put(buf, 30, 32, g)
        if card_type == "resident":
            _put(buf, 32, 36, NATION_CODES[nation or "汉"])
        elif card_type == "foreign_permanent_2023":
            _put(buf, 32, 36, extra.get("issue_count", "00"))
        _put(buf, 36, 52, _undate(birth_date))
        if card_type == "foreign_permanent_2023":
            english = extra.get("english_name", "")
            _put(buf, 52, 122, english[:35])
            _put(buf, 220, 242, english[35:].strip())
            _put(buf, 242, 248, extra.get("previous_number_link", ""))
            _put(buf, 250, 256, extra.get("country", ""))
        else:
            _put(buf, 52, 122, address or "")
        _put(buf, 122, 158, id_number)
        _put(buf, 158, 188, issuer or "")
        _put(buf, 188, 204, _undate(valid_from))
        _put(buf, 204, 220, _undate(valid_to))
        if card_type == "hk_mo_tw_permit":
            _put(buf, 220, 238, extra.get("pass_number", ""))
            _put(buf, 238, 242, extra.get("issue_count", "01"))
    buf[TYPE_OFFSET // 2] = flag
    return "".join(buf).encode("utf-16-le")


def as_json(text: CardText, photo_bytes: int) -> dict[str, object]:
    """The documented JSON shape of ``kiosk devices decode sam-idcard``."""
    doc: dict[str, object] = {
        "card_type": text.card_type,
        "name": text.name,
        "gender": text.gender,
        "nation": text.nation,
        "birth_date": text.birth_date,
        "address": text.address,
        "id_number": text.id_number,
        "id_number_valid": text.id_number_valid,
        "issuer": text.issuer,
        "valid_from": text.valid_from,
        "valid_to": text.valid_to,
        "photo_bytes": photo_bytes,
    }
    doc.update(text.extra)
    return doc
