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
