"""Domain errors that carry a user-facing title and a message saying what to do next."""


class BookOrbitError(Exception):
    """Base class for errors shown to the user (never as a traceback)."""

    title = "BookOrbit Desktop"

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class DatabaseTooNewError(BookOrbitError):
    title = "Library written by a newer version"


class InvalidValueError(BookOrbitError):
    title = "Invalid value"


class NotFoundError(BookOrbitError):
    title = "Not found"
