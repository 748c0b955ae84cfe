"""The systemd notification protocol (sd_notify(3)), without libsystemd.

A notification is one datagram of ``KEY=VALUE`` lines sent to the unix socket named by
``$NOTIFY_SOCKET`` (a path, or ``@name`` in the abstract namespace). Sending must never hurt the
kiosk: with no socket, or a socket that has gone away, it quietly does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping, MutableMapping

log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, address: str | None) -> None:
        self.address = address
        self._warned = False

    @classmethod
    def from_environ(cls, environ: MutableMapping[str, str] | None = None, *, unset: bool = True) -> Notifier:
        """Reads ``$NOTIFY_SOCKET``; ``unset`` removes it so the helper processes the kiosk starts
        (espeak-ng, pcsc tools) cannot talk to systemd in its name."""
        env = os.environ if environ is None else environ
        raw = env.get("NOTIFY_SOCKET") or None
        if unset:
            env.pop("NOTIFY_SOCKET", None)
        return cls(raw)

    @property
    def enabled(self) -> bool:
        return self.address is not None and self.address[:1] in ("/", "@")

    def notify(self, **fields: str | int) -> bool:
        """``notify(READY=1, STATUS="...")``; True when the datagram was sent."""
        if not self.enabled:
            return False
        assert self.address is not None
        payload = "\n".join(f"{k}={_one_line(v)}" for k, v in fields.items()).encode()
        target = "\0" + self.address[1:] if self.address[0] == "@" else self.address
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.connect(target)
                sock.sendall(payload)
        except OSError as exc:
            if not self._warned:
                self._warned = True
                log.warning("systemd notification failed (%s); continuing without it", exc)
            return False
        self._warned = False
        return True


def _one_line(value: str | int) -> str:
    return str(value).replace("\n", " ")


def watchdog_interval(environ: Mapping[str, str] | None = None) -> float | None:
    """Seconds systemd allows between WATCHDOG=1 pings, or None when no watchdog watches us.

    ``$WATCHDOG_PID`` names the process systemd watches. Under the kiosk session that is cage,
    our parent (the app is cage's child and notifies with NotifyAccess=all), so the parent's pid
    counts as ours; any other pid means the variable was inherited from further up.
    """
    env = os.environ if environ is None else environ
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    pid = env.get("WATCHDOG_PID")
    if pid and pid not in (str(os.getpid()), str(os.getppid())):
        return None
    return usec / 1_000_000
