"""Widget tests run offscreen against a real library database; any Qt warning fails a test.

Coroutine-driven flows (dialogs opened with `open()` and awaited) run on a real qasync loop,
the same loop class the app uses, through the `qloop` fixture.
"""

from __future__ import annotations

import asyncio
import functools
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync

from bookorbit_desktop.ui.text import install_translations

_HERE = Path(__file__).resolve().parent


# Warnings that come from the headless test platform itself, not from our code.
_PLATFORM_NOISE = (
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    # Showing a tray icon where the platform has no tray (only the tray test does that).
    r"No such signal QPlatformNativeInterface::systemTrayWindowChanged",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A Qt warning is a bug here (a broken signal connection, a bad model index...).
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*_PLATFORM_NOISE))


@pytest.fixture(autouse=True)
def window_texts(qapp) -> None:
    """The app's English texts (singular and plural forms), as `run_gui` loads them."""
    assert install_translations(qapp)


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> Iterator[None]:
    """As in the app (ui/gc_guard.py): no garbage collection on worker or server threads,
    where freeing a Qt object left over from an earlier test is an error."""
    gc.collect()
    gc.freeze()  # what survived is long-lived: later collections need not scan it again
    gc.disable()
    yield
    gc.enable()
    gc.collect()


@pytest.fixture(autouse=True)
def test_keyring(tmp_path, monkeypatch) -> None:
    """The Hardcover token goes to a file in the test's folder, never the real keyring.
    keyring picks its process-wide backend once, at its first use: it is picked again here
    from these variables, so it does not depend on which test came first in this process
    (with tests spread over processes, another order picked the tests' locked keyring)."""
    import keyring.core

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.fakes.file_keyring.FileKeyring")
    monkeypatch.setenv("BOOKORBIT_TEST_KEYRING_FILE", str(tmp_path / "keyring.json"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)


class _AppLoop(qasync.QEventLoop):
    """The app's loop, whose callbacks always run with it as asyncio's running loop.

    Qt runs the loop's callbacks whenever events are processed. In the app that is always
    inside `run_forever`. A test also processes events between two `run_until_complete` calls
    (qasync processes them once more after each), where a task stepped would find no running
    loop (`asyncio.to_thread` raises). Here such a callback runs as it would in the app.
    """

    def call_later(self, delay, callback, *args, context=None):
        return super().call_later(
            delay, functools.partial(_as_running, self, callback), *args, context=context
        )


def _as_running(loop: asyncio.AbstractEventLoop, callback, *args):
    if asyncio.events._get_running_loop() is not None:
        return callback(*args)
    asyncio.events._set_running_loop(loop)
    try:
        return callback(*args)
    finally:
        asyncio.events._set_running_loop(None)


@pytest.fixture
def qloop(qapp) -> Iterator[qasync.QEventLoop]:
    """A qasync loop on the test's QApplication; drive it with `run_until_complete`."""
    loop = _AppLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    close_loop(loop)
    asyncio.set_event_loop(None)


def close_loop(loop: asyncio.AbstractEventLoop) -> None:
    """A test's loop closed after its tasks still pending are cancelled and have ended."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()
