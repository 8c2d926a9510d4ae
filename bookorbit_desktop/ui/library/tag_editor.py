"""The tags in the Edit dialog. For one book, a line of its tags to change as a whole; for
several books, a line of tags to add to all of them and one of tags to remove from all, with
which tags all of them and some of them carry. Each line completes the tag being typed from the
library's tags. What is typed is checked when the dialog saves (`services.library.edits`)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QFormLayout, QLabel, QLineEdit, QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.edits import EditForm
from bookorbit_desktop.services.library.tags import SEPARATOR, joined, key, parse_tags
from bookorbit_desktop.wording import all_of

HINT = "Separate tags with commas"


def completed(text: str, cursor: int, name: str) -> tuple[str, int]:
    """`text` with the tag being typed at `cursor` replaced by `name` and a separator after it,
    and where the cursor goes: just after that separator."""
    head, tail = text[:cursor], text[cursor:]
    start = head.rfind(SEPARATOR) + 1
    head = head[:start] + (" " if start else "") + name + SEPARATOR + " "
    rest = tail.split(SEPARATOR, 1)[1].lstrip() if SEPARATOR in tail else ""
    return head + rest, len(head)


def typed_tag(text: str, cursor: int) -> str:
    """The part of the tag being typed before the cursor."""
    return text[:cursor].rsplit(SEPARATOR, 1)[-1].lstrip()


def offered(known: Sequence[str], text: str, cursor: int) -> list[str]:
    """The `known` tags to offer while the one at `cursor` is typed: not those `text` has
    already (case aside)."""
    head, tail = text[:cursor], text[cursor:]
    before = head.rsplit(SEPARATOR, 1)[0] if SEPARATOR in head else ""
    after = tail.split(SEPARATOR, 1)[1] if SEPARATOR in tail else ""
    parts = (part.strip() for part in f"{before}{SEPARATOR}{after}".split(SEPARATOR))
    taken = {key(part) for part in parts if part}
    return [name for name in known if key(name) not in taken]


def complete_tags(line: QLineEdit, known: Sequence[str]) -> QCompleter:
    """Offer the `known` tags that start like the tag being typed in `line`, but those the
    line has already."""
    names = QStringListModel(list(known), line)
    completer = QCompleter(names, line)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setWidget(line)

    def typed(text: str) -> None:
        prefix = typed_tag(text, line.cursorPosition())
        names.setStringList(offered(known, text, line.cursorPosition()))
        completer.setCompletionPrefix(prefix)
        popup = completer.popup()
        if prefix and completer.completionCount():
            completer.complete()
        elif popup is not None:
            popup.hide()

    def chosen(name: str) -> None:
        text, cursor = completed(line.text(), line.cursorPosition(), name)
        line.setText(text)
        line.setCursorPosition(cursor)

    line.textEdited.connect(typed)
    completer.activated.connect(chosen)  # the overload that gives the text
    return completer


def _line(name: str, text: str, hint: str, known: Sequence[str]) -> QLineEdit:
    line = QLineEdit(text)
    line.setAccessibleName(name)
    line.setPlaceholderText(hint)
    complete_tags(line, known)
    return line


class TagEditor(QWidget):
    """The dialog's tag rows (`add_rows`) and what was typed into them (`changed`)."""

    def __init__(self, form: EditForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hide()  # its rows go into the dialog's form; it only holds them
        books = len(form.book_ids)
        self._held = [name for name, _count in form.tag_counts]
        self.tags_line: QLineEdit | None = None
        self.add_line: QLineEdit | None = None
        self.remove_line: QLineEdit | None = None
        self.carried: QLabel | None = None
        if books <= 1:
            self.tags_line = _line("Tags", joined(self._held), HINT, form.known_tags)
            return
        self.add_line = _line("Add tags", "", f"Given to {all_of(books)}", form.known_tags)
        held = [name for name, _count in form.tag_counts]
        self.remove_line = _line("Remove tags", "", "Taken from every book that has them", held)
        every = [name for name, count in form.tag_counts if count == books]
        some = [name for name, count in form.tag_counts if count < books]
        lines = []
        if every:
            lines.append(f"All {books} have: {joined(every)}")
        if some:
            lines.append(f"Some have: {joined(some)}")
        self.carried = QLabel("\n".join(lines) or "None of them has a tag yet.")
        self.carried.setWordWrap(True)
        self.carried.setAccessibleName("Tags of these books")

    def add_rows(self, fields: QFormLayout) -> None:
        if self.tags_line is not None:
            fields.addRow("Ta&gs:", self.tags_line)
            return
        assert self.add_line and self.remove_line and self.carried
        fields.addRow("Add ta&gs:", self.add_line)
        fields.addRow("Remo&ve tags:", self.remove_line)
        fields.addRow("", self.carried)

    def changed(self) -> dict[str, str]:
        """The tag fields as typed, those that change something ("tags" for one book, else
        "add_tags" and "remove_tags"); a line that does not read as tags is given as typed, so
        that the save says why."""
        if self.tags_line is not None:
            text = self.tags_line.text()
            try:
                same = {key(n) for n in parse_tags(text)} == {key(n) for n in self._held}
            except BookOrbitError:
                same = False
            return {} if same else {"tags": text}
        assert self.add_line is not None and self.remove_line is not None
        typed = {"add_tags": self.add_line.text(), "remove_tags": self.remove_line.text()}
        return {name: text for name, text in typed.items() if text.strip()}
