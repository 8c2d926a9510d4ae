"""Cover images: decoded whole and written anew, shrunk when large, flattened when transparent,
refused with the reason when cut short, too large or not images at all; made from the book's
file when first asked for."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from bookorbit_desktop.library.metadata.covers import (
    COVER_MAX,
    MAX_COVER_BYTES,
    UnusableCover,
    ensure_cover,
    make_cover,
    prepare_cover,
    store_cover,
    usable_cover,
    write_atomically,
)
from tests.library.books import jpeg, png
from tests.library.conftest import epub_with_cover


def open_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_small_jpeg_is_written_anew_without_its_metadata():
    output = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "a description from elsewhere"  # ImageDescription
    Image.new("RGB", (300, 450), (10, 120, 200)).save(
        output, "JPEG", exif=exif, comment=b"hidden text"
    )
    image = open_image(make_cover(output.getvalue()))
    assert (image.format, image.size) == ("JPEG", (300, 450))
    assert "exif" not in image.info and "comment" not in image.info


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width`×`height` pixels, with hardly any data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (jpeg(300, 450)[:-2], "damaged or cut short"),  # no end marker
        (jpeg(1200, 1800)[:-400], "damaged or cut short"),  # decoded at reduced scale
        (png(300, 450)[:-30], "damaged or cut short"),
        (_png_claiming(8_000, 8_000), "too many pixels"),  # past MAX_PIXELS
        (_png_claiming(10_000, 10_000), "too many pixels"),  # Pillow's bomb warning
        (_png_claiming(100_000, 100_000), "too many pixels"),  # Pillow's bomb error
        (b"GIF89a" + b"\0" * 20, "not an image"),
        (b"<html>Not found</html>", "not an image"),
        (b"", "empty"),
        (b"\xff\xd8\xff" + b"\0" * MAX_COVER_BYTES, "larger than 20 MB"),
    ],
)
def test_a_cover_that_cannot_be_used_is_refused_with_the_reason(data, reason):
    with pytest.raises(UnusableCover, match=reason):
        make_cover(data)
    assert prepare_cover(data) is None


@pytest.mark.parametrize(
    ("size", "expected"), [((1200, 1800), (600, 900)), ((2000, 1000), (600, 300))]
)
def test_large_cover_is_shrunk_keeping_its_shape(size, expected):
    image = open_image(prepare_cover(jpeg(*size)))
    assert image.format == "JPEG"
    assert image.size == expected
    assert image.width <= COVER_MAX[0] and image.height <= COVER_MAX[1]


def test_transparent_png_is_laid_on_white():
    image = open_image(prepare_cover(png()))
    assert image.format == "JPEG" and image.mode == "RGB"
    red, green, blue = image.getpixel((5, 5))
    assert red > 100 and green > 100 and blue > 200  # half-transparent blue over white


def test_cmyk_jpeg_becomes_rgb():
    output = io.BytesIO()
    Image.new("CMYK", (100, 150), (0, 255, 255, 0)).save(output, "JPEG")
    assert open_image(prepare_cover(output.getvalue())).mode == "RGB"


@pytest.mark.parametrize("data", [b"", b"not an image", jpeg()[:50]])
def test_not_an_image(data):
    assert prepare_cover(data) is None


def test_decompression_bomb_is_refused():
    output = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(output, "PNG")
    assert prepare_cover(output.getvalue()) is None


def test_store_cover_writes_atomically(paths):
    relative = store_cover(paths, 7, jpeg(1200, 1800))
    assert relative == "covers/7.jpg"
    assert (paths.data_dir / relative).is_file()
    assert [p.name for p in paths.covers_dir.iterdir()] == ["7.jpg"]  # no temporary left
    assert store_cover(paths, 8, b"junk") is None
    assert store_cover(paths, 9, jpeg(300, 450)[:-2]) is None  # cut short: nothing stored
    assert [p.name for p in paths.covers_dir.iterdir()] == ["7.jpg"]


@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_an_interrupted_write_leaves_neither_a_temporary_file_nor_a_half_cover(
    tmp_path, monkeypatch, failure
):
    target = tmp_path / "covers" / "7.jpg"
    write_atomically(target, b"old cover")

    def interrupted(source, destination):
        raise failure()

    monkeypatch.setattr("bookorbit_desktop.library.metadata.covers.os.replace", interrupted)
    with pytest.raises(failure):
        write_atomically(target, b"new cover")
    assert [p.name for p in target.parent.iterdir()] == ["7.jpg"]
    assert target.read_bytes() == b"old cover"


def _bomb() -> bytes:
    output = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(output, "PNG")
    return output.getvalue()


@pytest.mark.parametrize(
    ("data", "usable"),
    [
        (jpeg(1200, 1800), True),
        (jpeg(300, 450), True),
        (png(900, 1400), True),
        (b"not an image at all", False),
        (b"", False),
        (_bomb(), False),
    ],
)
def test_usable_cover_agrees_with_prepare_cover(data, usable):
    assert usable_cover(data) is usable
    assert (prepare_cover(data) is not None) is usable


def test_ensure_cover_makes_the_cover_from_the_first_file_that_has_one(paths, tmp_path):
    plain = tmp_path / "plain.epub"
    epub_with_cover(plain, "Plain", cover=b"not an image at all")
    covered = epub_with_cover(tmp_path / "covered.epub", "Covered")
    sources = [tmp_path / "gone.epub", plain, covered]
    made = ensure_cover(paths, "covers/3.jpg", sources)
    assert made == (paths.data_dir / "covers" / "3.jpg").resolve()
    assert open_image(made.read_bytes()).size == (600, 900)
    assert [p.name for p in paths.covers_dir.iterdir()] == ["3.jpg"]
    # Made once: a second request serves the file without reading the book.
    made.write_bytes(b"already made")
    assert ensure_cover(paths, "covers/3.jpg", []) == made
    assert made.read_bytes() == b"already made"


def test_a_cover_cut_short_in_the_book_is_not_stored(paths, tmp_path):
    cut = epub_with_cover(tmp_path / "cut.epub", "Cut", cover=jpeg(300, 450)[:-2])
    assert ensure_cover(paths, "covers/5.jpg", [cut]) is None
    assert not (paths.covers_dir / "5.jpg").exists()


def test_ensure_cover_without_a_usable_source_or_inside_the_data_folder(paths, tmp_path):
    plain = epub_with_cover(tmp_path / "plain.epub", "Plain", cover=b"junk")
    covered = epub_with_cover(tmp_path / "covered.epub", "Covered")
    assert ensure_cover(paths, "covers/4.jpg", [plain, tmp_path / "gone.epub"]) is None
    assert ensure_cover(paths, "../outside.jpg", [covered]) is None
    assert not (paths.data_dir.parent / "outside.jpg").exists()
    assert not paths.covers_dir.exists() or list(paths.covers_dir.iterdir()) == []


@pytest.mark.parametrize("stored", ["ABSOLUTE", "../outside.jpg", "covers/../../outside.jpg"])
def test_a_cover_path_leading_outside_the_data_folder_is_never_read_or_deleted(tmp_path, stored):
    from bookorbit_desktop.config import resolve_paths
    from bookorbit_desktop.library.metadata.covers import cover_file, delete_cover

    paths = resolve_paths(tmp_path / "data")
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(b"not the library's")
    stored = str(outside) if stored == "ABSOLUTE" else stored
    delete_cover(paths, stored)
    assert outside.exists()
    assert not cover_file(paths, stored).exists()
    assert cover_file(paths, stored).is_relative_to(paths.data_dir)
