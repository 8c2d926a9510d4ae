"""Which row of the library each file of a re-import gets: both in text order, merged
(`unchanged._matched`), and the files' order given back (`_in_text_order`, `_in_import_order`).
A file gets the row of its own path or none, whatever the two lists hold."""

from __future__ import annotations

import random

import pytest

from bookorbit_desktop.library.importer import unchanged
from bookorbit_desktop.library.importer.unchanged import (
    _UNKNOWN,
    _in_import_order,
    _in_text_order,
    _matched,
)


def _row(path):
    return (path, len(path), 1_700_000_000.5, hash(path) % 1000)


def _expected(known_paths, files):
    by_path = {path: _row(path) for path in known_paths}
    rows = [by_path.get(path, _UNKNOWN) for path in files]
    return rows, {path for path in files if path not in by_path} or None


BOOKS = [f"/b/{n:03}.epub" for n in range(40)]

# (known paths, files): each list sorted, as the library and `_in_text_order` give them.
CASES = [
    pytest.param(BOOKS, BOOKS, id="the same files"),
    pytest.param(BOOKS, [], id="no files"),
    pytest.param([], BOOKS, id="nothing known"),
    pytest.param(BOOKS, sorted([*BOOKS, "/a/new.epub"]), id="a new file first"),
    pytest.param(BOOKS, sorted([*BOOKS, "/b/019x.epub"]), id="a new file between"),
    pytest.param(BOOKS, [*BOOKS, "/c/new.epub"], id="a new file last"),
    pytest.param(BOOKS, BOOKS[1:], id="the first known file gone"),
    pytest.param(BOOKS, BOOKS[:20] + BOOKS[21:], id="a known file gone between"),
    pytest.param(BOOKS, BOOKS[:-1], id="the last known file gone"),
    pytest.param(BOOKS, sorted([*BOOKS[:20], "/b/020.epub.moved", *BOOKS[21:]]), id="moved"),
    pytest.param(BOOKS[::2], BOOKS[1::2], id="none known, interleaved"),
    pytest.param(BOOKS[::3], BOOKS[::2], id="some known, interleaved"),
    pytest.param(BOOKS, [f"/c/{n:03}.epub" for n in range(40)], id="another folder after"),
    pytest.param([f"/c/{n:03}.epub" for n in range(40)], BOOKS, id="another folder before"),
    pytest.param(BOOKS[:10] + BOOKS[30:], BOOKS, id="a block of new files between"),
    pytest.param(BOOKS, BOOKS[:10] + BOOKS[30:], id="a block of known files gone between"),
]


@pytest.mark.parametrize(("known_paths", "files"), CASES)
def test_each_file_gets_the_row_of_its_path(known_paths, files):
    assert _matched([_row(path) for path in known_paths], files) == _expected(known_paths, files)


def test_random_libraries_and_folders():
    chance = random.Random(55)
    for _ in range(200):
        names = [f"/{chance.choice('ab')}/{chance.randrange(60)}.epub" for _ in range(40)]
        known_paths = sorted({name for name in names if chance.random() < 0.7})
        files = sorted({name for name in names if chance.random() < 0.7})
        rows = [_row(path) for path in known_paths]
        assert _matched(rows, files) == _expected(known_paths, files)


def test_lists_in_other_orders_only_lose_matches():
    # Were the library's order not the files' order, no file would get another path's row.
    known_paths = [f"/b/{n}.epub" for n in (3, 1, 2, 5, 4)]
    files = [f"/b/{n}.epub" for n in (1, 2, 3, 4, 5)]
    rows, _unknown = _matched([_row(path) for path in known_paths], files)
    assert all(row in (_row(path), _UNKNOWN) for row, path in zip(rows, files, strict=True))


@pytest.mark.parametrize(
    "files",
    [
        ["/s/a.epub", "/s/b.epub", "/s/c/d.epub"],
        ["/s/z.epub", "/s/Smith/a.epub", "/s/Smith, John/b.epub", "/s/a/c.epub"],
    ],
    ids=["in text order", "as a walk finds them"],
)
def test_the_files_order_is_given_back(files):
    ordered, order = _in_text_order(files)
    assert ordered == sorted(files)
    assert (order is None) == (ordered == files)
    for left_out in range(len(files)):
        kept = bytearray(b"\x01") * len(files)
        kept[ordered.index(files[left_out])] = 0
        expected = bytearray(b"\x01") * len(files)
        expected[left_out] = 0
        assert _in_import_order(kept, order) == expected


def test_a_folder_apart_from_a_large_library_is_matched_in_few_steps():
    known_paths = [f"/a/{n:06}.epub" for n in range(100_000)]
    files = [f"/b/{n:06}.epub" for n in range(100_000)]
    compared = []
    real = unchanged._from

    def counted(items, start):
        compared.append(start)
        return real(items, start)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(unchanged, "_from", counted)
        rows, unknown = _matched([_row(path) for path in known_paths], files)
    assert rows == [_UNKNOWN] * len(files) and unknown == set(files)
    assert len(compared) <= 4  # not a step for each known path
