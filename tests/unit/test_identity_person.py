"""The core's one identity type: birth date and age from the card or the ID number (written once,
here), the salted hash, nothing personal in ``repr``, and what may cross the hall bus."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.identity.person import Identity, age_on, parse_birth_date
from offline_cache.appointments import holder_id_hash


@dataclass
class Card:
    name: str
    id_number: str
    birth_date: str | None
    source: str = "sam"


def test_birth_date_from_the_card_field_or_the_id_number() -> None:
    assert parse_birth_date("1985-03-07") == date(1985, 3, 7)
    assert parse_birth_date("19850307") == date(1985, 3, 7)
    assert parse_birth_date(None, "32050219480916402X") == date(1948, 9, 16)
    assert parse_birth_date("1985-13-40", "110105198503072014") == date(1985, 3, 7), "a bad field falls back"
    assert parse_birth_date("", "12345") is None
    assert age_on(date(1948, 9, 16), date(2026, 9, 15)) == 77
    assert age_on(date(1948, 9, 16), date(2026, 9, 16)) == 78


def test_from_a_reader_record() -> None:
    ident = Identity.from_card(Card("王秀英", "32050219480916402X", None))
    assert ident.source == "id_card"
    assert ident.birth() == date(1948, 9, 16) and ident.age_on(date(2026, 11, 23)) == 78
    assert Identity.from_card(Card("李明华", "110105198503072014", "1985-03-07", "pcsc")).source == "ss_card"
    assert ident.masked_name() == "王*英" and ident.masked_id().startswith("320502")
    assert "王秀英" not in repr(ident) and "32050219480916402X" not in str(ident)


def test_hash_and_the_wire_copy() -> None:
    ident = Identity("id_card", "李明华", "110105198503072014", date(1985, 3, 7))
    salted = holder_id_hash("salt", "110105198503072014")
    assert ident.hash_with("salt") == salted
    wire = ident.for_wire("salt")
    assert wire.id_number == "" and wire.name == "李*华" and wire.holder_hash == salted
    assert wire.birth() == date(1985, 3, 7) and wire.hash_with("other salt") == salted
    code = Identity.from_person_code("ab" * 32)
    assert code.hash_with("salt") == "ab" * 32 and code.age_on(date(2026, 1, 1)) is None
    assert Identity("id_card").hash_with("salt") is None
