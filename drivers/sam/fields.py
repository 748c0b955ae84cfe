"""Card fields handed over one by one as text (vendor SDKs such as termb: "男", "汉",
"19850307", "长期") -> the same CardText the SAM text block decodes to, through the same code
tables, date rules and ID-number checks, so every reader path yields identical identities."""

from __future__ import annotations

from collections.abc import Mapping

from drivers.sam.text import (
    CARD_TYPES,
    GENDERS,
    NATION_CODES,
    NATIONS,
    CardText,
    _date,
    id_number_valid,
    permit_2017_number_valid,
)

GENDER_WORDS = {"男": "male", "女": "female", "未知": "unknown", "未说明": "unspecified"}


def gender(value: str | None) -> str:
    v = (value or "").strip()
    return GENDER_WORDS.get(v) or GENDERS.get(v) or "unknown"


def nation(value: str | None) -> str | None:
    """'汉', '汉族' or the code '01' -> '汉'; anything else None."""
    v = (value or "").strip()
    if v in NATIONS:
        return NATIONS[v]
    v = v.removesuffix("族") if v.removesuffix("族") in NATION_CODES else v
    return v if v in NATION_CODES else None


def _s(fields: Mapping[str, str | None], key: str) -> str:
    return (fields.get(key) or "").strip()


def card_text_from_fields(fields: Mapping[str, str | None]) -> CardText:
    """``fields`` keys: card_type (the card's type flag: '', 'J', 'I', 'Y'), name,
    chinese_name, gender, nation, birth_date, address, id_number, issuer, valid_from,
    valid_to, pass_number, issue_count, card_version. Missing keys count as empty."""
    flag = _s(fields, "card_type") or " "
    card_type = CARD_TYPES.get(flag[:1].upper(), "resident")
    number = _s(fields, "id_number").upper()
    sex = gender(fields.get("gender"))
    birth = _date(_s(fields, "birth_date"))
    issuer = _s(fields, "issuer") or None
    start, end = _date(_s(fields, "valid_from")), _date(_s(fields, "valid_to"))
    if card_type == "resident":
        return CardText(
            card_type, _s(fields, "name"), sex, nation(fields.get("nation")), birth,
            _s(fields, "address") or None, number, id_number_valid(number), issuer, start, end,
        )  # fmt: skip
    if card_type == "hk_mo_tw_permit":
        return CardText(
            card_type, _s(fields, "name"), sex, None, birth, _s(fields, "address") or None, number,
            id_number_valid(number), issuer, start, end,
            {"pass_number": _s(fields, "pass_number"), "issue_count": _s(fields, "issue_count")},
        )  # fmt: skip
    english = _s(fields, "name")
    chinese = _s(fields, "chinese_name")
    if card_type == "foreign_permanent_2017":
        return CardText(
            card_type, chinese or english, sex, None, birth, None, number,
            permit_2017_number_valid(number), issuer, start, end,
            {"english_name": english, "country": _s(fields, "nation"),
             "card_version": _s(fields, "card_version")},
        )  # fmt: skip
    return CardText(
        card_type, chinese or english, sex, None, birth, None, number, id_number_valid(number),
        issuer, start, end,
        {"english_name": english if english != chinese else "", "issue_count": _s(fields, "issue_count"),
         "country": _s(fields, "nation"), "previous_number_link": None},
    )  # fmt: skip
