"""Starting BookOrbit (hidden in the tray) when the user logs in, the freedesktop way.

An XDG autostart entry is a .desktop file in `$XDG_CONFIG_HOME/autostart`. It is written from
the template in `resources/` with the command that runs this very installation (a bundle, the
`bookorbit-desktop` script beside the interpreter, or `python -m bookorbit_desktop`).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from bookorbit_desktop.config import resources_dir
from bookorbit_desktop.errors import BookOrbitError

ENTRY_NAME = "org.bookorbit.BookOrbitDesktop.desktop"
# Characters the Desktop Entry spec says must be quoted in an Exec argument.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


class AutostartError(BookOrbitError):
    title = "Start at login not changed"


def template_file() -> Path:
    """The entry template shipped in `resources/` (of the source tree or the bundle)."""
    return resources_dir() / f"{ENTRY_NAME}.in"


def supported(platform: str = sys.platform) -> bool:
    return platform.startswith("linux") or "bsd" in platform


def autostart_dir(environ: Mapping[str, str] = os.environ) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart"


def quote_exec_argument(argument: str) -> str:
    """An Exec argument quoted as the Desktop Entry spec wants (and % doubled)."""
    argument = argument.replace("%", "%%")
    if not any(ch in _RESERVED for ch in argument):
        return argument
    escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in argument)
    return f'"{escaped}"'


def launch_command(
    executable: str = sys.executable,
    frozen: bool = bool(getattr(sys, "frozen", False)),
) -> list[str]:
    """The command that starts this installation hidden in the tray."""
    if frozen:
        return [executable, "gui", "--hidden"]
    script = Path(executable).with_name("bookorbit-desktop")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), "gui", "--hidden"]
    return [executable, "-m", "bookorbit_desktop", "gui", "--hidden"]


def render_entry(command: Sequence[str], template: str) -> str:
    exec_line = " ".join(quote_exec_argument(part) for part in command)
    body = template.replace("@EXEC@", exec_line)
    return body.rstrip("\n") + "\nX-GNOME-Autostart-enabled=true\n"


def is_enabled(environ: Mapping[str, str] = os.environ) -> bool:
    entry = autostart_dir(environ) / ENTRY_NAME
    try:
        text = entry.read_text(encoding="utf-8")
    except OSError:
        return False
    return "Hidden=true" not in text and "X-GNOME-Autostart-enabled=false" not in text


def set_enabled(
    enabled: bool,
    *,
    environ: Mapping[str, str] = os.environ,
    command: Sequence[str] | None = None,
    template: Path | None = None,
) -> None:
    """Write or remove the autostart entry; AutostartError says what went wrong."""
    entry = autostart_dir(environ) / ENTRY_NAME
    try:
        if not enabled:
            entry.unlink(missing_ok=True)
            return
        template_text = (template or template_file()).read_text(encoding="utf-8")
        text = render_entry(command or launch_command(), template_text)
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(entry)
    except OSError as error:
        raise AutostartError(
            f"Could not {'write' if enabled else 'remove'} {entry}: {error.strerror or error}. "
            "Check that your configuration folder is writable."
        ) from None


def command_of(entry_text: str) -> list[str]:
    """The command of an entry's Exec line (for tests and diagnostics)."""
    for line in entry_text.splitlines():
        if line.startswith("Exec="):
            return shlex.split(line[len("Exec=") :].replace("%%", "%"))
    return []
