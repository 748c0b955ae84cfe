"""Just enough IPP (RFC 8010/8011) to ask CUPS how one job ended: Get-Job-Attributes.

``lpstat -W completed`` lists cancelled and aborted jobs with the completed ones, so "did it
print?" needs the job's own ``job-state`` (9 completed, 7 canceled, 8 aborted). The codec is
pure (bytes in, values out); ``job_state`` posts it to the scheduler over HTTP.
"""

from __future__ import annotations

import struct

import requests

GET_JOB_ATTRIBUTES = 0x0009
TAG_OPERATION, TAG_JOB, TAG_END = 0x01, 0x02, 0x03
INTEGER, ENUM = 0x21, 0x23
URI, KEYWORD, CHARSET, LANGUAGE = 0x45, 0x44, 0x47, 0x48
JOB_STATES = {
    3: "pending",
    4: "held",
    5: "processing",
    6: "stopped",
    7: "canceled",
    8: "aborted",
    9: "completed",
}


class IppError(Exception):
    pass


def _attr(tag: int, name: str, value: bytes) -> bytes:
    n = name.encode()
    return struct.pack(">BH", tag, len(n)) + n + struct.pack(">H", len(value)) + value


def get_job_attributes(printer_uri: str, job_id: int, request_id: int = 1) -> bytes:
    body = struct.pack(">BBHI", 2, 0, GET_JOB_ATTRIBUTES, request_id) + bytes([TAG_OPERATION])
    body += _attr(CHARSET, "attributes-charset", b"utf-8")
    body += _attr(LANGUAGE, "attributes-natural-language", b"en")
    body += _attr(URI, "printer-uri", printer_uri.encode())
    body += _attr(INTEGER, "job-id", struct.pack(">i", job_id))
    body += _attr(KEYWORD, "requested-attributes", b"job-state")
    body += _attr(KEYWORD, "", b"job-state-reasons")
    return body + bytes([TAG_END])


def parse_response(data: bytes) -> tuple[int, dict[str, list[int | str]]]:
    """(status code, attributes by name) of an IPP response; ``IppError`` when malformed."""
    try:
        return _parse(data)
    except struct.error:
        raise IppError("truncated IPP response") from None


def _parse(data: bytes) -> tuple[int, dict[str, list[int | str]]]:
    if len(data) < 9:
        raise IppError("IPP response too short")
    status = struct.unpack(">H", data[2:4])[0]
    attrs: dict[str, list[int | str]] = {}
    i, name = 8, ""
    while i < len(data):
        tag = data[i]
        i += 1
        if tag == TAG_END:
            break
        if tag < 0x10:  # a group delimiter
            continue
        if i + 2 > len(data):
            raise IppError("truncated attribute")
        nlen = struct.unpack(">H", data[i : i + 2])[0]
        i += 2
        if nlen:
            name = data[i : i + nlen].decode("utf-8", "replace")
        i += nlen
        vlen = struct.unpack(">H", data[i : i + 2])[0]
        i += 2
        raw = data[i : i + vlen]
        if len(raw) != vlen:
            raise IppError("truncated value")
        i += vlen
        value: int | str = (
            struct.unpack(">i", raw)[0]
            if tag in (INTEGER, ENUM) and vlen == 4
            else raw.decode("utf-8", "replace")
        )
        attrs.setdefault(name, []).append(value)
    return status, attrs


def job_state(server: str, queue: str, job_id: int, timeout_s: float = 5.0) -> tuple[str, list[str]]:
    """(``completed``/``canceled``/``aborted``/…, job-state-reasons) of one job."""
    host = server or "localhost:631"
    body = get_job_attributes(f"ipp://{host}/printers/{queue}", job_id)
    try:
        resp = requests.post(
            f"http://{host}/jobs/", data=body, headers={"Content-Type": "application/ipp"}, timeout=timeout_s
        )
    except requests.RequestException as exc:
        raise IppError(f"scheduler not reachable: {type(exc).__name__}") from None
    status, attrs = parse_response(resp.content)
    if status >= 0x0400:
        raise IppError(f"IPP status 0x{status:04x}")
    state = attrs.get("job-state", [0])[0]
    reasons = [str(r) for r in attrs.get("job-state-reasons", [])]
    return JOB_STATES.get(int(state) if isinstance(state, int) else 0, "unknown"), reasons
