"""Import speed: a generated library and, optionally, a folder of your own, whole process.

    python benchmarks/import_bench.py [--count 2000] [--folder DIR] [--keep DIR] [--runs 3]
                                      [--books 250000] [--into-books 250000] [--app DIR]
                                      [--profile] [--small] [--slices N]

For each library it runs `bookorbit-desktop import` as a separate process (start-up included,
as a user sees it) into a fresh data folder and prints files/s, the worker processes the import
used, the peak RSS of the largest process, and the time of a second import with nothing
changed (target: >= 20x faster than the first); with `--runs N`, each library is imported N
times and the best and median rates are printed. It also imports the generated library in this
process reading one file at a time (`workers=0`, no process start), to show what the workers
add. Covers are only checked at import and made when first shown, so the figures include no
cover resizing. Figures from a machine busy with other work are noisy; the load average is
printed with them, and so is the CPU time of the import process and its workers per file,
which other work disturbs much less (with it, the rate two idle cores would reach).

With `--books N`, the unchanged re-import is also timed with a library of N books (N small
files on disk, their rows written straight into a fresh library): that figure is then the
JSON's "unchanged re-import". So is the import of the same folder with one new EPUB half-way
through it ("re-import with one new file", into a copy of that library each run): the unchanged
files of a run that has something to write should cost what they cost when nothing is new.
With `--into-books N`, the generated EPUBs are also imported into a library already holding N
books (generated rows with authors, series, files, reading states and details, written once and
kept in `work`; each run imports into a fresh copy of it): files/s and CPU a file there, which is
where a cost that grows with the library shows. `--app DIR` runs the import processes from the
source tree DIR (another commit's checkout, for side-by-side figures on the same libraries). The
libraries are written by this checkout's code, so DIR must read its schema: an import that
does not answer as expected stops the benchmark rather than giving a figure.
With `--profile`, the generated library is imported in this
process under cProfile (CPU time), into the library of `--into-books` books if given: the
importing process's functions and the SQL statements it ran (the triggers' among them), then the
readers' (`prepare_file` run here on the same files), by own time.

Targets on a two-core machine: >= 360 files/s for the generated library and >= 53 files/s for
a folder of real EPUB/FB2/MOBI files (ten times calibre 6.13's `calibredb add -r` there), peak
memory under 150 MB.

The books look like real ones: EPUB 3 with an OPF listing title, authors, language, ISBN,
series and a cover, a navigation document and a dozen chapters of text. Half the covers are
store-sized (1200x1800, resized on import), half already small (600x900, kept as they are).
With `--small` they are thumbnails (180x270 and 120x180) and the chapters 100 words each, about
20 KB a book (a full one is about 480 KB): 250,000 of them fit in 5 GB. The import reads the
same parts of them (the KOReader digest's samples, the OPF, the cover's header), so what grows
with the library shows as it would with full books; the readers' share is a little smaller.
With `--slices N`, the import is watched as it runs and its files/s and CPU a file are printed
for each N books (`import_timeline.py`): the figures of a 250,000-book first import
(`--count 250000 --small --slices 25000 --no-serial`) as the library fills.
"""

from __future__ import annotations

import argparse
import collections
import compileall
import contextlib
import cProfile
import functools
import io
import json
import multiprocessing
import os
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import psutil
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generated_library import insert_books
from benchmarks.import_timeline import Timeline
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.metadata.isbn import isbn13_check_digit
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database

