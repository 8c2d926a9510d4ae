"""No two of the window's actions answer the same key: Qt fires neither of them then ("Ambiguous
shortcut overload"), so both would look broken."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtGui import QAction, QKeySequence

from tests.ui.assembled import local_desktop


def test_every_shortcut_belongs_to_one_action(library, qtbot, qloop):
    desktop = local_desktop(library, devices=True, shown=True)
    try:
        owners: dict[str, set[str]] = defaultdict(set)
        for action in desktop.window.findChildren(QAction):
            for key in action.shortcuts():
                text = key.toString(QKeySequence.SequenceFormat.PortableText)
                if text:
                    owners[text].add(action.text().replace("&", ""))
        assert owners["Ctrl+Shift+M"] and owners["Ctrl+Shift+D"]  # Fetch Metadata, Send
        assert {key: names for key, names in owners.items() if len(names) > 1} == {}
    finally:
        qloop.run_until_complete(desktop.shutdown())
