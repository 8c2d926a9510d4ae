"""The one rule for image bytes from outside (`library.metadata.images`), as the window asks
it before Qt decodes a cover: which format the bytes are, if one BookOrbit reads, and how large
a cover may be."""

from __future__ import annotations

from bookorbit_desktop.library.metadata.images import image_format
from bookorbit_desktop.library.metadata.limits import MAX_COVER_BYTES

__all__ = ["MAX_COVER_BYTES", "image_format"]
