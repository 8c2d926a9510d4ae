"""`import_bench.py --slices`: each slice's rate, CPU a file and the share of the cores other
processes used meanwhile, from the samples taken while the import ran."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmark_scripts import load

import_timeline = load("import_timeline")


@pytest.mark.parametrize(
    ("points", "slices"),
    [
        # (seconds, books, the import's CPU s, others' CPU s): on 2 cores, others used 1 s
        # of the 2 core-seconds of the first slice, none of the second.
        (
            [(1.0, 100, 0.2, 1.0), (2.0, 200, 0.4, 1.0)],
            [(0, 100, 100.0, 2.0, 0.5), (100, 200, 100.0, 2.0, 0.0)],
        ),
        # A slice ends once it holds the slice's books (or at the end).
        (
            [(1.0, 50, 0.1, 0.5), (2.0, 100, 0.2, 1.0), (3.0, 120, 0.3, 1.0)],
            [(0, 100, 50.0, 2.0, 0.25), (100, 120, 20.0, 5.0, 0.0)],
        ),
    ],
)
def test_each_slice_says_what_the_import_and_the_others_used(monkeypatch, points, slices):
    monkeypatch.setattr(import_timeline.psutil, "cpu_count", lambda: 2)
    timeline = import_timeline.Timeline(Path("library.sqlite3"), 100)
    timeline.points.extend(points)

    assert timeline.slices() == [pytest.approx(row) for row in slices]
