"""TLS: the client verifies the platform against the configured CA bundle, and refuses otherwise."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from kiosk.platform.client import ClientConfig, PlatformClient, Retryable
from kiosk.platform.signing import load_secret
from tests.pki import make_pki


def test_ca_bundle_is_used_and_unknown_certificates_refused(tmp_path: Path) -> None:
    ca_pem, cert_pem, key_pem = make_pki(tmp_path)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_pem, key_pem)
    server = ServerThread(prepare(tmp_path / "platform"), ssl_context=ctx).start()
    secret = load_secret(tmp_path / "platform" / SECRET_NAME)
    try:
        trusted = PlatformClient(
            ClientConfig(server.url, seed.TERMINAL_ID, seed.HALL_ID, secret, str(ca_pem))
        )
        assert trusted.hall()["hall_id"] == seed.HALL_ID
        trusted.close()
        system = PlatformClient(ClientConfig(server.url, seed.TERMINAL_ID, seed.HALL_ID, secret))
        with pytest.raises(Retryable, match="TLS"):
            system.hall()
        system.close()
    finally:
        server.stop()
