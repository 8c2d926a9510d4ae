"""Runs first inside the bundle: point the bundled OpenSSL at this system's CA certificates.

The bundle carries the build machine's OpenSSL, which looks for certificates where that
distribution keeps them. Fedora, openSUSE or Arch keep them elsewhere, and HTTPS to Hardcover
would fail there. Unless the user set SSL_CERT_FILE or SSL_CERT_DIR, the first CA bundle that
exists on this system is used.
"""

from __future__ import annotations

import os
import ssl
import sys
from collections.abc import Callable, Iterable, MutableMapping

CA_FILES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Arch, Gentoo
    "/etc/pki/tls/certs/ca-bundle.crt",  # Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",  # openSUSE
    "/etc/pki/tls/cacert.pem",  # OpenELEC
    "/etc/ssl/cert.pem",  # Alpine, the BSDs, macOS
)


def choose_ca_file(
    environ: MutableMapping[str, str],
    default_file: str | None,
    candidates: Iterable[str] = CA_FILES,
    exists: Callable[[str], bool] = os.path.isfile,
) -> str | None:
    """The CA file to set as SSL_CERT_FILE, or None when nothing needs changing."""
    if environ.get("SSL_CERT_FILE") or environ.get("SSL_CERT_DIR"):
        return None
    if default_file and exists(default_file):
        return None
    return next((path for path in candidates if exists(path)), None)


if getattr(sys, "frozen", False):
    _chosen = choose_ca_file(os.environ, ssl.get_default_verify_paths().cafile)
    if _chosen:
        os.environ["SSL_CERT_FILE"] = _chosen
