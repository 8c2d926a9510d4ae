"""The test loop runs a task's steps as the app's loop does, also between two runs."""

from __future__ import annotations

import asyncio


def test_a_task_stepped_between_two_runs_finds_its_running_loop(qapp, qloop):
    async def off_the_thread() -> int:
        return await asyncio.to_thread(int, "7")

    task = qloop.create_task(off_the_thread())
    qapp.processEvents()  # what qasync does after each run, and what a qtbot wait does
    assert qloop.run_until_complete(task) == 7
