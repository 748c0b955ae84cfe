"""华视 (China Vision) ``termb`` (libtermb.so / termb.dll), the CVR-100 reader SDK:
CVR_InitComm(port) -> CVR_Authenticate() -> CVR_Read_Content(active), then one getter per
field (GetPeopleName, GetPeopleIDCode ...; GBK text as the SDK gives it) and GetBMPData for
the photo, which the SDK decodes itself. Ports as in the SDT SDK: 1001-1016 USB, 1-16 serial.
"""

from __future__ import annotations

import ctypes

from drivers.vendorlib.adapter import Adapter

c_int, c_char_p = ctypes.c_int, ctypes.c_char_p
intp = ctypes.POINTER(ctypes.c_int)

SUCCESS = 1
INIT_STATUS: dict[int, tuple[str, str]] = {
    1: ("ok", "success"),
    2: ("port_open_failed", "the reader's port could not be opened"),
    0: ("library_not_ready", "the library could not initialise"),
    3: ("library_not_ready", "the library could not load its own parts"),
}
AUTH_STATUS: dict[int, tuple[str, str]] = {
    1: ("card_found", "card found"),
    2: ("no_card", "no card found"),
    3: ("select_failed", "selecting the card failed"),
    4: ("not_connected", "the reader is not connected"),
    0: ("not_connected", "the library is not initialised"),
}
READ_STATUS: dict[int, tuple[str, str]] = {
    1: ("ok", "success"),
    0: ("read_failed", "read failed"),
    4: ("card_auth_failed", "the card failed authentication"),
    -1: ("photo_decode_failed", "the photo could not be decoded"),
    -2: ("photo_decode_failed", "the photo file name is wrong"),
    -3: ("photo_decode_failed", "the photo file could not be opened"),
    -4: ("photo_decode_failed", "the photo file is damaged"),
    -5: ("unlicensed", "the library is not licensed for this reader"),
    -6: ("not_connected", "device connection error"),
    99: ("read_exception", "the library reported an exception while reading"),
}
PHOTO_ONLY_FAILURES = frozenset({-1, -2, -3, -4})
"""Read results where the text was read and only the photo is missing."""


def status(table: dict[int, tuple[str, str]], code: int) -> tuple[str, str]:
    return table.get(code, ("unknown_status", f"unknown return value {code}"))


# field -> getter, in the order they are asked for; the optional ones exist in some versions
GETTERS = {
    "card_type": "GetCertType",
    "name": "GetPeopleName",
    "chinese_name": "GetPeopleChineseName",
    "gender": "GetPeopleSex",
    "nation": "GetPeopleNation",
    "birth_date": "GetPeopleBirthday",
    "address": "GetPeopleAddress",
    "id_number": "GetPeopleIDCode",
    "issuer": "GetDepartment",
    "valid_from": "GetStartDate",
    "valid_to": "GetEndDate",
    "pass_number": "GetPassCheckID",
    "issue_count": "GetIssuesNum",
    "card_version": "GetPeopleCertVersion",
}
BINARY_GETTERS = ("GetBMPData", "GetFPDate")
_REQUIRED_GETTERS = ("GetPeopleName", "GetPeopleSex", "GetPeopleIDCode", "GetStartDate", "GetEndDate")
_STR = ([c_char_p, intp], c_int)
BUFFER = 1024


class Termb(Adapter):
    FUNCTIONS = {
        "CVR_InitComm": ([c_int], c_int),
        "CVR_CloseComm": ([], c_int),
        "CVR_Authenticate": ([], c_int),
        "CVR_Read_Content": ([c_int], c_int),
        **{name: _STR for name in _REQUIRED_GETTERS},
    }
    OPTIONAL = {
        "CVR_Read_FPContent": ([c_int], c_int),
        "CVR_GetSAMID": ([c_char_p, intp], c_int),
        "GetBMPData": ([c_char_p, intp], c_int),
        "GetFPDate": ([c_char_p, intp], c_int),
        **{name: _STR for name in GETTERS.values() if name not in _REQUIRED_GETTERS},
    }
    OPS = {
        "open": "CVR_InitComm",
        "close": "CVR_CloseComm",
        "sam_id": "CVR_GetSAMID",
        "authenticate": "CVR_Authenticate",
        "read": "CVR_Read_Content",
        "read_fp": "CVR_Read_FPContent",
        "text": "a field getter",
        "data": "a data getter",
    }

    def op_open(self, port: int) -> int:
        return int(self.fn["CVR_InitComm"](port))

    def op_close(self) -> int:
        return int(self.fn["CVR_CloseComm"]())

    def op_sam_id(self) -> str | None:
        f = self.fn.get("CVR_GetSAMID")
        if f is None:
            return None
        buf, n = ctypes.create_string_buffer(BUFFER), c_int(BUFFER)
        if int(f(buf, ctypes.byref(n))) != SUCCESS:
            return None
        return buf.value.decode("ascii", errors="replace").strip() or None

    def op_authenticate(self) -> int:
        return int(self.fn["CVR_Authenticate"]())

    def op_read(self, active: int) -> int:
        return int(self.fn["CVR_Read_Content"](active))

    def op_read_fp(self, active: int) -> int:
        f = self.fn.get("CVR_Read_FPContent") or self.fn["CVR_Read_Content"]
        return int(f(active))

    def op_text(self, function: str, encoding: str) -> str | None:
        """One field getter (GetPeopleName ...): its text, or None when the library has no such
        getter or it fails."""
        if function not in GETTERS.values():
            raise ValueError(f"not a field getter: {function}")
        f = self.fn.get(function)
        if f is None:
            return None
        buf, n = ctypes.create_string_buffer(BUFFER), c_int(BUFFER)
        if int(f(buf, ctypes.byref(n))) != SUCCESS:
            return None
        return buf.value.decode(encoding, errors="replace").strip()

    def op_data(self, function: str) -> bytes | None:
        """GetBMPData (the decoded photo) or GetFPDate (the fingerprint block)."""
        if function not in BINARY_GETTERS:
            raise ValueError(f"not a data getter: {function}")
        f = self.fn.get(function)
        if f is None:
            return None
        size = 64 * BUFFER
        buf, n = ctypes.create_string_buffer(size), c_int(size)
        if int(f(buf, ctypes.byref(n))) != SUCCESS:
            return None
        return buf.raw[: max(0, min(n.value, size))]
