"""The message that refuses a second owner of a library: who owns it and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookorbit_desktop.library.store.owner import Owner, refusal

DATA = Path("/home/ann/.local/share/bookorbit-desktop")


@pytest.mark.parametrize(
    ("owner", "command", "stop", "again"),
    [
        ("window", "serve", "Quit it (tray menu > Quit)", "then run `serve` again."),
        ("window", "restore", "Quit it (tray menu > Quit)", "then run `restore` again."),
        ("serve", "restore", "Stop it (Ctrl-C in its terminal", "then run `restore` again."),
        ("serve", "window", "Stop it (Ctrl-C in its terminal", "then start BookOrbit again."),
        ("restore", "window", "Let it finish", "then start BookOrbit again."),
    ],
)
def test_the_refusal_names_the_owner_and_how_to_go_on(owner, command, stop, again):
    text = refusal(Owner(4242, owner), command, DATA)
    assert text.startswith(f"The library in {DATA} is in use by `{owner}` (pid 4242): ")
    assert f" {stop}" in text
    assert text.endswith(again)
    assert "`window`" not in text.removeprefix(f"The library in {DATA} is in use by `window`")
