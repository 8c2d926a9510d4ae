"""HTTPS next to HTTP: a self-signed certificate made on first use, and its fingerprint.

Over plain HTTP the OPDS password (Basic auth) and the kosync key cross the Wi-Fi readable by
anyone on it. KOReader does not verify server certificates by default, so a self-signed one
is enough to encrypt the traffic; the SHA-256 fingerprint shown by `serve` and in Settings lets
a careful user compare it with what a client reports. The certificate and its key live in the
data folder (`tls/`, 0700; the key 0600) and are made once, then reused, so the fingerprint
stays the same across restarts. A missing or unreadable pair is made again.
"""

from __future__ import annotations

import datetime
import logging
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

log = logging.getLogger(__name__)

CERTIFICATE_FILE = "certificate.pem"
KEY_FILE = "key.pem"
VALID_DAYS = 3650
COMMON_NAME = "BookOrbit Desktop"


@dataclass(frozen=True)
class Certificate:
    certificate: Path
    key: Path
    fingerprint: str  # SHA-256 of the DER certificate, "AB:CD:..."


def tls_folder(data_dir: Path) -> Path:
    return data_dir / "tls"


def fingerprint_of(certificate: x509.Certificate) -> str:
    return ":".join(f"{byte:02X}" for byte in certificate.fingerprint(hashes.SHA256()))


def ensure_certificate(folder: Path, *, now: datetime.datetime | None = None) -> Certificate:
    """The certificate in `folder`, made (with a new key) when missing or unreadable."""
    cert_path, key_path = folder / CERTIFICATE_FILE, folder / KEY_FILE
    try:
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (OSError, ValueError):
        certificate = _make(folder, cert_path, key_path, now or datetime.datetime.now(datetime.UTC))
    return Certificate(cert_path, key_path, fingerprint_of(certificate))


def _make(
    folder: Path, cert_path: Path, key_path: Path, now: datetime.datetime
) -> x509.Certificate:
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    _write_private(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    log.info("Made a self-signed HTTPS certificate, SHA-256 %s", fingerprint_of(certificate))
    return certificate


def _write_private(path: Path, data: bytes) -> None:
    """Write `data` readable by this user only, replacing `path` whole."""
    partial = path.with_name(path.name + ".new")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def server_context(certificate: Certificate) -> ssl.SSLContext:
    """TLS 1.2 or newer with the certificate; clients are not asked for one."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certificate.certificate, certificate.key)
    return context
