"""The app's main task is run to its end on the app's own loop class (qasync's, not the tests'
`qloop`), also when Qt ends the loop on every turn as its X11 plugin does once the X server
has died."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QTimer

from bookorbit_desktop.ui.run_loop import run_to_the_end
from tests.ui.conftest import close_loop

SHUTDOWN_STEPS = 20


@pytest.fixture
def app_loop(qapp) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    yield loop
    close_loop(loop)


@pytest.fixture
def display_gone() -> Iterator[QTimer]:
    """Started, it ends the Qt loop on every turn, as the X11 plugin does on a broken
    connection."""
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: QCoreApplication.exit(1))
    yield timer
    timer.stop()


def app_like(display_gone: QTimer, quit: asyncio.Event, shutdown) -> object:
    """A main task as the app's: it waits for Quit, then shuts down in several steps."""

    async def main() -> int:
        try:
            display_gone.start()
            await quit.wait()
            return 0
        finally:
            await shutdown()

    return main()


def test_qt_ending_every_turn_still_lets_the_shutdown_run_to_its_end(
    app_loop, display_gone, caplog
):
    quit = asyncio.Event()
    steps: list[int] = []

    async def shutdown() -> None:  # work off the thread, as the server's and database's stop
        for _ in range(SHUTDOWN_STEPS):
            steps.append(await asyncio.to_thread(len, "ab"))
            await asyncio.sleep(0)

    code = run_to_the_end(
        app_loop, app_like(display_gone, quit, shutdown), quit.set, stop_seconds=60
    )
    assert code == 0
    assert steps == [2] * SHUTDOWN_STEPS
    assert "The display went away (or the session is ending): shutting down" in caplog.text


def test_an_error_in_the_shutdown_is_raised_not_reported_as_a_clean_exit(app_loop, display_gone):
    quit = asyncio.Event()

    async def shutdown() -> None:
        await asyncio.sleep(0)
        raise RuntimeError("the server did not stop")  # as asyncio's own errors are

    with pytest.raises(RuntimeError, match="the server did not stop"):
        run_to_the_end(app_loop, app_like(display_gone, quit, shutdown), quit.set, stop_seconds=60)


def test_a_shutdown_past_its_time_ends_with_exit_code_1(app_loop, display_gone, caplog):
    quit = asyncio.Event()
    ticks = itertools.count()

    async def shutdown() -> None:
        await asyncio.Event().wait()  # never ends by itself

    code = run_to_the_end(
        app_loop,
        app_like(display_gone, quit, shutdown),
        quit.set,
        stop_seconds=5,
        clock=lambda: float(next(ticks)),
    )
    assert code == 1
    assert "Could not shut down in order within 5 s" in caplog.text


def test_the_task_ending_leaves_no_stop_for_the_next_run_of_the_loop(app_loop, display_gone):
    quit = asyncio.Event()

    async def shutdown() -> None:
        await asyncio.sleep(0)

    assert (
        run_to_the_end(app_loop, app_like(display_gone, quit, shutdown), quit.set, stop_seconds=60)
        == 0
    )
    display_gone.stop()

    async def later() -> int:  # what asyncio.Runner runs once the app's task is done
        for _ in range(10):
            await asyncio.sleep(0)
        return 7

    assert app_loop.run_until_complete(later()) == 7


def test_a_main_task_that_ends_by_itself_gives_its_exit_code(app_loop, caplog):
    async def main() -> int:
        await asyncio.to_thread(len, "abc")
        return 2

    assert run_to_the_end(app_loop, main(), lambda: None, stop_seconds=60) == 2
    assert "display went away" not in caplog.text
