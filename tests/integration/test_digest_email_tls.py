"""Digest e-mail over TLS against a real SMTP server on 127.0.0.1 (aiosmtpd): STARTTLS and
implicit TLS with a certificate the client trusts, and a clear failure (nothing sent) with one
it does not trust."""
from __future__ import annotations

import datetime as dt
import email
import ipaddress
import ssl
from collections.abc import Iterator
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.integration.test_digest_email import ANA, KEY, Sink, _port, digest
from ui.email import EmailChannel, SmtpConfig


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert file, key file)."""
    folder = tmp_path_factory.mktemp("tls")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jobfit test SMTP")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture(params=["starttls", "ssl"])
def tls_smtp(request: pytest.FixtureRequest,
             certificate: tuple[Path, Path]) -> Iterator[tuple[Sink, int, str]]:
    sink, port, mode = Sink(), _port(), str(request.param)
    context = _server_context(certificate)
    if mode == "starttls":
        controller = Controller(sink, hostname="127.0.0.1", port=port, tls_context=context,
                                require_starttls=True)
    else:
        controller = Controller(sink, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    try:
        yield sink, port, mode
    finally:
        controller.stop()


def _channel(port: int, security: str) -> EmailChannel:
    config = SmtpConfig(host="127.0.0.1", port=port, security=security,
                        sender="jobfit <digest@jobfit.test>", timeout_s=10, retries=0)
    return EmailChannel(config, base_url="http://127.0.0.1:8123", key=KEY,
                        sleep=lambda s: None)


def test_digest_is_sent_over_tls_to_a_trusted_server(
        tls_smtp: tuple[Sink, int, str], certificate: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    sink, port, mode = tls_smtp
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the client trusts this server
    out = _channel(port, mode).deliver(digest(), ANA, digest_id=11)
    assert out.status == "sent", out.reason
    assert len(sink.messages) == 1 and sink.messages[0][0] == ["ana@example.com"]
    msg = email.message_from_bytes(sink.messages[0][1], policy=default)
    assert msg["Subject"] == "jobfit digest: 1 new match (2026-12-07)"


def test_an_untrusted_certificate_fails_and_sends_nothing(
        tls_smtp: tuple[Sink, int, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    sink, port, mode = tls_smtp
    empty = tmp_path / "no-ca.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))  # trusts nothing
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    out = _channel(port, mode).deliver(digest(), ANA, digest_id=12)
    assert out.status == "failed" and out.reason
    assert "certificate" in out.reason.lower() or "ssl" in out.reason.lower(), out.reason
    assert sink.messages == []
