"""The files of books the user removed from the library, remembered by path, size and
modification time, so that importing their folder again (by hand or a watched folder) leaves
them out until the file changes. The table's SQL is the migration `removal_schema`.
"""

from __future__ import annotations

from peewee import CharField, FloatField, IntegerField, TextField

from bookorbit_desktop.library.store.models import BaseModel, BookFile
from bookorbit_desktop.library.store.typed import tuples


class RemovedFile(BaseModel):
    path = TextField(primary_key=True)
    size = IntegerField()
    mtime = FloatField()
    partial_md5 = CharField()  # KOReader's document id of the file, as it was
    removed_at = FloatField()  # Unix seconds

    class Meta:
        table_name = "removed_file"


def remember(files: list[BookFile], now: float) -> None:
    """Remember the files of a book being removed (call inside the removal's transaction)."""
    for file in files:
        RemovedFile.replace(
            path=file.path,
            size=file.size,
            mtime=file.mtime,
            partial_md5=file.partial_md5,
            removed_at=now,
        ).execute()


def removed_stats() -> dict[str, tuple[int, float]]:
    """Every remembered file: path -> (size, mtime)."""
    query = RemovedFile.select(RemovedFile.path, RemovedFile.size, RemovedFile.mtime)
    return {path: (int(size), float(mtime)) for path, size, mtime in tuples(query)}


def forget(path: str) -> None:
    """The file at `path` comes back into the library (it changed, or the user chose it)."""
    RemovedFile.delete().where(RemovedFile.path == path).execute()