WORDS = [
    "orbit",
    "light",
    "river",
    "stone",
    "quiet",
    "harbour",
    "winter",
    "letter",
    "garden",
    "morning",
    "reader",
    "signal",
    "distance",
    "paper",
    "window",
    "silver",
    "question",
    "mountain",
    "library",
    "evening",
    "story",
    "promise",
]
CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def cover_image(width: int, height: int, seed: int) -> bytes:
    """A JPEG with gradients, shapes and noise, so it compresses like a real cover."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x, y, x + rng.randrange(20, width // 2), y + rng.randrange(20, 300)), colour)
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    image = Image.blend(image, noise, 0.25)
    output = io.BytesIO()
    image.save(output, "JPEG", quality=88)
    return output.getvalue()


def make_book(
    path: Path,
    number: int,
    cover: bytes,
    rng: random.Random,
    texts: Sequence[str] | None = None,
) -> None:
    """One book; its chapters' text drawn from `texts` if given, else made word by word."""
    title = " ".join(rng.choice(WORDS).title() for _ in range(rng.randrange(2, 6)))
    author = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}son"
    core = f"978{number:09d}"
    isbn = core + isbn13_check_digit(core)
    chapters = 12
    manifest = "".join(
        f'<item id="c{i}" href="text/c{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(chapters)
    )
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(chapters))
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">
 <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:identifier id="uid">urn:uuid:00000000-0000-4000-8000-{number:012d}</dc:identifier>
  <dc:identifier>urn:isbn:{isbn}</dc:identifier>
  <dc:title>{title} {number}</dc:title>
  <dc:creator id="a1">{author}</dc:creator>
  <meta refines="#a1" property="role" scheme="marc:relators">aut</meta>
  <dc:language>en</dc:language>
  <dc:publisher>Orbit House</dc:publisher>
  <dc:date>2019-05-03</dc:date>
  <dc:description>&lt;p&gt;A generated book, number {number}.&lt;/p&gt;</dc:description>
  <meta property="belongs-to-collection" id="s1">{rng.choice(WORDS).title()} Cycle</meta>
  <meta refines="#s1" property="collection-type">series</meta>
  <meta refines="#s1" property="group-position">{number % 7 + 1}</meta>
  <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
 </metadata>
 <manifest>
  <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
  <item id="cover" href="images/cover.jpg" media-type="image/jpeg" properties="cover-image"/>
  {manifest}
 </manifest>
 <spine>{spine}</spine>
