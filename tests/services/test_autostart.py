"""The XDG autostart entry: quoting, the command written, enabling and disabling."""

from __future__ import annotations

import os
import sys

import pytest

from bookorbit_desktop.services.autostart import (
    ENTRY_NAME,
    AutostartError,
    autostart_dir,
    command_of,
    is_enabled,
    launch_command,
    quote_exec_argument,
    render_entry,
    set_enabled,
    supported,
    template_file,
)


@pytest.mark.parametrize(
    ("argument", "quoted"),
    [
        ("/usr/bin/bookorbit-desktop", "/usr/bin/bookorbit-desktop"),
        ("--hidden", "--hidden"),
        ("/home/me/My Apps/python", '"/home/me/My Apps/python"'),
        ("/opt/a$b", '"/opt/a\\$b"'),
        ("100%", "100%%"),
        ('say "hi"', '"say \\"hi\\""'),
    ],
)
def test_quote_exec_argument(argument, quoted):
    assert quote_exec_argument(argument) == quoted


@pytest.mark.parametrize(
    ("platform", "ok"), [("linux", True), ("freebsd13", True), ("win32", False), ("darwin", False)]
)
def test_supported(platform, ok):
    assert supported(platform) is ok


def test_launch_command_prefers_the_script_beside_the_interpreter(tmp_path):
    python = tmp_path / "bin" / "python"
    python.parent.mkdir()
    python.write_text("")
    assert launch_command(str(python), frozen=False) == [
        str(python),
        "-m",
        "bookorbit_desktop",
        "gui",
        "--hidden",
    ]
    script = python.with_name("bookorbit-desktop")
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    assert launch_command(str(python), frozen=False) == [str(script), "gui", "--hidden"]
    assert launch_command("/opt/BookOrbit/bookorbit-desktop", frozen=True) == [
        "/opt/BookOrbit/bookorbit-desktop",
        "gui",
        "--hidden",
    ]


def test_the_entry_round_trips_its_command():
    command = ["/home/me/My Apps/bin/python", "-m", "bookorbit_desktop", "gui", "--hidden"]
    text = render_entry(command, template_file().read_text(encoding="utf-8"))
    assert command_of(text) == command
    assert "Icon=org.bookorbit.BookOrbitDesktop" in text
    assert text.endswith("X-GNOME-Autostart-enabled=true\n")


def test_enable_and_disable(tmp_path):
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    assert autostart_dir(environ) == tmp_path / "config" / "autostart"
    assert not is_enabled(environ)
    set_enabled(True, environ=environ, command=["/usr/bin/bookorbit-desktop", "gui", "--hidden"])
    entry = tmp_path / "config" / "autostart" / ENTRY_NAME
    assert is_enabled(environ)
    assert command_of(entry.read_text()) == ["/usr/bin/bookorbit-desktop", "gui", "--hidden"]
    set_enabled(False, environ=environ)
    assert not entry.exists() and not is_enabled(environ)
    set_enabled(False, environ=environ)  # already off: nothing to do, no error


def test_a_frozen_app_writes_the_entry_from_its_bundled_template(tmp_path, monkeypatch):
    bundled = tmp_path / "bundle" / "resources" / f"{ENTRY_NAME}.in"
    bundled.parent.mkdir(parents=True)
    bundled.write_text("[Desktop Entry]\nName=Bundled\nExec=@EXEC@\n", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    environ = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    set_enabled(True, environ=environ, command=["/opt/BookOrbit/bookorbit-desktop", "gui"])
    text = (tmp_path / "config" / "autostart" / ENTRY_NAME).read_text(encoding="utf-8")
    assert "Name=Bundled" in text
    assert command_of(text) == ["/opt/BookOrbit/bookorbit-desktop", "gui"]


def test_a_disabled_entry_left_by_the_desktop_counts_as_off(tmp_path):
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    set_enabled(True, environ=environ, command=["x"])
    entry = tmp_path / "autostart" / ENTRY_NAME
    entry.write_text(entry.read_text() + "Hidden=true\n")
    assert not is_enabled(environ)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_folder_is_explained(tmp_path):
    folder = tmp_path / "autostart"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(AutostartError, match="Could not write"):
            set_enabled(True, environ={"XDG_CONFIG_HOME": str(tmp_path)}, command=["x"])
    finally:
        folder.chmod(0o700)


def test_a_file_in_the_way_is_explained(tmp_path):
    (tmp_path / "autostart").write_text("not a folder")
    with pytest.raises(AutostartError, match="Could not write"):
        set_enabled(True, environ={"XDG_CONFIG_HOME": str(tmp_path)}, command=["x"])


def test_install_desktop_entry_puts_the_app_in_the_menu(tmp_path):
    import shutil
    import subprocess

    from bookorbit_desktop.services.autostart import install_desktop_entry

    environ = {"XDG_DATA_HOME": str(tmp_path / "share")}
    written = install_desktop_entry(environ=environ, command=["/opt/My Apps/bookorbit", "gui"])
    entry = tmp_path / "share" / "applications" / ENTRY_NAME
    assert written[0] == entry
    text = entry.read_text(encoding="utf-8")
    assert command_of(text) == ["/opt/My Apps/bookorbit", "gui"]  # opens the window
    assert "X-GNOME-Autostart" not in text and "Name=BookOrbit Desktop" in text
    icons = tmp_path / "share" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / "org.bookorbit.BookOrbitDesktop.svg").is_file() or (
        icons / "64x64" / "apps" / "org.bookorbit.BookOrbitDesktop.png"
    ).is_file()
    assert all(path.is_file() for path in written) and len(written) > 3
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True)
        assert result.returncode == 0, result.stdout


def test_install_desktop_entry_from_the_command_line(tmp_path):
    import subprocess

    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share"), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bookorbit_desktop", "--install-desktop-entry"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    entry = tmp_path / "share" / "applications" / ENTRY_NAME
    assert f"Added BookOrbit Desktop to the app menu: {entry}" in result.stdout
    command = command_of(entry.read_text(encoding="utf-8"))
    assert command[-1] == "gui" and "--hidden" not in command


def test_install_desktop_entry_explains_an_unwritable_folder(tmp_path):
    import subprocess

    blocked = tmp_path / "share"
    blocked.write_text("a file where the folder should be")
    env = {**os.environ, "XDG_DATA_HOME": str(blocked), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bookorbit_desktop", "--install-desktop-entry"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Menu entry not installed" in result.stderr and "writable" in result.stderr
    assert "Traceback" not in result.stderr
