"""Starting BookOrbit (hidden in the tray) when the user logs in, the freedesktop way; and
the same entry in the desktop's app menu (`bookorbit-desktop --install-desktop-entry`).

An XDG autostart entry is a .desktop file in `$XDG_CONFIG_HOME/autostart`. It is written from
the template in `resources/` with the command that runs this very installation (a bundle, the
`bookorbit-desktop` script beside the interpreter, or `python -m bookorbit_desktop`). The menu
entry is the same file, from the same template and command (without `--hidden`), in
`$XDG_DATA_HOME/applications`, with the app's icons in `$XDG_DATA_HOME/icons/hicolor`: what
`make run` and pipx users lack (the download's `install.sh` adds both itself).
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
    *,
    hidden: bool = True,
) -> list[str]:
    """The command that starts this installation (`hidden`: in the tray only)."""
    gui = ["gui", "--hidden"] if hidden else ["gui"]
    if frozen:
        return [executable, *gui]
    script = Path(executable).with_name("bookorbit-desktop")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), *gui]
    return [executable, "-m", "bookorbit_desktop", *gui]


def render_entry(command: Sequence[str], template: str, *, autostart: bool = True) -> str:
    exec_line = " ".join(quote_exec_argument(part) for part in command)
    body = template.replace("@EXEC@", exec_line).rstrip("\n") + "\n"
    return body + "X-GNOME-Autostart-enabled=true\n" if autostart else body


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
        _write(entry, text.encode("utf-8"))
    except OSError as error:
        raise AutostartError(
            f"Could not {'write' if enabled else 'remove'} {entry}: {error.strerror or error}. "
            "Check that your configuration folder is writable."
        ) from None


def _write(target: Path, data: bytes) -> None:
    """Write `target` whole or not at all (a reader never sees half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(target)


class DesktopEntryError(BookOrbitError):
    title = "Menu entry not installed"


def data_home(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share"))


def install_desktop_entry(
    *,
    environ: Mapping[str, str] = os.environ,
    command: Sequence[str] | None = None,
    resources: Path | None = None,
) -> list[Path]:
    """Put BookOrbit in the desktop's app menu for this user: the entry (from the autostart
    template, with the command of this installation) and the icons. The files written."""
    resources = resources or resources_dir()
    home = data_home(environ)
    entry = home / "applications" / ENTRY_NAME
    written: list[Path] = []
    try:
        template = (resources / f"{ENTRY_NAME}.in").read_text(encoding="utf-8")
        text = render_entry(command or launch_command(hidden=False), template, autostart=False)
        _write(entry, text.encode("utf-8"))
        written.append(entry)
        theme = resources / "icons" / "hicolor"
        for icon in sorted(theme.glob("*/apps/*")):
            target = home / "icons" / "hicolor" / icon.relative_to(theme)
            _write(target, icon.read_bytes())
            written.append(target)
    except OSError as error:
        raise DesktopEntryError(
            f"Could not write {error.filename or entry}: {error.strerror or error}. Check that "
            f"{home} is writable."
        ) from None
    return written


def command_of(entry_text: str) -> list[str]:
    """The command of an entry's Exec line (for tests and diagnostics)."""
    for line in entry_text.splitlines():
        if line.startswith("Exec="):
            return shlex.split(line[len("Exec=") :].replace("%%", "%"))
    return []
