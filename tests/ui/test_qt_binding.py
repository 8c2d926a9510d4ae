"""The Qt binding itself must not corrupt Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to `None` on every call of a method that
returns nothing (`QLabel.setText`, `QTreeWidgetItem.setData`, ...). `None` is not immortal
before Python 3.12, so after some thousands of such calls (a few refreshes of a large library)
the app aborts with "Fatal Python error: none_dealloc". pyproject.toml excludes that release;
this test catches any release with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_calls_returning_nothing_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("BookOrbit")
    assert before - sys.getrefcount(None) < 100  # unrelated code may drop a few; not 1,000
