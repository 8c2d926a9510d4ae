"""The recorded answers of tests/data/metadata_sources, read by name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "metadata_sources"


def recorded(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def recorded_text(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")
