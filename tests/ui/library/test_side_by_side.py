"""The side-by-side view of two copies, offscreen on a real library: a long description is
shortened on its button and whole in its tooltip, as rich text so that the tooltip wraps."""

from __future__ import annotations

from PySide6.QtGui import Qt

from bookorbit_desktop.services.library.merge import MergeService
from bookorbit_desktop.ui.library.side_by_side import SideBySideView
from tests.services.test_merge_side_by_side import THEIRS, describe_both


def test_a_long_description_is_whole_in_its_tooltip(qtbot, library, tmp_path):
    epub, pdf = describe_both(library, tmp_path)
    view = SideBySideView()
    qtbot.addWidget(view)
    view.show_pair(MergeService(library).side_by_side(epub, pdf))
    _, theirs = view.radios["description"]
    assert theirs.text() == THEIRS[:51] + "…"
    assert theirs.toolTip() == f"<p>{THEIRS}</p>"
    assert Qt.mightBeRichText(theirs.toolTip())
    assert theirs.isChecked()
