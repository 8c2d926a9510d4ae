"""Reading a password on the command line, for the commands that save one (`kosync set-user`,
`device set-password`): from standard input with `--password-stdin`, or typed twice at a
terminal; never from an argument, which other users of the computer could read."""

from __future__ import annotations

import getpass
import sys

from bookorbit_desktop.errors import InvalidValueError


def read_password(from_stdin: bool) -> str:
    """The password, checked to be UTF-8 text and not empty."""
    if from_stdin:
        stream = getattr(sys.stdin, "buffer", None)
        raw = stream.readline() if stream is not None else sys.stdin.readline().encode()
        try:
            password = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidValueError("The password on standard input is not UTF-8 text.") from error
        password = password.removesuffix("\n").removesuffix("\r")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise InvalidValueError("The two passwords differ. Run the command again.")
    else:
        raise InvalidValueError("Pipe the password in and add --password-stdin.")
    if not password:
        raise InvalidValueError("The password is empty. Give the password KOReader will use.")
    return password
