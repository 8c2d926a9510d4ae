"""The pure parts: frames (lengths in bytes), the password hash, safe paths, slim metadata."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from bookorbit_desktop.devices.lpath import MAX_LPATH_BYTES, MAX_PART_BYTES, is_safe, make_lpath
from bookorbit_desktop.devices.metadata import author_sort, slim_metadata
from bookorbit_desktop.devices.protocol import (
    Frame,
    FrameError,
    Op,
    decode,
    encode,
    password_hash,
    read_frame,
)
from bookorbit_desktop.library.store.devices import SendItem


def test_a_frame_counts_bytes_not_characters():
    frame = encode(Op.OK, {"title": "日本語"})
    length, _, rest = frame.partition(b"[")
    assert int(length) == len(b"[" + rest)
    assert int(length) > len('[0,{"title":"日本語"}]')  # more bytes than characters
    assert decode(b"[" + rest) == Frame(Op.OK, {"title": "日本語"})


async def _frames(data: bytes) -> list[Frame | None]:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    frames = []
    while (frame := await read_frame(reader)) is not None:
        frames.append(frame)
    return frames


async def test_frames_follow_each_other_without_delimiters():
    data = encode(Op.NOOP, {"count": 2}) + encode(Op.OK, {"é": "ü"})
    assert await _frames(data) == [Frame(Op.NOOP, {"count": 2}), Frame(Op.OK, {"é": "ü"})]


@pytest.mark.parametrize(
    "data",
    [b"x[0,{}]", b"5[0,{}", b"[0,{}]", b"99999999999[", b"7[0,{}]]", b"9[99,{}]   ", b"6[1,2,3"],
)
async def test_broken_frames_are_errors_not_hangs(data):
    with pytest.raises(FrameError):
        await _frames(data)


def test_password_hash_is_sha1_of_password_then_challenge():
    expected = hashlib.sha1("pässchallenge".encode()).hexdigest()
    assert password_hash("päss", "challenge") == expected


@pytest.mark.parametrize(
    ("title", "authors", "ext", "expected"),
    [
        ("Dune", ("Frank Herbert",), "epub", "Frank Herbert/Dune.epub"),
        ("../../etc/passwd", ("/root",), "epub", "_root/_.._etc_passwd.epub"),
        ("..", (), "pdf", "Unknown/Unknown.pdf"),
        ('What? A "Title": <1|2>*', ("A\\B",), "EPUB", "A_B/What_ A _Title__ _1_2__.epub"),
        ("CON", ("NUL",), "txt", "_NUL/_CON.txt"),
        ("  .hidden.  ", ("Ann\tLee",), "epub", "Ann Lee/hidden.epub"),
        ("Line\nbreak", ("x",), "fb2", "x/Line break.fb2"),
        ("Café", ("Zoë",), "epub", "Zoë/Café.epub"),
    ],
)
def test_lpaths_are_safe_on_any_file_system(title, authors, ext, expected):
    lpath = make_lpath(title, authors, ext)
    assert lpath == expected
    assert is_safe(lpath)


def test_long_names_are_cut_by_bytes_between_characters():
    lpath = make_lpath("語" * 200, ("著" * 200,), "epub", suffix=" (12)")
    author, name = lpath.split("/")
    assert len(author.encode()) <= MAX_PART_BYTES and len(name.encode()) <= MAX_PART_BYTES
    assert name.endswith(" (12).epub")
    assert len(lpath.encode()) <= MAX_LPATH_BYTES
    lpath.encode("utf-8").decode("utf-8")  # no broken character


@pytest.mark.parametrize(
    "lpath", ["", "/abs.epub", "a/../b.epub", "a/.hidden", "a//b.epub", "a/b:c.epub", "x" * 200]
)
def test_unsafe_lpaths_are_recognised(lpath):
    assert not is_safe(lpath)


def test_slim_metadata_holds_only_what_koreader_keeps():
    item = SendItem(1, "u-1", Path("/x.epub"), "epub", 10, 0.0, "T", ("Ann Lee", "Bo"), "S", 2.0)
    meta = slim_metadata(item, "Ann Lee/T.epub", 12, "2026-01-01T00:00:00+00:00")
    assert meta == {
        "uuid": "u-1",
        "lpath": "Ann Lee/T.epub",
        "last_modified": "2026-01-01T00:00:00+00:00",
        "size": 12,
        "title": "T",
        "authors": ["Ann Lee", "Bo"],
        "author_sort": "Lee, Ann & Bo",
        "tags": [],
        "series": "S",
        "series_index": 2.0,
    }
    assert author_sort(()) == ""


def test_a_path_another_book_holds_on_the_device_gets_the_book_id():
    from bookorbit_desktop.devices.transfer import choose_lpath

    item = SendItem(
        7, "mine", Path("/x.epub"), "epub", 1, 0.0, "Dune", ("Frank Herbert",), None, None
    )
    assert choose_lpath(item, {}) == "Frank Herbert/Dune.epub"
    assert choose_lpath(item, {"Frank Herbert/Dune.epub": "mine"}) == "Frank Herbert/Dune.epub"
    taken = {"Frank Herbert/Dune.epub": "calibre-uuid"}
    assert choose_lpath(item, taken) == "Frank Herbert/Dune (7).epub"
