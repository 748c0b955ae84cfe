"""What the rest of the kiosk uses to reach the platform: configuration -> client, and the
online-only case lookup with its short encrypted cache (``app.services.platform``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from kiosk.platform.client import ClientConfig, PlatformClient, PlatformError
from kiosk.platform.signing import SecretError, load_secret
from kiosk.settings.schema import Settings
from offline_cache import cases
from offline_cache.errors import StoreError
from offline_cache.store import Store

log = logging.getLogger(__name__)


def client_from_settings(settings: Settings) -> tuple[PlatformClient | None, str]:
    """(client, "") when a platform is configured and usable; (None, why) otherwise.

    No URL is offline mode, not an error. A URL without a usable secret is a provisioning
    problem the technician must see, but the kiosk still serves offline.
    """
    p = settings.platform
    if not p.url:
        return None, ""
    terminal_id = p.terminal_id or settings.terminal.id
    if not p.hall_id:
        return None, "platform.hall_id is not set"
    if not p.secret_file:
        return None, "platform.secret_file is not set"
    try:
        secret = load_secret(p.secret_file)
    except SecretError as exc:
        return None, str(exc)
    cfg = ClientConfig(p.url, terminal_id, p.hall_id, secret, p.ca_bundle, p.timeout_s)
    return PlatformClient(cfg), ""


@dataclass
class CaseAnswer:
    cases: list[dict[str, Any]]
    source: str
    """``online`` or ``cache`` (the UI says when the answer may be a few minutes old)."""


class CaseLookupUnavailable(Exception):
    """Offline (or the platform failed) and nothing cached: the UI says "try again later"."""


class PlatformAccess:
    def __init__(
        self, client: PlatformClient | None, store: Store | None, ttl_s: float, problem: str = ""
    ) -> None:
        self.client = client
        self.store = store
        self.ttl_s = ttl_s
        self.problem = problem

    @property
    def configured(self) -> bool:
        return self.client is not None

    def lookup_cases(self, *, case_number: str | None = None, id_number: str | None = None) -> CaseAnswer:
        kind, value = ("case", case_number) if case_number is not None else ("id", id_number)
        if value is None:
            raise ValueError("give case_number or id_number")
        cipher = self.store.cipher if self.store is not None else None
        if self.client is not None:
            try:
                found = self.client.lookup_cases(case_number=case_number, id_number=id_number)
            except PlatformError as exc:
                log.info("case lookup failed online: %s", exc.message)
            else:
                if self.store is not None and cipher is not None and self.ttl_s > 0:
                    try:
                        self.store.write(lambda c: cases.put(c, cipher, kind, value, found, self.ttl_s))
                    except StoreError as exc:
                        log.warning("case cache not written: %s", exc)
                return CaseAnswer(found, "online")
        if self.store is not None and cipher is not None:
            try:
                with self.store.read() as conn:
                    cached = cases.get(conn, cipher, kind, value)
            except StoreError:
                cached = None
            if cached is not None:
                return CaseAnswer(cached, "cache")
        raise CaseLookupUnavailable("case progress needs the platform, which cannot be reached now")
