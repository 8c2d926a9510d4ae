"""A tidy run in a process of its own that stops after its first file and waits to be killed
(tests/library/files/test_mover.py kills it with SIGKILL between two files).

    python -m tests.library.files.tidy_process DB_FILE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from bookorbit_desktop.library.files import mover
from bookorbit_desktop.library.store.db import open_database


def main(db_file: str) -> None:
    open_database(Path(db_file))

    def after_file(move: mover.Move, state: str) -> None:
        print(f"{state} {move.new}", flush=True)
        time.sleep(120)  # killed here, before the next file

    mover.tidy(mover.preview(), on_file=after_file)


if __name__ == "__main__":
    main(sys.argv[1])
