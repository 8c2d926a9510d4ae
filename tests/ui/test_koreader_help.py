"""Help ▸ KOReader Setup: the steps name the addresses themselves, never "above" or "below"."""

from __future__ import annotations

import pytest

from bookorbit_desktop.ui.koreader_help import SETTINGS_STEPS, help_text
from bookorbit_desktop.ui.status import AppStatus

RUNNING = AppStatus(
    server_running=True, server_starting=False, base_urls=("http://192.168.1.20:8765",)
)


def test_help_gives_both_addresses_and_points_nowhere():
    text = help_text(RUNNING)
    assert "Sync server address: <b>http://192.168.1.20:8765/kosync</b>" in text
    assert "OPDS catalog address: <b>http://192.168.1.20:8765/opds</b>" in text
    assert "type <b>http://192.168.1.20:8765/kosync</b>" in text
    assert "type <b>http://192.168.1.20:8765/opds</b>" in text
    assert "above" not in text and "below" not in text
    assert "Settings ▸ KOReader" in text


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_help_says_an_e_reader_cannot_reach_this_computer_only(host):
    text = help_text(AppStatus(**{**RUNNING.__dict__, "base_urls": (f"http://{host}:8765",)}))
    assert text.startswith("<b>An e-reader cannot reach these addresses:</b>")
    assert "Listen on" in text
    assert f"type <b>http://{host}:8765/kosync</b>" in text  # KOReader on this computer can
    assert "cannot reach" not in help_text(RUNNING)


def test_help_without_opds_says_it_is_off():
    text = help_text(AppStatus(**{**RUNNING.__dict__, "opds_enabled": False}))
    assert "The OPDS catalog is turned off" in text
    assert "/opds" not in text


@pytest.mark.parametrize(
    ("welcome", "where"), [(False, "in Settings"), (True, "on the Welcome page")]
)
def test_help_on_loopback_explains_instead_of_giving_127_0_0_1(welcome, where):
    status = AppStatus(
        server_running=True,
        server_starting=False,
        base_urls=("http://127.0.0.1:8765",),
        server_notice="this computer only",
        welcome_open=welcome,
    )
    text = help_text(status)
    assert "127.0.0.1" not in text
    assert f"create it {where}" in text


def test_help_with_the_server_stopped_says_why():
    text = help_text(AppStatus(server_starting=False, server_problem="Port 8765 is in use"))
    assert "Port 8765 is in use" in text


def test_settings_steps_point_to_the_fields_around_them():
    assert "the address above" in SETTINGS_STEPS
    assert "the user name and password below" in SETTINGS_STEPS