</package>"""
    buffer = io.BytesIO()  # written whole: the zip module's seeks and writes, once each
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OEBPS/content.opf", opf)
        archive.writestr("OEBPS/nav.xhtml", "<html><body><nav epub:type='toc'/></body></html>")
        archive.writestr("OEBPS/images/cover.jpg", cover, zipfile.ZIP_STORED)
        for i in range(chapters):
            if texts is None:
                text = " ".join(rng.choice(WORDS) for _ in range(3000))
            else:
                text = rng.choice(texts)
            archive.writestr(f"OEBPS/text/c{i}.xhtml", f"<html><body><p>{text}</p></body></html>")
    path.write_bytes(buffer.getvalue())


# `--small`: thumbnail covers and short chapters (100 words, from a few dozen), about 20 KB a
# book, so 250,000 books take about 5 GB, not 120; made on two processes, a shelf each.
SMALL_COVERS = ((180, 270), (120, 180))
SMALL_CHAPTERS = 64
SMALL_CHAPTER_WORDS = 100
SHELF = 250


def generate(folder: Path, count: int, *, small: bool = False) -> None:
    if small:
        shelves = [(folder, first, min(first + SHELF, count)) for first in range(0, count, SHELF)]
        with multiprocessing.Pool(2) as pool:
            for _ in pool.imap_unordered(_small_shelf, shelves):
                pass
        return
    rng = random.Random(1)
    covers = [cover_image(1200, 1800, 1), cover_image(600, 900, 2)]
    for number in range(count):
        shelf = folder / f"shelf-{number // SHELF:02d}"
        shelf.mkdir(parents=True, exist_ok=True)
        make_book(shelf / f"book-{number:05d}.epub", number, covers[number % 2], rng)


@functools.cache
def _small_parts() -> tuple[list[bytes], list[str]]:
    """The covers and chapter texts the small books share."""
    covers = [cover_image(*size, seed) for seed, size in enumerate(SMALL_COVERS, 1)]
    rng = random.Random(2)
    texts = [
        " ".join(rng.choice(WORDS) for _ in range(SMALL_CHAPTER_WORDS))
        for _ in range(SMALL_CHAPTERS)
    ]
    return covers, texts


def _small_shelf(shelf: tuple[Path, int, int]) -> None:
    """The small books numbered `first` up to `end`, in a shelf folder of their own."""
    folder, first, end = shelf
    covers, texts = _small_parts()
    rng = random.Random(first)
    place = folder / f"shelf-{first // SHELF:02d}"
    place.mkdir(parents=True, exist_ok=True)
    for number in range(first, end):
        make_book(place / f"book-{number:05d}.epub", number, covers[number % 2], rng, texts)


def import_process(
    books: Path, data_dir: Path, app: Path | None = None, timeline: Timeline | None = None
) -> tuple[float, float, float, str, float]:
    """(seconds, peak RSS MiB of the largest process, peak RSS MiB of the process and its
    workers together, sampled every 20 ms, log line, CPU seconds of the process and the
    workers it waited for) of one `import` process, run from the source tree `app` if given,
    sampled into `timeline` as it runs if given."""
    command = [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir)]
    env = None if app is None else {**os.environ, "PYTHONPATH": str(app)}
    started = time.perf_counter()
    child = subprocess.Popen(
        [*command, "import", str(books)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=app,
        env=env,
    )
    watched = psutil.Process(child.pid)
    together = 0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        with contextlib.suppress(psutil.Error):
            family = [watched, *watched.children(recursive=True)]
            total = 0
            for process in family:
                with contextlib.suppress(psutil.Error):
                    total += process.memory_info().rss
            together = max(together, total)
            if timeline is not None:
                timeline.sample(watched, time.perf_counter() - started)
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is KiB on Linux, bytes on macOS; wait4 reports the largest of the process and
    # the workers it waited for.
    scale = 1 if sys.platform == "darwin" else 1024
    logs = sorted(data_dir.rglob("*.log"))
    lines = [line for log in logs for line in log.read_text().splitlines() if "Import:" in line]
    line = lines[-1] if lines else ""
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss * scale / 2**20, together / 2**20, line, cpu


def measure(
    name: str,
    books: Path,
    work: Path,
    runs: int,
    app: Path | None = None,
    slices: int | None = None,
) -> tuple[float, float, float]:
    """Import `books` `runs` times into fresh data folders; return the best files/s, the
    seconds of the unchanged import and the least CPU milliseconds a file. With `slices`,
    each run's rate and CPU a file are also printed for each `slices` books."""
    count = sum(1 for p in books.rglob("*") if p.is_file())
    data_dir = work / f"data-{name}"
    rates, cpus, timelines = [], [], []
    for _ in range(runs):
        shutil.rmtree(data_dir, ignore_errors=True)
        timeline = None if slices is None else Timeline(resolve_paths(data_dir).db_file, slices)
        first, first_rss, first_all, line, cpu = import_process(books, data_dir, app, timeline)
        if timeline is not None:
            timeline.finish(first, count, cpu)
            timelines.append(timeline)
        rates.append(count / first)
        cpus.append(cpu)
    second, second_rss, _, _, _ = import_process(books, data_dir, app)
    workers = line.rsplit("(", 1)[-1].split()[0] if "worker" in line else "?"
    print(f"{name}: {count} files")
    print(f"  first import:     {first:.2f} s = {count / first:.0f} files/s ({workers} workers)")
    if runs > 1:
        print(
            f"  over {runs} runs:    best {max(rates):.0f} files/s, "
            f"median {statistics.median(rates):.0f} files/s"
        )
    cpu = min(cpus)
    print(
        f"  CPU:              {cpu * 1000 / count:.2f} ms a file (import process and workers, "
        f"start-up included; spread over two idle cores: ~{2 * count / cpu:.0f} files/s)"
    )
    print(
        f"  peak RSS:         {max(first_rss, second_rss):.0f} MiB (largest process), "
        f"{first_all:.0f} MiB (import process and workers together)"
    )
    print(f"  unchanged import: {second:.3f} s = {first / second:.0f}x faster")
    print(f"  log: {line.split('Import:', 1)[-1].strip()}")
    for timeline in timelines:
        timeline.report()
    return max(rates), second, cpu * 1000 / count


