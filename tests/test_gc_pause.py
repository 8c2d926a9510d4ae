"""The cycle collector pauses while rows are built and runs again once every build is done."""

from __future__ import annotations

import gc
import threading

from bookorbit_desktop.gc_pause import freeze_long_lived, paused_collection


def test_nested_and_concurrent_pauses_end_with_the_last_one():
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def other_build() -> None:
        with paused_collection():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=other_build)
    with paused_collection():
        assert not gc.isenabled()
        worker.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the other thread's build is still under way
    release.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with paused_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_runs_again_after_an_error():
    try:
        with paused_collection():
            raise ValueError("a failed read")
    except ValueError:
        pass
    assert gc.isenabled()


def test_objects_alive_at_the_freeze_leave_the_collectors_scans_and_later_ones_do_not():
    held = [[] for _ in range(100)]
    try:
        freeze_long_lived()
        later = [[]]
        tracked = gc.get_objects()
        assert gc.get_freeze_count() >= len(held)
        assert not any(item is held or item is held[0] for item in tracked)
        assert any(item is later for item in tracked)  # garbage made later is still collected
    finally:
        gc.unfreeze()
