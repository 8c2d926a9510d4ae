"""Where BookOrbit keeps its files, and the defaults of every setting.

Paths come from platformdirs; `--data-dir` or `BOOKORBIT_DATA_DIR` put everything (database,
covers, logs) under one folder instead, which is what tests and portable installs use.
Secrets never live here: the Hardcover token is in the OS keyring.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop import APP_NAME
from bookorbit_desktop.errors import BookOrbitError

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from typing import Any

DATA_DIR_ENV = "BOOKORBIT_DATA_DIR"
DB_FILENAME = "library.sqlite3"

# Every setting with its default; the `setting` table stores only what the user changed.
DEFAULT_SETTINGS: dict[str, Any] = {
    "server.host": "0.0.0.0",
    "server.port": 8765,
    "server.opds_enabled": True,
    "server.https_port": None,  # a port for HTTPS next to HTTP; None: no HTTPS
    "opds.page_size": 50,
    "kosync.allow_registration": False,
    "reading.finish_threshold": 0.995,
    "metadata.contact_email": "",  # named in Open Library's and Google's User-Agent; "": none
    "hardcover.sync_enabled": True,
    "hardcover.sync_on_status": True,
    "hardcover.sync_on_progress": True,
    "hardcover.sync_on_rating": True,
    "hardcover.privacy": "account",  # account (the profile's own default), public, ...
    "hardcover.privacy_for_all": False,  # also change the privacy of adopted entries
    "library.watched_folders": [],  # folders imported again whenever their files change
    "highlights.receiver": False,  # receive KOReader's XMNote highlight exports
    "highlights.port": 8080,  # the port KOReader's exporter posts to (fixed at 8080 there)
    "highlights.secret": None,  # a pairing secret the exporter must send (?k=...), or None
    "hardcover.journal_all": False,  # send every linked book's highlights as journal quotes
    "hardcover.journal_books": [],  # or only these books' (library ids)
    "hardcover.journal_privacy": 3,  # 1 public, 2 followers, 3 private (the default)
    "devices.wireless": False,  # answer KOReader's Calibre > Connect (password in the keyring)
    "devices.calibre_port": 9090,  # calibre's own default, which KOReader suggests
    "devices.discovery": True,  # answer KOReader's UDP search for calibre
    "library.inbox": False,  # new imports wait in the Inbox until the user approves them
    "library.tidy_folder": None,  # where tidied book files go; None: not chosen yet
    "library.saved_searches": [],  # [name, search] pairs, in the sidebar's order
    "library.double_click_edits": False,  # a double-click in the table edits the cell
    "library.tidy_pattern": "{author}/[{series} {number} - ]{title}",  # library.files.plan
}


@dataclass(frozen=True)
class Paths:
    """The folders BookOrbit writes to."""

    data_dir: Path
    log_dir: Path
    cache_dir: Path

    @property
    def db_file(self) -> Path:
        return self.data_dir / DB_FILENAME

    @property
    def covers_dir(self) -> Path:
        return self.data_dir / "covers"

    @property
    def thumbnails_dir(self) -> Path:
        return self.cache_dir / "thumbnails"

    def ensure(self) -> None:
        """Create the folders, private to this user: 0700 folders and 0600 files (the library
        holds the account's hash and reading history; logs name devices and addresses)."""
        private = os.name == "posix"
        if private:
            os.umask(0o077)  # every file and folder BookOrbit creates from now on
        for folder in (self.data_dir, self.log_dir, self.cache_dir, self.covers_dir):
            _make_folder(folder)
            if private:
                os.chmod(folder, 0o700)
        if private:
            for pattern, folder in (("library.sqlite3*", self.data_dir), ("*.log*", self.log_dir)):
                for path in folder.glob(pattern):
                    if path.is_file() and not path.is_symlink():
                        os.chmod(path, 0o600)


def _make_folder(folder: Path) -> None:
    """`folder`, created if missing; a path that cannot be one is a `BookOrbitError` naming it
    (the command line prints it in one line and exits with 2, not a traceback)."""
    title = "Data folder unusable"
    if folder.exists() and not folder.is_dir():
        raise BookOrbitError(
            f"{folder} is a file, not a folder. Give --data-dir (or {DATA_DIR_ENV}) a folder, "
            "or a path where a new folder can be made.",
            title=title,
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writable = os.access(folder, os.W_OK | os.X_OK)
    except OSError as error:
        reason = error.strerror or str(error)
        raise BookOrbitError(
            f"{folder} cannot be written ({reason}). Give --data-dir (or {DATA_DIR_ENV}) a "
            "folder you can write to.",
            title=title,
        ) from error
    if not writable:
        raise BookOrbitError(
            f"{folder} cannot be written (permission denied). Give --data-dir (or "
            f"{DATA_DIR_ENV}) a folder you can write to.",
            title=title,
        )


def resources_dir() -> Path:
    """`resources/` (icons, desktop entry templates): inside the bundle when PyInstaller froze
    the app, beside the package in a source tree (or an editable install), else where a
    regular install (pip, pipx) put them: `<prefix>/share/bookorbit-desktop/resources`."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    source = Path(__file__).resolve().parents[1] / "resources"
    if source.is_dir():
        return source
    return Path(sys.prefix) / "share" / APP_NAME / "resources"


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """Paths from an explicit folder, else `BOOKORBIT_DATA_DIR`, else the platform's folders.
    An explicit folder that is empty ("") is a `BookOrbitError`: it is not the default library."""
    if data_dir is not None and not str(data_dir).strip():
        raise BookOrbitError(
            "--data-dir was given no folder (an empty name). Give it a folder, or leave it out "
            "to use the default library.",
            title="No data folder",
        )
    chosen = data_dir or os.environ.get(DATA_DIR_ENV)
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return Paths(data_dir=root, log_dir=root / "logs", cache_dir=root / "cache")
    return default_paths()


def default_paths() -> Paths:
    """The platform's folders: the default library, used when no folder is chosen."""
    import platformdirs  # with its imports, a few ms a command with a chosen folder need not pay

    return Paths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )
