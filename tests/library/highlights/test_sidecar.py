"""Sidecar files to highlights: both layouts, matching by digest and by title, proposals."""

from __future__ import annotations

import datetime as dt

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.highlights import proposals, store
from bookorbit_desktop.library.highlights.folder import find_sidecars, import_folder
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.highlights.sidecar import SidecarError, read_sidecar
from bookorbit_desktop.library.highlights.store import Recorded
from bookorbit_desktop.library.store.models import ReadingState
from tests.factories import add_book, make_epub
from tests.library.highlights.sidecars import current_table, legacy_table, write_sidecar

UTC = dt.UTC


def _at(text: str) -> int:
    return int(dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp())


def test_the_current_layout_skips_page_bookmarks_and_prefers_page_labels():
    sidecar = read_sidecar(current_table("abc"), tz=UTC)
    assert sidecar.entries == [
        Entry(_at("2024-03-01 20:15:00"), "Fear is the mind-killer.", "", "Book One", "12"),
        Entry(
            _at("2024-03-02 08:00:05"),
            "The spice must flow.",
            "Not in the book, actually.",
            "Book Two",
            "xii",
            _at("2024-03-03 09:00:00"),
        ),
    ]
    assert (sidecar.status, sidecar.rating, sidecar.note) == ("read", 5, "Loved it")
    assert (sidecar.digest, sidecar.title, sidecar.authors) == ("abc", "Dune", "Frank Herbert")


def test_the_legacy_layout_takes_notes_from_bookmarks_but_not_their_automatic_text():
    sidecar = read_sidecar(legacy_table("def"), tz=UTC)
    assert sidecar.entries == [
        Entry(_at("2021-05-05 09:00:00"), "Handsome, clever, and rich", "", None, "3"),
        Entry(
            _at("2021-05-06 10:00:00"),
            "Badly done, Emma!",
            "Knightley at Box Hill",
            "Volume III",
            "7",
        ),
    ]
    assert sidecar.skipped == 1
    assert sidecar.status is None


@pytest.mark.parametrize(
    "summary",
    [{"status": "reading"}, {"status": "abandoned", "rating": True}, "complete", None],
)
def test_odd_summaries_propose_only_what_they_say(summary):
    sidecar = read_sidecar(current_table(None, summary=summary), tz=UTC)
    expected = "on_hold" if isinstance(summary, dict) and summary["status"] == "abandoned" else None
    assert (sidecar.status, sidecar.rating) == (expected, None)


def test_a_table_that_is_no_sidecar_is_refused():
    with pytest.raises(SidecarError):
        read_sidecar(["not", "a", "settings", "table"])


def test_import_matches_by_digest_then_title_and_lets_the_rest_wait(library, tmp_path):
    device = tmp_path / "device"
    dune_file = make_epub(tmp_path / "lib" / "dune.epub", "Dune", ["Frank Herbert"])
    dune = add_book("Dune", ["Frank Herbert"], file=dune_file, status="reading")
    emma = add_book("Emma", ["Jane Austen"])
    digest = dune.files[0].partial_md5
    write_sidecar(device / "Books" / "renamed dune.epub", current_table(digest, title="Whatever"))
    write_sidecar(device / "Books" / "emma.epub", legacy_table("0" * 32))
    write_sidecar(device / "Books" / "unknown.epub", current_table(None, title="Unknown Book"))
    broken = device / "Books" / "broken.sdr" / "metadata.pdf.lua"
    broken.parent.mkdir(parents=True)
    broken.write_text("return { os.exit() }")
    (device / "Books" / "emma.sdr" / "metadata.epub.lua.old").write_text("return {}")
    assert [p.name for p in find_sidecars(device)] == ["metadata.pdf.lua"] + [
        "metadata.epub.lua"
    ] * 3

    outcomes = import_folder(device, clock=lambda: 100.0, tz=UTC)
    by_title = {o.title: o for o in outcomes}
    assert by_title["Whatever"].book_id == dune.id
    assert by_title["Emma"].book_id == emma.id
    assert by_title["Unknown Book"].book_id is None
    assert "line 1" in (by_title[""].error or "")
    assert [h.entry.text for h in store.for_book(emma.id)] == [
        "Handsome, clever, and rich",
        "Badly done, Emma!",
    ]
    assert [(w.title, w.highlights) for w in store.waiting()] == [("Unknown Book", 2)]
    assert ReadingState.get_by_id(dune.id).status == "reading"
    assert [(p.book_id, p.status, p.rating) for p in proposals.waiting()] == [(dune.id, "read", 5)]

    again = import_folder(device, clock=lambda: 200.0, tz=UTC)
    assert all(o.recorded in (None, Recorded(0, 0, 2, 0)) for o in again)
    assert len(proposals.waiting()) == 1


def test_the_same_highlight_arrives_from_both_channels_once(library, tmp_path):
    """The sidecar read in another time zone lands on the highlight the export sent."""
    dune = add_book("Dune", ["Frank Herbert"])
    sent = Entry(_at("2024-03-01 20:15:00") - 3600, "Fear is the mind-killer.", "")
    store.record(store.Target(dune.id), [sent], source="xmnote", origin="x", now=1.0)
    write_sidecar(tmp_path / "d" / "dune.epub", current_table(None))
    import_folder(tmp_path / "d", clock=lambda: 2.0, tz=UTC)
    assert [h.entry.created for h in store.for_book(dune.id)] == [
        sent.created,
        _at("2024-03-02 08:00:05"),
    ]


def test_a_missing_folder_is_a_clear_error(library, tmp_path):
    with pytest.raises(InvalidValueError, match="not a folder"):
        import_folder(tmp_path / "nowhere", clock=lambda: 1.0)
