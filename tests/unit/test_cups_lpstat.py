"""Reading lpstat: queue state and printer-state-reasons become the A4 printer's codes."""

from __future__ import annotations

import pytest

from drivers.cups import lpstat

IDLE = """printer hk is idle.  enabled since Mon Nov 30 04:29:11 2026
\tForm mounted:
\tAlerts: none
\tLocation:
"""


@pytest.mark.parametrize(
    ("text", "state", "code"),
    [
        (IDLE, "idle", "ready"),
        (IDLE.replace("Alerts: none", "Alerts: media-empty-error"), "idle", "paper_out"),
        (IDLE.replace("Alerts: none", "Alerts: media-needed cover-open"), "idle", "paper_out"),
        (IDLE.replace("Alerts: none", "Alerts: cover-open-warning"), "idle", "cover_open"),
        (IDLE.replace("Alerts: none", "Alerts: media-low-report"), "idle", "ready"),
        (IDLE.replace("Alerts: none", "Alerts: media-jam-error"), "idle", "jam"),
        (IDLE.replace("is idle.  enabled", "disabled"), "stopped", "stopped"),
        ("printer hk now printing hk-3.  enabled since x\n\tAlerts: none\n", "printing", "ready"),
        ('lpstat: Invalid destination name in list "hk".', "unknown", "offline"),
    ],
)
def test_queue_state_and_code(text: str, state: str, code: str) -> None:
    st = lpstat.parse_printer(text)
    assert st.state == state and st.code() == code


def test_request_id() -> None:
    assert lpstat.parse_request_id("request id is hk-a4-1f-12 (1 file(s))\n") == "hk-a4-1f-12"


def test_ipp_get_job_attributes_request_and_response() -> None:
    import struct

    from drivers.cups import ipp

    req = ipp.get_job_attributes("ipp://h:631/printers/q", 12)
    assert req[:4] == bytes([2, 0, 0, 9]) and req.endswith(bytes([ipp.TAG_END]))
    assert b"printer-uri" in req and struct.pack(">i", 12) in req
    body = struct.pack(">BBHI", 2, 0, 0, 1) + bytes([ipp.TAG_JOB])
    body += ipp._attr(ipp.ENUM, "job-state", struct.pack(">i", 7))
    body += ipp._attr(ipp.KEYWORD, "job-state-reasons", b"job-canceled-by-user")
    body += bytes([ipp.TAG_END])
    status, attrs = ipp.parse_response(body)
    assert status == 0 and attrs == {"job-state": [7], "job-state-reasons": ["job-canceled-by-user"]}
    with pytest.raises(ipp.IppError):
        ipp.parse_response(body[:20])
