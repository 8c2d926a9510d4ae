"""The unchanged files of an import, answered without the ORM: with nothing changed, the same
summary and progress as the full import; with something to do, only the files it concerns go
on to the full import, and the whole import reports what the full import of every file would;
no answer at all when the full import must take every file (an older schema, a missing source,
no library). Each test runs with the files found and their stats read by this process alone,
with a forked child reading the stats from the other end (`file_stats`), and with a forked
child finding the files while the library is read, then reading their stats (`finding`),
with the same outcome."""

from __future__ import annotations

import dataclasses
import os
import shutil

import pytest

from bookorbit_desktop.library.importer import finding, unchanged
from bookorbit_desktop.library.importer.complete import import_sources
from bookorbit_desktop.library.importer.file_stats import StatReader
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.importer.scan import source_ranges
from bookorbit_desktop.library.importer.unchanged import import_unchanged
from bookorbit_desktop.library.metadata.koreader_hash import partial_md5
from bookorbit_desktop.library.store import early_check
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import BookFile, ProgressEvent, database
from tests.factories import make_epub


@pytest.fixture(autouse=True, params=["alone", "with-a-child", "found-by-a-child"])
def stat_reader(request, monkeypatch):
    """Every quick answer of the test finds the files and reads their stats in the way of its
    parameter: all here, the stats with a child of the reader's own, or the files and the
    stats with the child that found them (`finding`)."""
    mode = request.param
    monkeypatch.setattr(finding, "may_fork", lambda: mode == "found-by-a-child")
    forked = []

    class Reader(StatReader):
        def __init__(self, files, *, child=None, **_):
            # The child that found the files reads their stats (a folder was walked).
            assert child is None or mode == "found-by-a-child"
            super().__init__(files, fork_from=0 if mode == "with-a-child" else 10**9, child=child)
            forked.append(self.forked == (mode == "with-a-child" or child is not None))

    monkeypatch.setattr(unchanged, "StatReader", Reader)
    yield
    assert all(forked)


def comparable(summary):
    return {k: v for k, v in dataclasses.asdict(summary).items() if k != "elapsed"}


def steps(events):
    return [(e.done, e.total, e.path, e.outcome, e.book_id, e.reason) for e in events]


def test_same_summary_and_progress_as_the_full_import(library, shelf):
    import_paths([shelf], library)
    sources = [shelf, shelf / "fiction" / "hobbit.epub"]  # named twice: counted once
    quick_events, full_events = [], []
    quick = import_unchanged(sources, library, progress=quick_events.append)
    full = import_paths(sources, library, progress=full_events.append)
    assert quick is not None and not quick.documents_to_adopt
    assert full.unchanged == 6 and full.ignored == 2
    assert comparable(quick.summary) == comparable(full)
    assert steps(quick_events) == steps(full_events)
    assert all(event.elapsed >= 0 for event in quick_events)


def test_an_empty_folder_is_unchanged_too(library, tmp_path):
    (tmp_path / "empty").mkdir()
    quick = import_unchanged([tmp_path / "empty"], library)
    assert quick is not None
    assert comparable(quick.summary) == comparable(import_paths([tmp_path / "empty"], library))


def _touch(path):
    os.utime(path, (1_000_000_000, 1_000_000_000))
    return path


def _grow(path):
    with path.open("ab") as handle:
        handle.write(b"\0")
    return path


# Each makes one file something for the full import to do, and returns it.
CHANGES = [
    pytest.param(lambda shelf: _touch(shelf / "papers" / "systems.pdf"), id="touched"),
    pytest.param(lambda shelf: _grow(shelf / "russian" / "war.fb2"), id="grown"),
    pytest.param(lambda shelf: make_epub(shelf / "new.epub", "New"), id="new-file"),
    pytest.param(lambda shelf: _missing(shelf / "fiction" / "hobbit.epub"), id="missing"),
    pytest.param(lambda shelf: _moved(shelf / "fiction" / "hobbit.epub"), id="moved"),
    pytest.param(lambda shelf: _copied(shelf / "fiction" / "hobbit.epub"), id="copied"),
]


@pytest.mark.parametrize("change", CHANGES)
def test_a_file_to_do_goes_to_the_full_import_and_only_it(library, shelf, change):
    import_paths([shelf], library)
    quick = import_unchanged([shelf], library)
    assert quick is not None and quick.others == []
    changed = change(shelf)
    quick = import_unchanged([shelf], library)
    assert quick is not None and quick.others == [str(changed)]
    assert quick.summary.unchanged == len(quick.files) == quick.summary.total - 1


