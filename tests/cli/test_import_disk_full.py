"""A disk that fills up during `import` (a real small tmpfs in a private mount namespace): the
message names the full disk and the folder, and every file reported imported is in the
library afterwards."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_epub

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="tmpfs")

BOOKS = 700
# Room for the empty library (0.65 MB) and a few batches, not all: 700 books take 4.3 MB.
DISK = "3200k"


def test_a_full_disk_is_named_and_only_committed_files_are_reported(tmp_path):
    if (
        shutil.which("unshare") is None
        or subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode
    ):
        pytest.skip("private mount namespaces need root here")
    books = tmp_path / "books"
    for number in range(BOOKS):
        make_epub(books / f"b{number:03}.epub", f"Book {number} " + "x" * 200, ("Someone",))
    data = tmp_path / "data"
    data.mkdir()
    script = Path(sys.executable).with_name("bookorbit-desktop")
    app = f"{script}" if script.exists() else f"{sys.executable} -m bookorbit_desktop"
    out = tmp_path / "out"
    out.mkdir()
    shell = (
        f'mount -t tmpfs -o size={DISK} tmpfs "{data}" && '
        f'{app} --data-dir "{data}" import "{books}" > "{out}/import.out" 2> "{out}/import.err"; '
        f'echo $? > "{out}/code"; '
        f'{app} --data-dir "{data}" books --json > "{out}/books.json" 2> "{out}/books.err"'
    )
    subprocess.run(["unshare", "-m", "sh", "-c", shell], timeout=300, check=False)
    code = int((out / "code").read_text())
    err = (out / "import.err").read_text()
    listed = json.loads((out / "books.json").read_text())
    reported = [line for line in err.splitlines() if "] imported: " in line]
    assert code == 2, err[-2000:]
    assert "Traceback" not in err and "no transaction is active" not in err
    assert f"Disk full: The disk holding the library ({data}) is full" in err
    assert 0 < len(reported) < BOOKS
    titles = {book["title"] for book in listed}
    assert len(listed) == len(reported), (len(listed), len(reported))
    for line in reported:
        number = int(line.rsplit("/b", 1)[1].split(".")[0])
        assert f"Book {number} " + "x" * 200 in titles
