"""Logging to a rotating file a user can attach to a bug report, and to stderr with `-v`."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

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


def redact(text: str) -> str:
    """`text` with anything that looks like a credential replaced by `[redacted]`."""
    return _TOKENS.sub("[redacted]", _NAMED.sub(r"\1[redacted]", text))


class RedactingFormatter(logging.Formatter):
    """Formats a record, then masks credentials in all of it: message, exception and stack."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


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
        logging.handlers.RotatingFileHandler(
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