@pytest.mark.parametrize("change", CHANGES)
def test_the_whole_import_reports_what_a_full_import_would(library, shelf, tmp_path, change):
    import_paths([shelf], library)
    change(shelf)
    before = tmp_path / "before.sqlite3"
    database.execute_sql(f"VACUUM INTO '{before}'")
    events = []
    summary = import_sources([shelf], library, progress=events.append)
    after = _outcomes(events)
    assert [e.done for e in events] == list(range(1, summary.total + 1))
    assert {e.total for e in events} == {summary.total}
    close_database()
    before.replace(library.db_file)
    open_database(library.db_file)
    full_events = []
    full = import_paths([shelf], library, progress=full_events.append)
    assert comparable(summary) | {"book_ids": []} == comparable(full) | {"book_ids": []}
    assert after == _outcomes(full_events)


def _outcomes(events) -> dict:
    return {str(e.path): (e.outcome, e.book_id, e.reason) for e in events}


def _missing(path):
    BookFile.update(missing=True).where(BookFile.path == str(path)).execute()
    return path


def _moved(path):
    moved = path.with_name("moved.epub")
    path.rename(moved)
    return moved


def _copied(path):
    copy = path.with_name("copy.epub")
    shutil.copy2(path, copy)
    return copy


def test_an_older_schema_leaves_every_file_to_the_full_import(library, shelf):
    import_paths([shelf], library)
    database.execute_sql("UPDATE schema_version SET version = 2")
    assert import_unchanged([shelf], library) is None


def test_a_missing_source_is_the_full_imports_to_report(library, shelf):
    import_paths([shelf], library)
    assert import_unchanged([shelf, shelf / "gone.epub"], library) is None


def test_no_library_yet(paths, shelf):
    assert import_unchanged([shelf], paths) is None
    assert not paths.db_file.exists()  # looking did not create one


def test_pushes_waiting_for_a_known_document_are_reported(library, tmp_path):
    path = make_epub(tmp_path / "a.epub", "Pushed Early")
    import_paths([path], library)
    ProgressEvent.create(
        document=partial_md5(path),
        book=None,
        device="kobo",
        percentage=0.5,
        progress="x",
        timestamp=1,
    )
    quick = import_unchanged([path], library)
    assert quick is not None and quick.documents_to_adopt


def test_a_file_that_is_no_database_is_the_full_imports_to_refuse(paths, shelf):
    paths.db_file.write_bytes(b"not a database, but long enough to look like one " * 100)
    assert import_unchanged([shelf], paths) is None


@pytest.mark.parametrize("change", [CHANGES[1], CHANGES[2]])  # as many files, one more
@pytest.mark.parametrize("already_open", [False, True], ids=["opened-here", "open-already"])
def test_the_library_to_open_is_checked_meanwhile_and_no_check_is_left(
    paths, shelf, monkeypatch, already_open, change
):
    open_database(paths.db_file)
    import_paths([shelf], paths)
    if not already_open:
        close_database()
    change(shelf)
    begun, told = [], []
    begin = early_check.begin

    def begin_and_tell(path):
        begun.append(path)
        begin(path)

    monkeypatch.setattr(early_check, "begin", begin_and_tell)

    def on_unchanged(files, total, elapsed):
        told.append(list(begun))  # the check already runs while these are reported

    def open_library():
        if not already_open:
            open_database(paths.db_file)

    try:
        summary = import_sources(
            [shelf],
            paths,
            open_library=open_library,
            progress=lambda _: None,
            on_unchanged=on_unchanged,
        )
    finally:
        close_database()
    assert summary.imported + summary.updated == 1 == summary.total - summary.unchanged
    assert told == [[paths.db_file]]
    assert early_check._pending == {}  # its answer taken, or its connection closed


def test_files_walked_out_of_text_order_are_matched_to_their_own_rows(library, shelf):
    # The walk takes a folder's files before its folders, and "fiction, more" after
    # "fiction" although "," sorts before "/": both out of the order the rows are read in.
    make_epub(shelf / "zz.epub", "Last in Text Order")
    make_epub(shelf / "fiction, more" / "aside.epub", "Aside")
    import_paths([shelf], library)
    quick_events, full_events = [], []
    quick = import_unchanged([shelf], library, progress=quick_events.append)
    full = import_paths([shelf], library, progress=full_events.append)
    assert quick is not None and quick.others == []
    assert comparable(quick.summary) == comparable(full)
    assert [e.path.name for e in full_events][:2] == ["zz.epub", "saga.cbz"]
    assert steps(quick_events) == steps(full_events)
    for change, name in ((_touch, "zz.epub"), (_grow, "fiction/hobbit.epub")):
        changed = change(shelf / name)
        quick = import_unchanged([shelf], library)
        assert quick is not None and quick.others == [str(changed)]
        assert quick.files == [str(e.path) for e in full_events if e.path != changed]
        import_paths([shelf], library)


