"""The one identity type of the core: who is at the terminal, from an ID card, a social-security
card or a platform person code.

Every front end (screens, the hall bus, the CLI) hands the queue this one type, so the facts the
queue needs (the salted holder hash for real-name limits, the birth date for elderly priority,
the masked name for the ticket) are derived here once, not re-read from each reader's record.
It is plain data (str and date) so a remote queue can carry it; ``for_wire`` drops the ID number
first, so the number itself never has to leave the terminal that read the card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from kiosk.privacy import mask_id_number, mask_name
from offline_cache.appointments import holder_id_hash

_ID18 = re.compile(r"\d{6}(\d{8})\d{3}[0-9Xx]")
SOURCES = ("id_card", "ss_card", "qr")


class CardRecord(Protocol):
    """What a card reader's record offers (``devices.idcard.IdentityDocument`` has it)."""

    @property
    def name(self) -> str: ...
    @property
    def id_number(self) -> str: ...
    @property
    def birth_date(self) -> str | None: ...
    @property
    def source(self) -> str: ...


def parse_birth_date(value: str | date | None, id_number: str = "") -> date | None:
    """From the card's birth date field (``1985-03-07`` / ``19850307`` / a date), else from the
    18-digit resident ID number."""
    if isinstance(value, date):
        return value
    candidates = []
    if isinstance(value, str) and value.strip():
        candidates.append("".join(ch for ch in value if ch.isdigit())[:8])
    m = _ID18.fullmatch(id_number.strip())
    if m:
        candidates.append(m.group(1))
    for c in candidates:
        if len(c) == 8 and c.isdigit():
            try:
                return date(int(c[:4]), int(c[4:6]), int(c[6:8]))
            except ValueError:
                continue
    return None


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Identity:
    source: str
    """``id_card``, ``ss_card`` or ``qr`` (a platform person code: no name, no number)."""
    name: str = ""
    id_number: str = ""
    birth_date: date | None = None
    holder_hash: str | None = None
    """Already salted: a person code carries it signed; ``for_wire`` sets it from the number."""
    gender: str = ""
    nation: str = ""
    address: str = ""
    """The card's other fields, for prefilling application forms at this terminal only."""

    def __repr__(self) -> str:
        return f"Identity(source={self.source!r}, <personal fields hidden>)"

    __str__ = __repr__

    @classmethod
    def from_card(cls, card: CardRecord) -> Identity:
        """A reader's record (``IdentityDocument``): ``sam`` readers are ID cards, the rest
        social-security cards."""
        source = "id_card" if card.source == "sam" else "ss_card"
        number = str(card.id_number or "")
        return cls(
            source,
            str(card.name or ""),
            number,
            parse_birth_date(card.birth_date, number),
            gender=str(getattr(card, "gender", "") or ""),
            nation=str(getattr(card, "nation", "") or ""),
            address=str(getattr(card, "address", "") or ""),
        )

    @classmethod
    def from_person_code(cls, holder_hash: str) -> Identity:
        """A verified platform person code (``HK1``, typ ``person``)."""
        return cls("qr", holder_hash=holder_hash)

    def birth(self) -> date | None:
        return self.birth_date or parse_birth_date(None, self.id_number)

    def age_on(self, day: date) -> int | None:
        b = self.birth()
        return None if b is None else age_on(b, day)

    def hash_with(self, salt: str) -> str | None:
        """The salted hash the queue keeps (the number itself is never stored)."""
        if self.holder_hash:
            return self.holder_hash
        number = self.id_number.strip()
        return holder_id_hash(salt, number) if number else None

    def masked_name(self) -> str:
        return mask_name(self.name) if self.name else ""

    def masked_id(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    def for_wire(self, salt: str) -> Identity:
        """The same person without the ID number and without the full name: what may cross a
        network to the hall's queue host (hash, birth date, masked name)."""
        return replace(
            self,
            id_number="",
            gender="",
            nation="",
            address="",
            name=self.masked_name(),
            birth_date=self.birth(),
            holder_hash=self.hash_with(salt),
        )
