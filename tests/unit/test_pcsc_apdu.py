"""APDU rules and profiles against the virtual cards directly (no pcscd needed)."""

from __future__ import annotations

import pytest

from drivers.pcsc import apdu
from drivers.pcsc.profiles import first_matching, load_profiles, run_profile
from drivers.pcsc.vicc import ResidentIdContactless, SocialSecurityCard


def card() -> SocialSecurityCard:
    return SocialSecurityCard("SC1234567", "李明华", "110105198503072014")


def test_command_encoding() -> None:
    assert apdu.command(0x00, 0xB2, 0x07, 0x2C, le=0x0B) == bytes.fromhex("00B2072C0B")
    assert apdu.command(0x00, 0xA4, 0x02, 0x00, bytes.fromhex("EF06")) == bytes.fromhex("00A4020002EF06")
    assert apdu.get_response(0x11) == bytes.fromhex("00C0000011")
    assert bytes.fromhex("FFCA000000") == apdu.GET_UID
    assert bytes.fromhex("0036000008") == apdu.RESIDENT_ID_PHYSICAL_ID
    assert apdu.with_le(bytes.fromhex("00B2080000"), 0x14) == bytes.fromhex("00B2080014")


def test_t0_61xx_is_fetched_with_get_response() -> None:
    c = card()
    raw = c.process(bytes.fromhex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF"))
    assert raw[-2] == 0x61
    sent: list[bytes] = []

    def send(a: bytes) -> bytes:
        sent.append(a)
        return c.process(a)

    c.reset()
    response = apdu.transmit(send, bytes.fromhex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF"))
    assert response.ok and response.data.startswith(b"\x6f")
    assert sent[1] == bytes([0x00, 0xC0, 0x00, 0x00, raw[-1]])


def test_6cxx_repeats_with_the_right_le() -> None:
    c = card()
    c.process(bytes.fromhex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF"))
    response = apdu.transmit(c.process, bytes.fromhex("00B2072C05"))
    assert response.ok and apdu.tlv_value(response.data, 0x07) == b"SC1234567"


def test_social_security_profile_reads_gbk_name() -> None:
    profiles = load_profiles()
    result = run_profile(profiles["social_security"], card().process)
    assert result is not None
    assert result.fields == {"card_number": "SC1234567", "ssn": "110105198503072014", "name": "李明华"}
    assert "李明华" not in repr(result)


def test_profile_not_matching_other_cards() -> None:
    profiles = list(load_profiles().values())
    res = first_matching(profiles, ResidentIdContactless(bytes.fromhex("A1A2A3A4A5A6A7A8")).process)
    assert (
        res is not None and res.profile == "resident_id" and res.fields["physical_id"] == "A1A2A3A4A5A6A7A8"
    )


def test_bad_records_raise_apdu_errors() -> None:
    with pytest.raises(apdu.ApduError):
        apdu.tlv_value(b"\x08\x12abc", 0x08)
    with pytest.raises(apdu.ApduError):
        apdu.parse_response(b"\x90")
