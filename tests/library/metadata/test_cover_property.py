"""Whatever bytes arrive as a cover, from a download or a file the user chose, either a whole,
decodable JPEG is stored or the cover is refused with a plain reason: no exception escapes and
no broken file is left behind.

The bytes are random, or real images (JPEG, PNG, GIF, WebP) cut short at a random point or with
random bytes overwritten, which reach much deeper into the decoders than random bytes do. The
run is kept short for the suite; set BOOKORBIT_PROPERTY_EXAMPLES (e.g. 5000) for a longer one.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.values import parse_cover
from bookorbit_desktop.library.metadata.covers import COVER_MAX, store_cover

EXAMPLES = int(os.environ.get("BOOKORBIT_PROPERTY_EXAMPLES", "60"))


def _image(fmt: str, mode: str) -> bytes:
    output = io.BytesIO()
    picture = Image.new(mode, (40, 60), 90)
    for x in range(40):  # some detail, so the compressed data is not all alike
        picture.putpixel((x, (x * 7) % 60), 200)
    picture.save(output, fmt)
    return output.getvalue()


SAMPLES = [_image("JPEG", "RGB"), _image("PNG", "RGBA"), _image("GIF", "P"), _image("WEBP", "RGB")]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(0, len(data)))])


COVER_BYTES = st.one_of(st.binary(max_size=2048), damaged(), st.sampled_from(SAMPLES))


def _whole_jpeg(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.format == "JPEG"
        assert image.width <= COVER_MAX[0] and image.height <= COVER_MAX[1]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(data=COVER_BYTES)
def test_any_bytes_become_a_whole_cover_or_a_plain_refusal(data):
    with tempfile.TemporaryDirectory() as folder:
        paths = resolve_paths(Path(folder) / "data")
        chosen = Path(folder) / "chosen.img"
        chosen.write_bytes(data)
        try:
            prepared = parse_cover(chosen)
        except InvalidValueError as error:
            assert "\n" not in error.message and "cannot be the cover" in error.message
            prepared = None
        else:
            _whole_jpeg(prepared)
        stored = store_cover(paths, 1, data)
        covers = sorted(paths.covers_dir.glob("*")) if paths.covers_dir.exists() else []
        if stored is None:
            assert prepared is None
            assert covers == []  # nothing broken, nor any temporary file, is left
        else:
            assert prepared is not None
            assert [p.name for p in covers] == ["1.jpg"]
            _whole_jpeg((paths.data_dir / stored).read_bytes())
