"""The Settings window's data: server, OPDS, the KOReader account, reading, Hardcover sync,
the e-mail address the metadata sources may reach the user at.

Values are checked by small pure functions (one per field, each raising `InvalidValueError`
with a message that says what to type instead) before anything is written, so a bad value in
one field never leaves the others half-saved.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import asdict, dataclass

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.sync import settings as sync_settings
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.settings import delete_setting, get_setting, set_setting
from bookorbit_desktop.server import accounts

ALL_INTERFACES = "0.0.0.0"
THIS_COMPUTER_ONLY = "127.0.0.1"
MIN_PAGE_SIZE, MAX_PAGE_SIZE = 5, 500
# Below half-way a book is not "finished" by any reading; KOReader rarely reports exactly 1.0
# because of back matter, hence thresholds such as 0.995.
MIN_THRESHOLD, MAX_THRESHOLD = 0.5, 1.0


@dataclass(frozen=True)
class DesktopSettings:
    host: str
    port: int
    opds_enabled: bool
    opds_page_size: int
    allow_registration: bool
    finish_threshold: float  # fraction of the book, 0.5..1
    username: str | None  # the single KOReader/OPDS account; None when none exists
    https_port: int | None = None  # HTTPS next to HTTP on this port; None: no HTTPS

    def server_differs(self, other: DesktopSettings) -> bool:
        """True when going from `self` to `other` needs the LAN server restarted."""
        return (self.host, self.port, self.opds_enabled, self.https_port) != (
            other.host,
            other.port,
            other.opds_enabled,
            other.https_port,
        )


def check_host(value: str) -> str:
    host = value.strip()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise InvalidValueError(
            f"“{host}” is not an IP address. Choose “All network interfaces”, “This computer "
            "only”, or one of this computer's addresses from the list."
        ) from None
    return host


def check_port(value: int) -> int:
    if not 1024 <= value <= 65535:
        raise InvalidValueError(
            f"Port {value} cannot be used. Choose a port between 1024 and 65535, for example 8765."
        )
    return value


def check_port_pair(port: int, https_port: int | None) -> None:
    """HTTP and HTTPS need a port each (0, any free port, is one for each); the rule of the
    settings and of `serve`'s one-run ports alike."""
    if https_port is not None and https_port != 0 and https_port == port:
        raise InvalidValueError(
            f"HTTP and HTTPS cannot share port {port}: choose another port for HTTPS."
        )


def check_page_size(value: int) -> int:
    if not MIN_PAGE_SIZE <= value <= MAX_PAGE_SIZE:
        raise InvalidValueError(
            f"The OPDS page size must be between {MIN_PAGE_SIZE} and {MAX_PAGE_SIZE} books."
        )
    return value


def check_threshold(value: float) -> float:
    if not MIN_THRESHOLD <= value <= MAX_THRESHOLD:
        raise InvalidValueError(
            "A book counts as finished somewhere between 50 % and 100 % of the way through; "
            f"{value * 100:g} % is outside that range."
        )
    return value


def check_account(current: str | None, username: str, password: str) -> tuple[str, str] | None:
    """The (name, password) to store, or None to keep the account as it is."""
    name = username.strip()
    if not name:
        if current is not None:
            raise InvalidValueError(
                "Enter a user name for KOReader. The account cannot be left without one."
            )
        if password:
            raise InvalidValueError("Enter a user name to go with the password.")
        return None
    name = accounts.validate_username(name)
    if not password:
        if current is None:
            raise InvalidValueError(f"Choose a password for the new account “{name}”.")
        if name != current:
            raise InvalidValueError(
                "To rename the account, type its password again (KOReader logs in with both)."
            )
        return None
    return name, password


def load_settings() -> DesktopSettings:
    account = accounts.load_account()
    return DesktopSettings(
        host=str(get_setting("server.host")),
        port=int(get_setting("server.port")),
        opds_enabled=bool(get_setting("server.opds_enabled")),
        opds_page_size=int(get_setting("opds.page_size")),
        allow_registration=bool(get_setting("kosync.allow_registration")),
        finish_threshold=float(get_setting("reading.finish_threshold")),
        username=account.username if account else None,
        https_port=_https_port(get_setting("server.https_port")),
    )


def _https_port(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def save_settings(
    wanted: DesktopSettings, password: str = "", *, remove_account: bool = False
) -> DesktopSettings:
    """Check every value, then store them all in one transaction; returns what was stored.

    `password` is the KOReader password in clear; only a salted hash of its md5 is kept.
    """
    current = load_settings()
    host = check_host(wanted.host)
    port = check_port(wanted.port)
    page_size = check_page_size(wanted.opds_page_size)
    threshold = check_threshold(wanted.finish_threshold)
    https_port = None if wanted.https_port is None else check_port(wanted.https_port)
    check_port_pair(port, https_port)
    new_account = (
        None if remove_account else check_account(current.username, wanted.username or "", password)
    )
    with database.atomic():
        set_setting("server.host", host)
        set_setting("server.port", port)
        set_setting("server.opds_enabled", wanted.opds_enabled)
        set_setting("opds.page_size", page_size)
        set_setting("kosync.allow_registration", wanted.allow_registration)
        set_setting("reading.finish_threshold", threshold)
        if https_port is None:
            delete_setting("server.https_port")  # the default: no HTTPS
        else:
            set_setting("server.https_port", https_port)
        if remove_account:
            accounts.remove_account()
        elif new_account is not None:
            name, secret = new_account
            accounts.set_account(name, accounts.key_for_password(secret))
    return load_settings()


# -- Hardcover sync -------------------------------------------------------------------------

SyncSettings = sync_settings.SyncSettings
# Privacy of the entries BookOrbit creates on the profile, in the order the window offers it.
PRIVACY_LABELS = {
    sync_settings.ACCOUNT_PRIVACY: "As on my Hardcover account",
    "public": "Public",
    "followers": "Followers",
    "private": "Private",
}


def load_sync_settings() -> SyncSettings:
    return sync_settings.load()


def save_sync_settings(wanted: SyncSettings) -> SyncSettings:
    """Store the Hardcover sync settings; a privacy change queues the entries it concerns."""
    return sync_settings.save(**asdict(wanted))


# -- Metadata ---------------------------------------------------------------------------------

CONTACT_EMAIL = "metadata.contact_email"
# An address as a User-Agent header can carry it: ASCII, no spaces, parentheses or semicolons.
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
MAX_EMAIL = 254


def check_email(value: str) -> str | None:
    """The e-mail address to store (None: none given); the one check of Settings ▸ Metadata
    and of `metadata contact`."""
    email = value.strip()
    if not email:
        return None
    if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email):
        raise InvalidValueError(
            f"“{email[:80]}” is not an e-mail address (one such as reader@example.org)."
        )
    return email


def load_contact_email() -> str | None:
    """The e-mail address Open Library and Google Books see in the User-Agent, or None."""
    value = get_setting(CONTACT_EMAIL)
    return value if isinstance(value, str) and value else None


def save_contact_email(value: str) -> str | None:
    """Check and store the address (empty: none); returns what was stored."""
    email = check_email(value)
    if email is None:
        delete_setting(CONTACT_EMAIL)
    else:
        set_setting(CONTACT_EMAIL, email)
    return email
