"""Vendor SDK paths decode to the same identities as the SAM serial path: termb's per-field
text goes through the same tables and checks; the helper's pipe carries bytes intact; return
codes are named in words."""

from __future__ import annotations

import pytest

from drivers.sam.emulator import load_cards
from drivers.sam.fields import card_text_from_fields, gender, nation
from drivers.sam.text import CARD_FLAGS, GENDER_CODES, build_text, parse_text
from drivers.vendorlib import protocol, sdtapi, termb
from kiosk.settings.load import shipped_config_dir

SEX_WORDS = {"male": "男", "female": "女", "unknown": "未知", "unspecified": "未说明"}


def as_termb_gives_it(text_block: bytes) -> dict[str, str | None]:
    """The fields termb's getters return for a card, derived from its raw text block."""
    t = parse_text(text_block)

    def raw(date: str | None) -> str:
        return "长期" if date == "long_term" else (date or "").replace("-", "")

    fields: dict[str, str | None] = {
        "card_type": CARD_FLAGS[t.card_type].strip(),
        "name": t.extra.get("english_name") if t.card_type == "foreign_permanent_2017" else t.name,
        "chinese_name": t.name,
        "gender": SEX_WORDS[t.gender],
        "nation": t.nation or t.extra.get("country") or "",
        "birth_date": raw(t.birth_date),
        "address": t.address or "",
        "id_number": t.id_number,
        "issuer": t.issuer,
        "valid_from": raw(t.valid_from),
        "valid_to": raw(t.valid_to),
        "pass_number": t.extra.get("pass_number"),
        "issue_count": t.extra.get("issue_count"),
        "card_version": t.extra.get("card_version"),
    }
    return fields


@pytest.mark.parametrize("index", range(3))
def test_termb_fields_decode_like_the_sam_text_block(index: int) -> None:
    card = load_cards(shipped_config_dir() / "demo-cards.toml")[index]
    expected = parse_text(card.text)
    got = card_text_from_fields(as_termb_gives_it(card.text))
    assert vars(got) == vars(expected)


def test_permit_fields_decode_like_the_sam_text_block() -> None:
    block = build_text(
        "hk_mo_tw_permit", name="陈大文", gender="male", id_number="810000199001011230",
        birth_date="1990-01-01", valid_from="2020-01-01", valid_to="2025-01-01", address="香港",
        issuer="公安部出入境管理局", pass_number="H01234567", issue_count="02",
    )  # fmt: skip
    assert vars(card_text_from_fields(as_termb_gives_it(block))) == vars(parse_text(block))


def test_field_words_and_codes() -> None:
    assert gender("男") == "male" and gender("2") == "female" and gender("?") == "unknown"
    assert nation("汉") == "汉" and nation("汉族") == "汉" and nation("08") == "壮" and nation("火星") is None
    assert set(GENDER_CODES) == set(SEX_WORDS)


def test_pipe_messages_carry_bytes_intact() -> None:
    message = {"result": {"status": 0x90, "text": bytes(range(256)), "photo": b"", "list": [b"\x00", 1]}}
    line = protocol.encode(message)
    assert line.endswith(b"\n") and b"\n" not in line[:-1]
    assert protocol.decode(line) == message


def test_return_codes_are_named_in_words() -> None:
    assert sdtapi.status(0x80) == ("no_card", "no card found")
    assert sdtapi.status(0x02)[0] == "timeout" and sdtapi.status(0x01)[0] == "port_open_failed"
    assert sdtapi.status(0x41) == ("read_failed", "read failed")
    assert sdtapi.status(0x77)[0] == "unknown_status" and "0x77" in sdtapi.status(0x77)[1]
    assert termb.status(termb.AUTH_STATUS, 2) == ("no_card", "no card found")
    assert termb.status(termb.READ_STATUS, -6)[0] == "not_connected"
    assert termb.status(termb.READ_STATUS, 12345)[0] == "unknown_status"
