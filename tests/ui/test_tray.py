"""The tray icon's state rules and its menu actions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from bookorbit_desktop.ui.icons import TrayState, tray_icon
from bookorbit_desktop.ui.status import (
    AppStatus,
    StatusHub,
    can_sync_now,
    new_attention,
    new_pick_notice,
    new_review_notice,
    server_summary,
    sync_summary,
    sync_unavailable_reason,
    tooltip,
    tray_state,
    when_text,
)
from bookorbit_desktop.ui.tray import Tray

RUNNING = AppStatus(
    server_running=True,
    server_starting=False,
    base_urls=("http://192.168.1.20:8765", "http://10.0.0.5:8765"),
    sync_available=True,
    pending=2,
)


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (AppStatus(), TrayState.OFFLINE),
        (RUNNING, TrayState.IDLE),
        (AppStatus(server_running=True, syncing=True, sync_available=True), TrayState.SYNCING),
        (AppStatus(server_running=True, sync_paused=True, sync_available=True), TrayState.PAUSED),
        # A pause means nothing without an account to sync to.
        (AppStatus(server_running=True, sync_paused=True), TrayState.IDLE),
        (AppStatus(server_problem="Port 8765 is in use"), TrayState.ERROR),
        (
            AppStatus(server_running=True, syncing=True, sync_problem="Token expired"),
            TrayState.ERROR,
        ),
    ],
)
def test_tray_state(status, state):
    assert tray_state(status) == state


@pytest.mark.parametrize(
    ("status", "server", "sync"),
    [
        (AppStatus(), "Starting the KOReader sync server…", "Hardcover: not connected"),
        # Reading progress is not sent to Hardcover yet, so nothing claims to be "up to date".
        (RUNNING, "KOReader sync server: http://192.168.1.20:8765/kosync", "Hardcover: connected"),
        (
            AppStatus(
                server_problem="Port in use",
                server_starting=False,
                sync_available=True,
                sync_paused=True,
            ),
            "Server stopped: Port in use",
            "Hardcover: sync paused",
        ),
        (
            AppStatus(server_starting=False, sync_available=True, syncing=True),
            "KOReader sync server stopped",
            "Hardcover: syncing…",
        ),
    ],
)
def test_summaries(status, server, sync):
    assert server_summary(status) == server
    assert sync_summary(status) == sync
    assert tooltip(status).splitlines()[1:3] == [server, sync]


NOW = 1_800_000_000.0


@pytest.mark.parametrize(
    ("status", "lines"),
    [
        (AppStatus(), ["Starting the KOReader sync server…", "Hardcover: not connected"]),
        (
            replace(RUNNING, sync_available=True, last_sync=NOW - 300, pending=3),
            [
                "KOReader sync server: http://192.168.1.20:8765/kosync",
                "Hardcover: connected",
                "Last sync 5 minutes ago · 3 books to send",
            ],
        ),
        (
            replace(RUNNING, syncing=True, sync_done=4, sync_total=40, pending=0),
            [
                "KOReader sync server: http://192.168.1.20:8765/kosync",
                "Hardcover: syncing, 4 of 40 books done",
                "Never synced",
            ],
        ),
        (
            replace(RUNNING, sync_available=True, last_sync=NOW - 10, pending=1),
            [
                "KOReader sync server: http://192.168.1.20:8765/kosync",
                "Hardcover: connected",
                "Last sync just now · 1 book to send",
            ],
        ),
        (
            replace(RUNNING, last_sync=NOW - 10, pending=0, to_match=1),
            [
                "KOReader sync server: http://192.168.1.20:8765/kosync",
                "Hardcover: connected",
                "Last sync just now · 1 book to look up",
            ],
        ),
        (
            replace(RUNNING, last_sync=NOW - 7200, pending=2, to_match=1204),
            [
                "KOReader sync server: http://192.168.1.20:8765/kosync",
                "Hardcover: connected",
                "Last sync 2 hours ago · 2 books to send · 1,204 books to look up",
            ],
        ),
        (
            replace(RUNNING, last_sync=NOW - 10, pending=3, awaiting_review=23, held=3),
            [
                "KOReader sync server: http://192.168.1.20:8765/kosync",
                "Hardcover: connected",
                "Last sync just now · 3 books to send · 23 new books wait for your review"
                " · 3 books held after Cancel",
            ],
        ),
    ],
)
def test_tooltip_says_progress_last_sync_and_what_waits(status, lines):
    assert tooltip(status, now=NOW).splitlines()[1:] == lines


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (0, "just now"),
        (59, "just now"),
        (60, "1 minute ago"),
        (7200, "2 hours ago"),
        (86400, "1 day ago"),
        (3 * 86400 + 5, "3 days ago"),
    ],
)
def test_when_text(ago, text):
    assert when_text(NOW - ago, NOW) == text


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (AppStatus(), "Connect your Hardcover account first (Hardcover page)"),
        (
            AppStatus(sync_available=True, sync_problem="Hardcover token expired or revoked"),
            "Hardcover refused the saved token: connect again on the Hardcover page",
        ),
        (AppStatus(sync_available=True, sync_paused=True), "Hardcover sync is paused"),
        (AppStatus(sync_available=True, syncing=True), "A sync is running"),
        # Nothing to send is no reason: a pass gets the changes made on hardcover.app first.
        (AppStatus(sync_available=True), None),
        (AppStatus(sync_available=True, pending=3), None),
        (AppStatus(sync_available=True, to_match=1), None),  # matching comes first
        (
            AppStatus(sync_available=True, pending=2, sync_problem="Some books failed"),
            None,  # a retry is what the user wants
        ),
        (AppStatus(sync_available=True, sync_problem="Some books did not reach Hardcover"), None),
        (AppStatus(sync_available=True, pending=5, syncing=True), "A sync is running"),
        (AppStatus(sync_available=True, pending=5, sync_paused=True), "Hardcover sync is paused"),
    ],
)
def test_why_sync_now_is_unavailable(status, reason):
    assert sync_unavailable_reason(status) == reason


@pytest.fixture
def hub(qapp):
    return StatusHub()


@pytest.fixture
def tray(hub, qtbot):
    tray = Tray(hub)
    yield tray
    tray.hide()


def test_every_state_has_an_icon(qapp):
    for state in TrayState:
        icon = tray_icon(state)
        assert not icon.isNull()
        assert {16, 22, 32} <= {size.width() for size in icon.availableSizes()}


def test_menu_lists_addresses_and_clicking_one_copies_it(hub, tray, qtbot):
    hub.update(**RUNNING.__dict__)
    tray.rebuild_menu()
    texts = [action.text() for action in tray.menu.actions() if not action.isSeparator()]
    assert texts == [
        "Open BookOrbit Desktop",
        "KOReader sync — click to copy:",
        "http://192.168.1.20:8765/kosync",
        "http://10.0.0.5:8765/kosync",
        "OPDS catalog — click to copy:",
        "http://192.168.1.20:8765/opds",
        "http://10.0.0.5:8765/opds",
        "Sync Now",
        "Pause Sync",
        "Settings…",
        "Quit BookOrbit Desktop",
    ]
    with qtbot.waitSignal(tray.url_copied) as copied:
        tray.action("copy-kosync-1").trigger()
    assert copied.args == ["http://10.0.0.5:8765/kosync"]
    assert QApplication.clipboard().text() == "http://10.0.0.5:8765/kosync"


def test_menu_without_opds_or_server(hub, tray):
    hub.update(**{**RUNNING.__dict__, "opds_enabled": False})
    tray.rebuild_menu()
    names = [action.objectName() for action in tray.menu.actions()]
    assert "opds-state" not in names
    hub.update(server_running=False, server_problem="Port 8765 is already in use")
    tray.rebuild_menu()
    state = tray.action("server-state")
    assert state.text() == "Server not running: Port 8765 is already in use"
    assert not state.isEnabled()
    assert tray.icon.toolTip().splitlines()[1] == "Server stopped: Port 8765 is already in use"


@pytest.mark.parametrize(
    ("name", "signal", "args"),
    [
        ("open", "open_requested", []),
        ("sync", "sync_requested", []),
        ("pause", "pause_requested", [True]),
        ("settings", "settings_requested", []),
        ("quit", "quit_requested", []),
    ],
)
def test_menu_actions_emit_their_signal(hub, tray, qtbot, name, signal, args):
    hub.update(**RUNNING.__dict__)
    tray.rebuild_menu()
    with qtbot.waitSignal(getattr(tray, signal)) as emitted:
        tray.action(name).trigger()
    assert emitted.args == args


def test_pause_becomes_resume_and_sync_needs_an_account(hub, tray, qtbot):
    hub.update(**{**RUNNING.__dict__, "sync_paused": True})
    tray.rebuild_menu()
    assert tray.action("pause").text() == "Resume Sync"
    with qtbot.waitSignal(tray.pause_requested) as emitted:
        tray.action("pause").trigger()
    assert emitted.args == [False]
    hub.update(sync_available=False)
    tray.rebuild_menu()
    assert not tray.action("sync").isEnabled()
    assert not tray.action("pause").isEnabled()


@pytest.mark.parametrize(
    ("reason", "opens"),
    [
        (QSystemTrayIcon.ActivationReason.DoubleClick, True),
        (QSystemTrayIcon.ActivationReason.Trigger, True),
        (QSystemTrayIcon.ActivationReason.Context, False),
    ],
)
def test_activating_the_icon_opens_the_window(tray, qtbot, reason, opens):
    with qtbot.waitSignal(tray.open_requested, timeout=200, raising=False) as blocker:
        tray.icon.activated.emit(reason)
    assert blocker.signal_triggered == opens


def test_icon_follows_the_status(hub, tray):
    hub.update(server_problem="boom")
    assert tray.icon.icon().cacheKey() == tray_icon(TrayState.ERROR).cacheKey()
    hub.update(**RUNNING.__dict__)
    assert tray.icon.icon().cacheKey() == tray_icon(TrayState.IDLE).cacheKey()


@pytest.mark.parametrize(
    ("problem", "summary"),
    [
        ("Cannot reach Hardcover", "Hardcover: Cannot reach Hardcover"),
        # Titles that already name Hardcover are not prefixed a second time.
        ("Hardcover token expired or revoked", "Hardcover token expired or revoked"),
        ("Hardcover rate limit reached", "Hardcover rate limit reached"),
    ],
)
def test_sync_problem_summary_names_hardcover_once(problem, summary):
    assert sync_summary(AppStatus(sync_available=True, sync_problem=problem)) == summary


@pytest.mark.parametrize(
    ("status", "available"),
    [
        (RUNNING, True),
        (AppStatus(sync_available=False), False),
        (AppStatus(sync_available=True, syncing=True), False),
        # Paused means BookOrbit does not talk to Hardcover; Resume is right beside it.
        (AppStatus(sync_available=True, sync_paused=True), False),
        (AppStatus(sync_available=True), True),  # nothing to send: it still pulls
        (AppStatus(sync_available=True, pending=1), True),
    ],
)
def test_can_sync_now(status, available):
    assert can_sync_now(status) is available


def test_sync_now_is_off_while_paused_in_the_tray(hub, tray):
    hub.update(**{**RUNNING.__dict__, "sync_paused": True})
    tray.rebuild_menu()
    assert not tray.action("sync").isEnabled()


def test_sync_now_is_on_in_the_tray_while_nothing_waits_and_says_what_it_does(hub, tray):
    hub.update(**{**RUNNING.__dict__, "pending": 0, "to_match": 0})
    tray.rebuild_menu()
    assert tray.action("sync").isEnabled()  # changes made on hardcover.app may wait
    assert (
        tray.action("sync").toolTip() == "Get your changes from Hardcover, then send the library's"
    )
    assert "sync-state" not in [a.objectName() for a in tray.menu.actions()]
    hub.update(syncing=True)
    tray.rebuild_menu()
    assert tray.action("sync").text() == "Show Sync Progress…"


@pytest.mark.parametrize(
    ("previous", "problem", "message"),
    [
        (None, None, None),
        (
            None,
            "Hardcover token expired or revoked",
            "Hardcover no longer accepts the saved token. Connect again on the Hardcover page.",
        ),
        ("Hardcover token expired or revoked", "Hardcover token expired or revoked", None),
        (
            "Hardcover token expired or revoked",
            "Some books did not reach Hardcover",
            "Some books did not reach Hardcover. The Hardcover page says which books and why.",
        ),
        ("Some books did not reach Hardcover", None, None),
    ],
)
def test_a_new_problem_is_announced_once(previous, problem, message):
    status = AppStatus(sync_available=True, sync_problem=problem)
    assert new_attention(previous, status) == message


@pytest.mark.parametrize(
    ("previous", "waiting", "message"),
    [
        (0, 0, None),
        (
            0,
            23,
            "23 books are ready to go to Hardcover: review them with Sync Now on the Hardcover "
            "page. Nothing new is published before you do.",
        ),
        (23, 23, None),  # said once, not on every pass
        (23, 20, None),
        (
            20,
            1204,
            "1,204 books are ready to go to Hardcover: review them with Sync Now on the "
            "Hardcover page. Nothing new is published before you do.",
        ),
    ],
)
def test_books_waiting_for_review_are_announced_once(previous, waiting, message):
    status = AppStatus(sync_available=True, awaiting_review=waiting)
    assert new_review_notice(previous, status) == message


@pytest.mark.parametrize(
    ("previous", "waiting", "said"), [(0, 0, False), (0, 2, True), (2, 2, False), (2, 1, False)]
)
def test_books_waiting_for_a_pick_are_announced_once(previous, waiting, said):
    notice = new_pick_notice(previous, AppStatus(sync_available=True, to_pick=waiting))
    assert (notice is not None) == said
    if said:
        assert notice.startswith("Hardcover has several possible books for 2 of your books:")


LOOPBACK = AppStatus(
    server_running=True,
    server_starting=False,
    base_urls=("http://127.0.0.1:8765",),
    server_notice="Listening on this computer only until a KOReader account exists.",
)


@pytest.mark.parametrize(
    ("welcome", "where"), [(False, "in Settings"), (True, "on the Welcome page")]
)
def test_on_loopback_the_menu_says_why_instead_of_offering_127_0_0_1(hub, tray, welcome, where):
    hub.update(**{**LOOPBACK.__dict__, "welcome_open": welcome})
    tray.rebuild_menu()
    texts = [action.text() for action in tray.menu.actions() if not action.isSeparator()]
    assert not any("127.0.0.1" in text or "click to copy" in text for text in texts)
    assert tray.action("server-state").text() == "KOReader sync: this computer only for now"
    hint = tray.action("server-hint")
    assert hint.text() == f"Create the KOReader account {where} to open it to your network"
    assert not hint.isEnabled()


def test_the_status_line_sends_the_user_to_the_form_on_screen():
    assert "in Settings (Ctrl+,)" in server_summary(LOOPBACK)
    welcome = server_summary(replace(LOOPBACK, welcome_open=True))
    assert "on the Welcome page (step 2)" in welcome and "Settings" not in welcome
