"""Covers that are not JPEG, PNG, GIF or WebP, as a hostile book, source or file may carry them,
and a stand-in Ghostscript that records being run.

Pillow opens EPS by running `gs` (found on PATH, first probed with `gs --version`); Qt has
image plugins for TGA, ICO and SVG (and PDF where installed). Each sample here is a real file
of its format that those decoders accept.
"""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path

import pytest
from PIL import EpsImagePlugin, Image


def _saved(fmt: str, mode: str = "RGB") -> bytes:
    output = io.BytesIO()
    Image.new(mode, (60, 90), (200, 40, 40)).save(output, fmt)
    return output.getvalue()


def _psd() -> bytes:
    """A 60×90 RGB Photoshop file, uncompressed (Pillow writes no PSD)."""
    width, height = 60, 90
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, height, width, 8, 3)
    sections = struct.pack(">III", 0, 0, 0)  # colour mode data, resources, layers: none
    return header + sections + struct.pack(">H", 0) + bytes(3 * width * height)


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="60" height="90">'
    b'<rect width="60" height="90" fill="red"/></svg>'
)

HOSTILE_COVERS: dict[str, bytes] = {
    "eps": _saved("EPS"),
    "psd": _psd(),
    "tga": _saved("TGA"),
    "ico": _saved("ICO"),
    "pdf": _saved("PDF"),
    "svg": SVG,
}


@pytest.fixture
def ghostscript_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `gs` first on PATH that appends its arguments to the returned file and fails; Pillow
    forgets any Ghostscript it found before, so it looks again. The file exists only once some
    code has run `gs`."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    record = tmp_path / "gs-ran.txt"
    script = bin_dir / "gs"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{record}"\nexit 1\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setattr(EpsImagePlugin, "gs_binary", None)
    return record
