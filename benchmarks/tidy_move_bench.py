"""What the safe file path costs: tidy of N books, each with KOReader's sidecar, moved on the
same drive, copied to another drive (the originals deleted once verified), and kept as copies.

    python benchmarks/tidy_move_bench.py [--books 1000] [--size 200000] [--json]
    python benchmarks/tidy_move_bench.py --against REV   # also REV's code, in the same run

Each book is an EPUB padded to `--size` bytes with a sidecar of two files. The other drive is
/dev/shm (a tmpfs) when it is a file system of its own; its figure is left out otherwise.
Prints files/s per mode. Goal: same-drive tidy >= 500 files/s. With `--against REV` the same
figures are measured on REV's code too (a temporary git worktree, in a process of its own,
alternating with this tree's), printed side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, os.environ.get("BOOKORBIT_TREE") or str(Path(__file__).resolve().parents[1]))

from bookorbit_desktop.library.files import mover
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import add_book, make_epub


def _library(base: Path, books: int, size: int, target: Path) -> None:
    open_database(base / "library.sqlite3")
    folder = base / "in"
    padding = os.urandom(size)
    for number in range(books):
        path = make_epub(folder / f"b{number:05}.epub", f"Book {number}", [f"Author {number % 50}"])
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("OEBPS/pad.bin", padding, zipfile.ZIP_STORED)
        sdr = folder / f"b{number:05}.sdr"
        sdr.mkdir()
        (sdr / "metadata.epub.lua").write_text("return {percent_finished = 0.5}\n" * 20)
        (sdr / "metadata.epub.lua.old").write_text("return {}\n")
        add_book(f"Book {number}", [f"Author {number % 50}"], file=path)
    set_setting("library.tidy_folder", str(target))


def run(mode: str, books: int, size: int, target_root: Path) -> float:
    with tempfile.TemporaryDirectory(dir=Path.cwd() if mode != "cross" else None) as tmp:
        base = Path(tmp)
        target = (target_root / f"bench-{os.getpid()}") if mode == "cross" else base / "Library"
        target.mkdir(parents=True)
        try:
            _library(base, books, size, target)
            planned = mover.preview()
            started = time.perf_counter()
            result = mover.tidy(planned, allow_copy=True, keep=mode == "keep")
            elapsed = time.perf_counter() - started
            assert len(result.done) == books and not result.failed, result.failed[:3]
        finally:
            close_database()
            shutil.rmtree(target, ignore_errors=True)
    return books / elapsed


def measure(books: int, size: int) -> dict[str, float]:
    shm = Path("/dev/shm")
    other = shm.is_dir() and shm.stat().st_dev != Path.cwd().stat().st_dev
    figures = {"same drive": run("move", books, size, shm)}
    figures["kept copies"] = run("keep", books, size, shm)
    if other:
        figures["other drive"] = run("cross", books, size, shm)
    return figures


def against(revision: str, books: int, size: int) -> dict[str, float]:
    """The figures of `revision`'s code: this script run with that tree first on the path."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(root), "worktree", "add", "-q", "--detach", str(tree), revision],
            check=True,
        )
        try:
            answer = subprocess.run(
                [sys.executable, __file__, "--json", "--books", str(books), "--size", str(size)],
                env={**os.environ, "BOOKORBIT_TREE": str(tree), "PYTHONPATH": str(tree)},
                cwd=Path.cwd(),
                check=True,
                capture_output=True,
                text=True,
            )
        finally:
            subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(tree)])
    return json.loads(answer.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--books", type=int, default=1000)
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--against", metavar="REV", help="also measure REV's code")
    args = parser.parse_args()
    before = against(args.against, args.books, args.size) if args.against else None
    figures = measure(args.books, args.size)
    if args.json:
        print(json.dumps({k: round(v, 1) for k, v in figures.items()}))
        return
    for name, value in figures.items():
        line = f"tidy, {name:<12} {value:8.1f} files/s ({args.books} books with sidecars)"
        if before is not None and name in before:
            line += f"; {args.against}: {before[name]:.1f} files/s"
        print(line)


if __name__ == "__main__":
    main()