def serial_in_process(books: Path, work: Path, count: int) -> float:
    paths = resolve_paths(work / "data-serial")
    shutil.rmtree(paths.data_dir, ignore_errors=True)
    paths.ensure()
    open_database(paths.db_file)
    try:
        started = time.perf_counter()
        summary = import_paths([books], paths, workers=0)
        seconds = time.perf_counter() - started
    finally:
        close_database()
    assert summary.imported == count and not summary.failures, summary
    print(f"one file at a time, in this process: {seconds:.2f} s = {count / seconds:.0f} files/s")
    return count / seconds


def known_library(work: Path, books: int) -> tuple[Path, Path]:
    """(folder, data folder): `books` small files, each a book the library already holds with
    that file's size and time, made once and kept in `work`."""
    folder, data_dir = work / f"known-{books}", work / f"data-known-{books}"
    done = work / f"known-{books}.done"
    if done.exists():
        # A run of `one_new_at_size` killed before it removed its file would have the next
        # unchanged re-import add it to this kept library for good.
        _new_file(folder, books).unlink(missing_ok=True)
        return folder, data_dir
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(data_dir, ignore_errors=True)
    started = time.perf_counter()
    rows = []
    for number in range(books):
        shelf = folder / f"shelf-{number // 500:04d}"
        if number % 500 == 0:
            shelf.mkdir(parents=True)
        path = shelf / f"book-{number:06d}.epub"
        path.write_bytes(b"PK")
        stat = path.stat()
        rows.append((number + 1, str(path), stat.st_size, stat.st_mtime, f"{number:032x}"))
    paths = resolve_paths(data_dir)
    paths.ensure()
    database = open_database(paths.db_file)
    try:
        with database.atomic():
            database.cursor().executemany(
                "INSERT INTO book (id, title, sort_title, identifiers, added_at, updated_at) "
                "VALUES (?, 'Known', 'known', '{}', 0, 0)",
                [(row[0],) for row in rows],
            )
            database.cursor().executemany(
                "INSERT INTO book_file (book_id, path, format, size, mtime, partial_md5, "
                "missing, added_at) VALUES (?, ?, 'epub', ?, ?, ?, 0, 0)",
                rows,
            )
    finally:
        close_database()
    done.touch()
    print(f"made a library of {books:,} known files in {time.perf_counter() - started:.0f} s")
    return folder, data_dir


def unchanged_at_size(work: Path, books: int, runs: int = 3, app: Path | None = None) -> float:
    """Seconds of the fastest of `runs` unchanged re-imports of a library of `books` books,
    run from the source tree `app` if given."""
    folder, data_dir = known_library(work, books)
    times = []
    for _ in range(runs):
        seconds, _, _, line, cpu = import_process(folder, data_dir, app)
        # An import that answered otherwise (a tree that cannot open this library's schema)
        # is no figure of an unchanged re-import.
        assert f"0 new, 0 copies, 0 moved, 0 updated, {books} unchanged" in line, line
        times.append(seconds)
    print(
        f"unchanged re-import, {books:,} books: best {min(times):.3f} s, "
        f"median {statistics.median(times):.3f} s (CPU {cpu:.2f} s; target < 1 s)"
    )
    return min(times)


def one_new_at_size(work: Path, books: int, runs: int = 3, app: Path | None = None) -> float:
    """Seconds of the fastest of `runs` imports of the folder of a library of `books` known
    books with one new EPUB added half-way through them (each run into a fresh copy of the
    library, so the file is new every time), run from the source tree `app` if given."""
    folder, data_dir = known_library(work, books)
    new = _new_file(folder, books)
    make_book(new, books, cover_image(600, 900, 2), random.Random(books))
    scratch = resolve_paths(work / f"data-known-{books}-plus-one")
    times, cpus = [], []
    try:
        for _ in range(runs):
            shutil.rmtree(scratch.data_dir, ignore_errors=True)
            scratch.ensure()
            shutil.copyfile(resolve_paths(data_dir).db_file, scratch.db_file)
            seconds, _, _, line, cpu = import_process(folder, scratch.data_dir, app)
            assert f"1 new, 0 copies, 0 moved, 0 updated, {books} unchanged" in line, line
            times.append(seconds)
            cpus.append(cpu)
    finally:
        new.unlink()
        shutil.rmtree(scratch.data_dir, ignore_errors=True)
    print(
        f"one new file among {books:,} known: best {min(times):.3f} s, "
        f"median {statistics.median(times):.3f} s (CPU {min(cpus):.2f} s)"
    )
    return min(times)


