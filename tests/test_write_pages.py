"""`benchmarks/write_pages.py`: the pages a write puts in the write-ahead log, by table and
index, and `make bench-ab` reading them as a figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookorbit_desktop.library.reading.batched_pushes import record_pushes
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store.checkpoint import no_inline_checkpoints
from bookorbit_desktop.library.store.models import database
from tests.benchmark_scripts import load

write_pages = load("write_pages")
ab = load("ab")


def _push(document: str, percentage: float) -> None:
    push = Push(document, "/body/DocFragment[2]/body/p[3]/text().0", percentage, "dev", "D1")
    with database.atomic("IMMEDIATE"):
        record_pushes([(push, 1_700_000_000)])


def _log_frames(db_file: Path) -> int:
    log = Path(f"{db_file}-wal").read_bytes()
    page_size = int.from_bytes(log[8:12], "big")
    return (len(log) - 32) // (24 + page_size)


def test_the_pages_since_the_mark_are_the_logs_new_frames_named_by_their_tables(library):
    no_inline_checkpoints()
    _push("0" * 32, 0.1)  # pushed before the mark: not counted
    mark = write_pages.mark_log(library.db_file)
    before = _log_frames(library.db_file)
    _push("1" * 32, 0.2)

    pages = write_pages.pages_since(library.db_file, mark)

    assert sum(pages.values()) == _log_frames(library.db_file) - before > 0
    assert pages["progress_event"] >= 1  # the event of a document no book has
    assert pages["progress_event_document_id"] >= 1
    assert "reading_state" not in pages


def test_a_log_started_again_in_between_is_no_count(library):
    no_inline_checkpoints()
    mark = write_pages.mark_log(library.db_file)
    _push("1" * 32, 0.2)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    _push("2" * 32, 0.3)  # into a new log, with new salts

    with pytest.raises(write_pages.LogRestarted):
        write_pages.pages_since(library.db_file, mark)


def test_the_import_batches_hold_their_files_whatever_the_machines_speed():
    limits = (
        write_pages.batch.BATCH_SECONDS,
        write_pages.batch.MAX_BATCH_SECONDS,
        write_pages.run.BATCH_SECONDS,
    )
    with write_pages.batches_by_count():
        files, seconds = write_pages.batch.batch_limits(250_000)
        assert files == 4 * write_pages.batch.BATCH_FILES
        assert seconds >= 3600
        assert write_pages.run.BATCH_SECONDS >= 3600
    after = (
        write_pages.batch.BATCH_SECONDS,
        write_pages.batch.MAX_BATCH_SECONDS,
        write_pages.run.BATCH_SECONDS,
    )
    assert after == limits


@pytest.mark.parametrize(
    ("figures", "read"),
    [
        ({"a push: pages": "5.69 pages"}, {"a push: pages": 5.69}),
        ({"an imported file: pages": "1,204.5 pages"}, {"an imported file: pages": 1204.5}),
        ({"import": "1,017 files/s, p99 4.1 ms"}, {"import files/s": 1017.0, "import p99 ms": 4.1}),
    ],
)
def test_bench_ab_reads_pages_as_a_figure_where_fewer_is_better(figures, read):
    line = '{"figures": ' + str(figures).replace("'", '"') + "}"

    assert ab.figures_of(f"some text\n{line}\n") == read
    assert not any(ab.higher_is_better(figure) for figure in read if figure.endswith("pages"))


@pytest.mark.usefixtures("paths")  # a data folder of the test's own, whatever writes to one
def test_the_benchmark_counts_the_same_pages_on_every_run(tmp_path):
    first = write_pages.push_pages(tmp_path / "first", books=300, batches=6, per_commit=4)
    second = write_pages.push_pages(tmp_path / "second", books=300, batches=6, per_commit=4)
    assert first == second
    assert {"reading_state", "progress_event_document_id", "sync_outbox"} <= set(first)

    imported = write_pages.import_pages(tmp_path / "import", books=200, files=12)
    assert {"book", "book_file", "book_sort_key_title"} <= set(imported)
