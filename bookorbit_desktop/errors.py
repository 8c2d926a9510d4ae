"""Domain errors that carry a user-facing title and a message saying what to do next."""


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