def _new_file(folder: Path, books: int) -> Path:
    """Where `one_new_at_size` puts its new EPUB: half-way through the known books."""
    return folder / f"shelf-{books // 1000:04d}" / "book-new.epub"


def library_of(work: Path, books: int) -> Path:
    """The database file of a library of `books` generated books, made once and kept in
    `work`."""
    library = resolve_paths(work / f"into-{books}")
    done = work / f"into-{books}.done"
    if done.exists():
        return library.db_file
    shutil.rmtree(library.data_dir, ignore_errors=True)
    library.ensure()
    started = time.perf_counter()
    open_database(library.db_file)
    try:
        insert_books(books, random.Random(7), files=True, states=True, details=True)
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        close_database()
    done.touch()
    print(f"made a library of {books:,} books in {time.perf_counter() - started:.0f} s")
    return library.db_file


def into_library(
    books: Path, work: Path, library: int, runs: int, app: Path | None = None
) -> tuple[float, float]:
    """(best files/s, least CPU ms a file) of importing `books` into a fresh copy of a
    library of `library` books, `runs` times."""
    source = library_of(work, library)
    count = sum(1 for p in books.rglob("*") if p.is_file())
    scratch = resolve_paths(work / f"data-into-{library}")
    rates, cpus = [], []
    try:
        for _ in range(runs):
            shutil.rmtree(scratch.data_dir, ignore_errors=True)
            scratch.ensure()
            shutil.copyfile(source, scratch.db_file)
            seconds, _, _, line, cpu = import_process(books, scratch.data_dir, app)
            assert f"{count} new" in line, line
            rates.append(count / seconds)
            cpus.append(cpu * 1000 / count)
    finally:
        shutil.rmtree(scratch.data_dir, ignore_errors=True)
    print(
        f"import of {count} files into {library:,} books: best {max(rates):.0f} files/s, "
        f"median {statistics.median(rates):.0f} files/s; CPU {min(cpus):.2f} ms a file "
        f"(median {statistics.median(cpus):.2f})"
    )
    return max(rates), min(cpus)


_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


def _statements(counts: dict[str, int]) -> Callable[[str], None]:
    """A trace callback counting the statements SQLite runs, by their text with the values
    taken out (SQLite reports each trigger a statement runs as the statement once more, and
    the search index's own statements on its tables as comments)."""

    def traced(sql: str) -> None:
        counts[_LITERAL.sub("?", " ".join(sql.split()))[:110]] += 1

    return traced


