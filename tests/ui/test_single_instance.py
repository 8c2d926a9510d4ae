"""One app per library: a second launch (a real second process) brings the first forward."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from bookorbit_desktop.ui.single_instance import SingleInstance, server_name

SECOND_LAUNCH = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from bookorbit_desktop.ui.single_instance import SingleInstance

    app = QCoreApplication([])
    second = SingleInstance(Path(sys.argv[1]))
    if second.acquire():
        print("acquired")
    else:
        print("activated" if second.activate_running() else "no answer")
    """
)


def launch_second(data_dir):
    return subprocess.Popen(
        [sys.executable, "-c", SECOND_LAUNCH, str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_names_differ_per_library(tmp_path):
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert server_name(tmp_path / "a") == server_name(tmp_path / "a")


def test_second_launch_asks_the_first_to_show_its_window(qtbot, tmp_path):
    first = SingleInstance(tmp_path)
    assert first.acquire()
    try:
        with qtbot.waitSignal(first.activated, timeout=15000):
            second = launch_second(tmp_path)
        output, _ = second.communicate(timeout=15)
        assert output.strip() == "activated"
    finally:
        first.release()


def test_after_release_the_next_launch_runs(qtbot, tmp_path):
    first = SingleInstance(tmp_path)
    assert first.acquire()
    first.release()
    second = launch_second(tmp_path)
    output, _ = second.communicate(timeout=15)
    assert output.strip() == "acquired"


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path;"
            "from PySide6.QtCore import QCoreApplication;"
            "from bookorbit_desktop.ui.single_instance import SingleInstance;"
            "app = QCoreApplication([]); s = SingleInstance(Path(sys.argv[1]));"
            "print(s.acquire(), flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "True"
    holder.kill()
    holder.wait()
    again = SingleInstance(tmp_path)
    try:
        assert again.acquire()
    finally:
        again.release()
