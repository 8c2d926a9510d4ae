"""Domain errors that carry a user-facing title and a message saying what to do next; and the
one rule for an outside error that is the drive being full (`drive_full`)."""

import errno


class BookOrbitError(Exception):
    """Base class for errors shown to the user (never as a traceback)."""

    title = "BookOrbit Desktop"
    # What the user can do about it, as a word each front end turns into its own control or
    # command (`CONNECT`: give BookOrbit a Hardcover token; `SET_DEVICE_PASSWORD`: save the
    # password KOReader's wireless connection uses); None when the message says it all.
    remedy: str | None = None

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


CONNECT = "connect"
SET_DEVICE_PASSWORD = "set-device-password"


class DatabaseTooNewError(BookOrbitError):
    title = "Library written by a newer version"


class InvalidValueError(BookOrbitError):
    title = "Invalid value"


class NotFoundError(BookOrbitError):
    title = "Not found"


class DriveFullError(BookOrbitError):
    title = "Drive full"


def drive_full(error: BaseException) -> DriveFullError | None:
    """The full drive behind `error` (SQLite's "database or disk is full", or the system's
    ENOSPC, anywhere in its chain), said plainly; None for another error."""
    seen: BaseException | None = error
    found: set[int] = set()
    while seen is not None and id(seen) not in found:  # a chain may loop back on itself
        found.add(id(seen))
        if "disk is full" in str(seen) or getattr(seen, "errno", None) == errno.ENOSPC:
            return DriveFullError(
                f"The drive is full, so this could not be done ({seen}). Free some space on "
                "it, then try again."
            )
        seen = seen.__cause__ or seen.__context__
    return None