def profile(books: Path, work: Path, count: int, library: int | None = None) -> None:
    """Where an import's CPU time goes: the importing process and its SQL (into a copy of a
    library of `library` books if given), then the readers."""
    from bookorbit_desktop.library.importer.prepare import prepare_file

    paths = resolve_paths(work / "data-profile")
    shutil.rmtree(paths.data_dir, ignore_errors=True)
    paths.ensure()
    if library:
        shutil.copyfile(library_of(work, library), paths.db_file)
    open_database(paths.db_file)
    counts: collections.Counter[str] = collections.Counter()
    database.connection().set_trace_callback(_statements(counts))
    profiler = cProfile.Profile(time.process_time)
    try:
        profiler.enable()
        summary = import_paths([books], paths)
        profiler.disable()
    finally:
        database.connection().set_trace_callback(None)
        close_database()
        shutil.rmtree(paths.data_dir, ignore_errors=True)
    into = f" into {library:,} books" if library else ""
    print(f"\nimporting process{into} ({summary.workers} workers), by own CPU time:")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    print(f"SQL statements run: {sum(counts.values()):,}, the most run:")
    for sql, times in counts.most_common(25):
        print(f"  {times:7,}  {sql}")
    readers = cProfile.Profile(time.process_time)
    files = sorted(books.rglob("*.epub"))[:count]
    readers.enable()
    for path in files:
        prepare_file(path)
    readers.disable()
    print(f"readers (prepare_file on {len(files)} files, in this process), by own CPU time:")
    pstats.Stats(readers).sort_stats("tottime").print_stats(20)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="number of EPUBs (2000)")
    parser.add_argument("--folder", metavar="DIR", help="also import this folder of ebooks")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it afterwards")
    parser.add_argument("--no-serial", action="store_true", help="skip the one-at-a-time run")
    parser.add_argument("--runs", type=int, default=1, help="imports per library (1)")
    parser.add_argument(
        "--books", type=int, help="also time the unchanged re-import of a library this big"
    )
    parser.add_argument(
        "--into-books", type=int, help="also import into a library already holding this many"
    )
    parser.add_argument("--app", metavar="DIR", help="run the imports from this source tree")
    parser.add_argument(
        "--small", action="store_true", help="generate small EPUBs (thumbnail cover, short text)"
    )
    parser.add_argument(
        "--slices", type=int, metavar="N", help="print files/s and CPU a file for each N books"
    )
    parser.add_argument("--profile", action="store_true", help="print where the CPU time goes")
    parser.add_argument("--json", action="store_true", help="end with the figures as JSON")
    args = parser.parse_args()
    # The app's bytecode cache written first, as every import but an installed copy's very
    # first finds it (PYTHONDONTWRITEBYTECODE would otherwise compile each module each time).
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "bookorbit_desktop", quiet=1)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bookorbit-bench-"))
    try:
        books = work / "books"
        if not books.is_dir() or sum(1 for _ in books.rglob("*.epub")) != args.count:
            shutil.rmtree(books, ignore_errors=True)
            started = time.perf_counter()
            generate(books, args.count, small=args.small)
            print(f"generated {args.count} EPUBs in {time.perf_counter() - started:.1f} s")
        # The corpus written to disk first: its write-back (about 1 GB) is not the import's.
        os.sync()
        size = sum(p.stat().st_size for p in books.rglob("*.epub")) / 2**20
        print(f"load average before: {os.getloadavg()[0]:.2f} (2-core figures are noisy above 0.5)")
        app = Path(args.app).resolve() if args.app else None
        parallel, unchanged, cpu = measure(
            f"generated ({size:.0f} MiB)", books, work, args.runs, app, args.slices
        )
        if args.folder:
            measure(str(args.folder), Path(args.folder).resolve(), work, args.runs)
        unchanged_goal = "< 1 s"
        one_new = None
        if args.books:
            unchanged = unchanged_at_size(work, args.books, app=app)
            unchanged_goal = f"< 1 s at {args.books:,} books"
            one_new = one_new_at_size(work, args.books, app=app)
        into = None
        if args.into_books:
            into = into_library(books, work, args.into_books, args.runs, app)
        if args.profile:
            profile(books, work, args.count, args.into_books)
        if not args.no_serial:
            serial = serial_in_process(books, work, args.count)
            print(f"best whole-process import / one at a time in process: {parallel / serial:.2f}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        if args.json:  # the last line, for benchmarks/scale_table.py
            figures = {
                "import files/s": f"{parallel:,.0f} files/s",
                # What a busy machine bends least: the import process's and its workers' CPU.
                "import CPU a file": f"{cpu:.3f} ms",
                "unchanged re-import": unchanged * 1000,
            }
            goals = {
                "import files/s": ">= 1,000 files/s on 2 cores",
                "import CPU a file": "<= 2 ms (1,000 files/s on 2 idle cores)",
                "unchanged re-import": unchanged_goal,
            }
            if one_new is not None:
                figures["re-import with one new file"] = one_new * 1000
                goals["re-import with one new file"] = f"{unchanged_goal}, as with none"
            if into is not None:
                at = f"at {args.into_books:,} books"
                figures[f"import files/s {at}"] = f"{into[0]:,.0f} files/s"
                figures[f"import CPU a file {at}"] = f"{into[1]:.3f} ms"
                goals[f"import files/s {at}"] = ">= 1,000 files/s on 2 cores"
                goals[f"import CPU a file {at}"] = "<= 2 ms"
            print(json.dumps({"figures": figures, "goals": goals}))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
