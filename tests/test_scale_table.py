"""`make bench-scale`'s table: each benchmark's JSON figures, or why it was not measured."""

from __future__ import annotations

import subprocess

import pytest

from tests.benchmark_scripts import load

scale_table = load("scale_table")


@pytest.mark.parametrize(
    ("output", "rows"),
    [
        (
            'building…\n{"figures": {"page filled": 412.4}, "goals": {"page filled": "< 500 ms"}}',
            [("page filled", "412 ms", "< 500 ms")],
        ),
        ('{"figures": {"rate": "1,020 files/s"}}', [("rate", "1,020 files/s", "")]),
        ("no json here", [("x.py", "not measured", "its output has no JSON figures")]),
        ("", [("x.py", "not measured", "its output has no JSON figures")]),
        ('{"other": 1}', [("x.py", "not measured", "its output has no JSON figures")]),
    ],
)
def test_rows_come_from_the_last_json_line(output, rows):
    assert scale_table.rows_from_output("x.py", output) == rows


def test_a_benchmark_without_a_json_mode_is_not_measured(tmp_path, monkeypatch):
    (tmp_path / "plain.py").write_text("print('12 ms')\n")
    monkeypatch.setattr(scale_table, "HERE", tmp_path)
    assert scale_table.run(scale_table.Bench("plain.py"), 10) == [
        ("plain.py", "not measured", "the benchmark has no --json mode")
    ]
    assert scale_table.run(scale_table.Bench("gone.py"), 10) == [
        ("gone.py", "not measured", "the benchmark is not there")
    ]


def test_a_benchmark_with_a_json_mode_is_run_with_the_size(tmp_path, monkeypatch):
    (tmp_path / "sized.py").write_text(
        "import json, sys\n# --json\n"
        "print(json.dumps({'figures': {'args': ' '.join(sys.argv[1:])}}))\n"
    )
    monkeypatch.setattr(scale_table, "HERE", tmp_path)
    assert scale_table.run(scale_table.Bench("sized.py"), 50000) == [
        ("args", "--books 50000 --json", "")
    ]
    assert scale_table.run(scale_table.Bench("sized.py", options=("--wrk",)), 10) == [
        ("args", "--books 10 --wrk --json", "")
    ]


def test_the_table_lines_up_its_columns():
    text = scale_table.table([("page filled", "412 ms", "< 500 ms"), ("rate", "9", "")])
    assert text.splitlines() == [
        "figure      | value  | goal    ",
        "------------+--------+---------",
        "page filled | 412 ms | < 500 ms",
        "rate        | 9      |         ",
    ]


def test_every_scale_benchmark_has_a_json_mode():
    missing = [
        b.script
        for b in scale_table.BENCHES
        if not scale_table.has_json_mode(scale_table.HERE / b.script)
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("script", "quick", "figures"),
    [
        (
            "opds_bench.py",
            ["--iterations", "3"],
            {
                "OPDS all books deep page p99": "< 50 ms",
                "OPDS authors deep page p99": "< 50 ms",
                "OPDS series deep page p99": "< 50 ms",
                "OPDS 2.0 all books deep page p99": "< 50 ms",
            },
        ),
        (
            "search_bench.py",
            ["--iterations", "3", "--edit-iterations", "2"],
            {
                "search p99": "< 50 ms",
                "search deep page p99": "< 50 ms",
                "search right after an edit p99": "< 50 ms",
                "command line search p99": "< 100 ms",
                "command line search --json p99": "< 100 ms",
                **{
                    f"command line search, {family} p99": "< 100 ms"
                    for family in (
                        *("two letters", "fields", "several words", "quoted", "not"),
                        "page 50",
                    )
                },
            },
        ),
    ],
)
def test_the_catalog_benchmarks_json_gives_the_tables_rows(script, quick, figures):
    """A small library, a few requests: the figures and goals the scale table prints."""
    done = subprocess.run(
        [*scale_table.command(scale_table.Bench(script), 200), *quick],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = scale_table.rows_from_output(script, done.stdout)
    assert {figure: goal for figure, _value, goal in rows} == figures
    assert [row[0] for row in rows] == list(figures)
    assert all(value.endswith(" ms") for _, value, _goal in rows)


def test_the_custom_column_benchmarks_json_gives_the_tables_rows():
    """A small library: each sort blocked, until its first page and its whole order are shown,
    and each search blocked and until shown, with their goals (the whole order has none)."""
    script = "custom_column_bench.py"
    done = subprocess.run(
        scale_table.command(scale_table.Bench(script), 200),
        capture_output=True,
        text=True,
        check=True,
    )
    rows = scale_table.rows_from_output(script, done.stdout)
    names = [f"sort by {name}" for name in ("Title", "Weight", "Mood")]
    searches = ("#weight:>500", "#weight:<100 #mood:river", "#mood:=harbour", '#mood:""')
    names += [f"search {text}" for text in searches]
    sorts = (("blocked", "< 50 ms"), ("first page", "< 200 ms"), ("whole order", ""))
    arrives = (("blocked", "< 50 ms"), ("arrives", "< 200 ms"))
    figures = {
        f"{name}, {part}": goal
        for name in names
        for part, goal in (sorts if name.startswith("sort") else arrives)
    }
    assert {figure: goal for figure, _value, goal in rows} == figures
    assert all(value.endswith(" ms") for _, value, _goal in rows)
