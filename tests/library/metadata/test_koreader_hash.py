"""KOReader's document digests against every golden vector in shared/kosync/vectors.json.

The two files from KOReader's own test data (leaves.epub, tall.pdf) are not part of this
repository; their vectors run only when BOOKORBIT_KOREADER_TEST_DATA names a folder holding
them, and are skipped (with that reason) otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from bookorbit_desktop.library.metadata.koreader_hash import filename_md5, partial_md5

# KOReader partial-MD5 golden vectors (CC0, see tests/data/kosync/LICENSE).
VECTORS_FILE = Path(__file__).resolve().parents[2] / "data" / "kosync" / "vectors.json"
TEST_DATA_ENV = "BOOKORBIT_KOREADER_TEST_DATA"


VECTORS = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))


def pattern(size: int) -> bytes:
    """P(n)[i] = (i * 31 + (i >> 8)) mod 256, as vectors.json defines it."""
    return bytes((i * 31 + (i >> 8)) & 0xFF for i in range(size))


def test_the_generator_matches_the_vectors_definition():
    assert VECTORS["patternGenerator"] == "P(n)[i] = (i * 31 + (i >> 8)) mod 256"


def test_offsets_are_the_ones_koreader_samples():
    offsets = VECTORS["algorithm"]["offsets"]
    assert offsets == [0] + [1024 << (2 * i) for i in range(11)]


@pytest.mark.parametrize("vector", VECTORS["synthetic"], ids=lambda v: f"P({v['size']})")
def test_synthetic_vectors(tmp_path, vector):
    path = tmp_path / "pattern.bin"
    path.write_bytes(pattern(vector["size"]))
    assert partial_md5(path) == vector["digest"]


def test_every_synthetic_vector_is_covered():
    assert len(VECTORS["synthetic"]) == 7


def test_sparse_one_gibibyte_vector(tmp_path):
    """Zero everywhere except a 16-byte zero-padded decimal marker at each offset."""
    vector = VECTORS["sparse"]
    offsets = VECTORS["algorithm"]["offsets"]
    path = tmp_path / "sparse.bin"
    with path.open("wb") as handle:
        for offset in offsets:
            handle.seek(offset)
            handle.write(f"{offset:016d}".encode("ascii"))
        handle.truncate(vector["size"])
    assert path.stat().st_size == vector["size"]
    assert partial_md5(path) == vector["digest"]


def test_the_arithmetic_variant_is_not_what_we_compute(tmp_path):
    path = tmp_path / "pattern.bin"
    path.write_bytes(pattern(200000))
    assert partial_md5(path) != VECTORS["arithmeticVariant"]["P(200000)"]


@pytest.mark.parametrize("vector", VECTORS["koreaderTestData"], ids=lambda v: v["file"])
def test_koreader_test_data_files(vector):
    folder = os.environ.get(TEST_DATA_ENV)
    if not folder:
        pytest.skip(f"set {TEST_DATA_ENV} to a folder holding KOReader's {vector['file']}")
    path = Path(folder) / vector["file"]
    if not path.is_file():
        pytest.skip(f"{path} is not there")
    assert path.stat().st_size == vector["size"]
    assert partial_md5(path) == vector["digest"]


def test_empty_file(tmp_path):
    path = tmp_path / "empty"
    path.write_bytes(b"")
    assert partial_md5(path) == hashlib.md5(b"").hexdigest()


@pytest.mark.parametrize(
    ("name", "digest"),
    [
        # kosync-protocol.md §6.2: the base name, extension included, exact bytes.
        ("leaves.epub", "f086cbeb952dd7911a6c677d87db5dcf"),
        # §6.3: the name KOReader gives an OPDS download, "Author - Title.ext".
        ("Walt Whitman - Leaves of Grass.epub", "660b0385474ff58b8c3a83f449770598"),
    ],
)
def test_filename_md5_examples(name, digest):
    assert filename_md5(name) == digest


def test_filename_md5_keeps_case_and_utf8():
    assert filename_md5("Leaves.epub") != filename_md5("leaves.epub")
    assert filename_md5("Война и мир.fb2") == hashlib.md5("Война и мир.fb2".encode()).hexdigest()


def test_koreader_test_data_metadata():
    """The same real files also import with sensible metadata."""
    from bookorbit_desktop.library.metadata.reader import read_metadata

    folder = os.environ.get(TEST_DATA_ENV)
    if not folder or not (Path(folder) / "leaves.epub").is_file():
        pytest.skip(f"set {TEST_DATA_ENV} to a folder holding KOReader's leaves.epub")
    meta = read_metadata(Path(folder) / "leaves.epub")
    assert (meta.title, meta.authors, meta.language) == ("Leaves of Grass", ["Walt Whitman"], "en")
    assert meta.cover
