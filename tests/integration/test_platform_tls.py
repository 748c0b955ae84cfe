"""TLS: the client verifies the platform against the configured CA bundle, and refuses otherwise."""

from __future__ import annotations

import ssl
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.devtools.refplatform import seed
from kiosk.devtools.refplatform.run import SECRET_NAME, ServerThread, prepare
from kiosk.platform.client import ClientConfig, PlatformClient, Retryable
from kiosk.platform.signing import load_secret


def _pki(tmp: Path) -> tuple[Path, Path, Path]:
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Demo Platform CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ip_address("127.0.0.1"))]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem, cert_pem, key_pem = tmp / "ca.pem", tmp / "server.pem", tmp / "server.key"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return ca_pem, cert_pem, key_pem


def test_ca_bundle_is_used_and_unknown_certificates_refused(tmp_path: Path) -> None:
    ca_pem, cert_pem, key_pem = _pki(tmp_path)
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
