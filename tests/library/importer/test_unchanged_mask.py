"""Which files a re-import finds unchanged: the rows' sizes and times against the stats, the
rule `same_stat` states, compared a chunk at a time (`unchanged._unchanged_mask`)."""

from __future__ import annotations

from array import array

import pytest

from bookorbit_desktop.library.importer.unchanged import _CHUNK, _UNKNOWN, _unchanged_mask

COUNT = 2 * _CHUNK + 5  # two whole chunks and a short one


def _rows():
    return [(f"/books/{n}.epub", 1000 + n, 1_700_000_000.25 + n, n) for n in range(COUNT)]


def _stats(rows):
    """What `StatReader.collect` reads of files that did not change."""
    sizes = memoryview(array("q", [row[1] for row in rows]))
    mtimes = memoryview(array("d", [row[2] for row in rows]))
    return sizes, mtimes


def _not_kept(rows, sizes, mtimes):
    kept = _unchanged_mask(rows, sizes, mtimes)
    assert len(kept) == len(rows)
    return [index for index, one in enumerate(kept) if not one]


# (what differs, at which files) -> the files that are not unchanged.
CASES = [
    pytest.param("size", [0], id="first-file-grown"),
    pytest.param("size", [_CHUNK - 1, _CHUNK], id="either-side-of-a-chunk-edge"),
    pytest.param("mtime", [COUNT - 1], id="last-file-touched"),
    pytest.param("mtime", [5, _CHUNK + 7, 2 * _CHUNK + 1], id="one-in-each-chunk"),
    pytest.param("unread", [3], id="stat-failed"),
    pytest.param("unknown", [_CHUNK + 2], id="a-path-the-library-does-not-hold"),
    pytest.param("size", [], id="nothing"),
]


@pytest.mark.parametrize(("what", "where"), CASES)
def test_only_the_files_that_differ_are_left_out(what, where):
    rows = _rows()
    sizes, mtimes = _stats(rows)
    for index in where:
        if what == "size":
            sizes[index] += 1
        elif what == "mtime":
            mtimes[index] += 1e-6
        elif what == "unread":
            sizes[index], mtimes[index] = -1, 0.0
        else:
            rows[index] = _UNKNOWN
    assert _not_kept(rows, sizes, mtimes) == where


def test_a_time_equal_as_a_number_is_the_same_time():
    rows = _rows()
    rows[1] = (*rows[1][:2], 0.0, rows[1][3])
    sizes, mtimes = _stats(rows)
    mtimes[1] = -0.0  # other bytes, the same number: `same_stat` says unchanged
    assert _not_kept(rows, sizes, mtimes) == []


@pytest.mark.parametrize(
    "odd",
    [
        pytest.param((None, "1000", 1_700_000_000.25, 0), id="size-stored-as-text"),
        pytest.param((None, 1000, "yesterday", 0), id="time-stored-as-text"),
        pytest.param((None, 2**70, 1_700_000_000.25, 0), id="size-too-large"),
    ],
)
def test_a_row_holding_what_no_stat_gives_is_never_unchanged(odd):
    """A damaged or hand-edited row: compared file by file, it differs and the full import
    decides it; the other files are still unchanged."""
    rows = _rows()
    rows[0] = (rows[0][0], *odd[1:])
    sizes, mtimes = _stats(_rows())
    assert _not_kept(rows, sizes, mtimes) == [0]
