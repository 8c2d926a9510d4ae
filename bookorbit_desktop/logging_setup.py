"""Logging to a rotating file a user can attach to a bug report, and to stderr with `-v`."""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from typing import Any

LOG_FILENAME = "bookorbit-desktop.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Bearer tokens and JWT-looking strings are masked even if some code path logs one by mistake.
_TOKENS = re.compile(
    r"(Bearer\s+)?eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|Bearer\s+\S+"
    r"|hc_(?:pat|at|rt)_[A-Za-z0-9_-]+"  # Hardcover personal access / OAuth tokens
)
# Credentials next to their name, as a header line or a key/value pair: the HTTP server quotes
# the offending line of a malformed request in its error log, KOReader's key header included.
_NAMED = re.compile(
    r"(?i)\b((?:x-auth-key|proxy-authorization|authorization|password)['\"]?\s*[:=]\s*['\"]?"
    r"(?:(?:basic|bearer|digest)\s+)?)[^\s'\",;}]+"
)


# Every pattern above needs one of these (lower-cased) words; a line with none is left as it is
# without running the patterns, which costs far more than these substring tests.
_HINTS = ("eyj", "bearer", "hc_", "x-auth-key", "authorization", "password")


# Secrets known by value (the Hardcover token in use), masked whatever their shape.
_KNOWN_SECRETS: set[str] = set()
_SHORTEST_SECRET = 8  # a shorter value would mask ordinary words


def mask_secret(value: str) -> None:
    """Mask `value` wherever it appears in redacted text from now on (this process)."""
    if len(value) >= _SHORTEST_SECRET:
        _KNOWN_SECRETS.add(value)


def redact(text: str) -> str:
    """`text` with anything that looks like a credential replaced by `[redacted]`."""
    for secret in _KNOWN_SECRETS:
        if secret in text:
            text = text.replace(secret, "[redacted]")
    lowered = text.lower()
    if not any(hint in lowered for hint in _HINTS):
        return text
    return _TOKENS.sub("[redacted]", _NAMED.sub(r"\1[redacted]", text))


class RedactingFormatter(logging.Formatter):
    """Formats a record, then masks credentials in all of it: message, exception and stack."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class SizeRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Rotates before a line would take the file past `maxBytes`, formatting each line once.

    The standard handler formats every record twice (once only to measure it) and looks the file
    up on disk for every line; a busy sync server logs enough for that to show. This one asks the
    open file for its size and checks once, when it opens the file, that it is a regular file
    (a device or a pipe is never rotated).
    """

    def _open(self) -> Any:
        stream = super()._open()
        self._rotatable = os.path.isfile(self.baseFilename)
        return stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
            if self.stream is None:
                self.stream = self._open()
            if (
                self.maxBytes > 0
                and self._rotatable
                and self.stream.tell() + len(line) > self.maxBytes
            ):
                self.doRollover()
            self.stream.write(line)
            self.flush()
            self._unwritable = False
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def handleError(self, record: logging.LogRecord) -> None:
        """A log file the drive refuses (full, read-only, gone) is said once, in one line, and
        the line is lost: never a traceback on the terminal (for a full drive, the command's
        own message says what matters), nor one for each line after it."""
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)
        elif not getattr(self, "_unwritable", False):
            self._unwritable = True
            reason = error.strerror or error
            sys.stderr.write(f"The log file {self.baseFilename} cannot be written ({reason}).\n")


def setup_logging(log_dir: Path, *, verbose: bool = False) -> Path:
    """Send logs to `log_dir/bookorbit-desktop.log` (rotated) and, when verbose, to stderr."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / LOG_FILENAME
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_bookorbit", False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = [
        SizeRotatingFileHandler(
            # File names in a legacy encoding reach the log as surrogates; escape, never fail.
            log_file,
            maxBytes=2_000_000,
            backupCount=5,
            encoding="utf-8",
            errors="backslashreplace",
        )
    ]
    if verbose:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(RedactingFormatter(_FORMAT))
        handler._bookorbit = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # peewee logs every SQL statement with its parameters at DEBUG: thousands of lines per
    # import, and values a bug report has no use for. -v means our own debug lines.
    logging.getLogger("peewee").setLevel(logging.INFO)
    return log_file