@pytest.mark.parametrize(
    ("change", "told_after"),
    [
        (CHANGES[2].values[0], []),
        (CHANGES[3].values[0], []),
        (CHANGES[0].values[0], ["paired", "stats"]),
    ],
    ids=["new", "marked-missing", "touched"],
)
def test_others_are_told_once_and_more_files_than_paths_before_they_are_paired(
    library, shelf, monkeypatch, change, told_after
):
    """More files than the library holds present paths: the caller is told before the files
    are paired with the rows (it starts the library's quick check meanwhile); otherwise once
    a file is known to differ."""
    import_paths([shelf], library)
    changed = change(shelf)
    steps, told = [], []
    matched, collect = unchanged._matched, StatReader.collect

    def paired(*args):
        steps.append("paired")
        return matched(*args)

    def collected(self, *args, **kwargs):
        steps.append("stats")
        return collect(self, *args, **kwargs)

    monkeypatch.setattr(unchanged, "_matched", paired)
    monkeypatch.setattr(StatReader, "collect", collected)
    quick = import_unchanged([shelf], library, on_others=lambda: told.append(list(steps)))
    assert quick is not None and quick.others == [str(changed)]
    assert told == [told_after]


def test_a_path_the_library_holds_as_bytes_matches_no_file(library, shelf):
    # Written by no version of this app, but a file is outside input: such a row sorts after
    # every text path, and a new file last in text order meets it.
    import_paths([shelf], library)
    hobbit = BookFile.get(BookFile.path == str(shelf / "fiction" / "hobbit.epub"))
    database.execute_sql(
        "INSERT INTO book_file (book_id, path, format, size, mtime, partial_md5, missing,"
        " added_at) VALUES (?, ?, 'epub', 1, 1, 'x', 0, 0)",
        (hobbit.book_id, str(shelf / "zz.epub").encode()),
    )
    new = make_epub(shelf / "zz.epub", "Last")
    quick = import_unchanged([shelf], library)
    assert quick is not None and quick.others == [str(new)]


def test_only_the_library_rows_under_the_sources_are_read(library, shelf, tmp_path):
    import_paths([shelf], library)
    more = tmp_path / "more"
    kept = make_epub(more / "kept.epub", "Kept")
    import_paths([more], library)
    new = make_epub(more / "new.epub", "New")
    rows, _ = unchanged._read_library(library.db_file, source_ranges([more]), books=False)
    assert [row[0] for row in rows] == [str(kept)]  # none of the shelf's
    quick = import_unchanged([more], library)
    assert quick is not None
    assert (quick.files, quick.others) == ([str(kept)], [str(new)])
    everything = import_unchanged([shelf, more], library)
    assert everything is not None and everything.others == [str(new)]
    assert len(everything.files) == BookFile.select().count()


def test_a_file_named_alone_is_read_by_its_own_path(library, shelf):
    import_paths([shelf], library)
    hobbit = shelf / "fiction" / "hobbit.epub"
    rows, _ = unchanged._read_library(library.db_file, source_ranges([hobbit]), books=False)
    assert [row[0] for row in rows] == [str(hobbit)]
    quick = import_unchanged([hobbit], library)
    assert quick is not None and (quick.files, quick.others) == ([str(hobbit)], [])


def test_sources_given_once_only_are_both_walked_and_ranged(library, shelf):
    import_paths([shelf], library)
    quick = import_unchanged(iter([shelf]), library)  # an iterator can be gone through once
    assert quick is not None and quick.others == []
    assert len(quick.files) == BookFile.select().count()


@pytest.mark.skipif(os.name != "posix", reason="names of undecodable bytes are POSIX file names")
def test_a_source_named_in_a_legacy_encoding_goes_to_the_full_import(library, shelf, tmp_path):
    import_paths([shelf], library)
    legacy = tmp_path / os.fsdecode(b"B\xfccher")  # latin-1 "Bücher": not UTF-8
    try:
        book = make_epub(legacy / "dune.epub", "Dune")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    quick = import_unchanged([legacy, shelf], library)
    assert quick is not None and quick.others == [str(book)]
    assert len(quick.files) == BookFile.select().count()
    [failure] = import_sources([legacy], library).failures  # reported, as ever
    assert "not valid UTF-8" in failure.reason
