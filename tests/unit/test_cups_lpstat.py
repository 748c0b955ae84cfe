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


def test_request_id_and_job_listing() -> None:
    assert lpstat.parse_request_id("request id is hk-a4-1f-12 (1 file(s))\n") == "hk-a4-1f-12"
    listing = "hk-12   root   1024   Mon Nov 30 04:29:11 2026\nhk-120  root  1 x\n"
    assert lpstat.job_listed(listing, "hk-12") and not lpstat.job_listed(listing, "hk-1")
