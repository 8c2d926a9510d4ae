"""The library's tables.

The SQL that creates them lives in `migrations.py` (frozen per schema version); a test checks
that these models and the migrated schema agree column for column.
"""

from __future__ import annotations

import json
from typing import Any

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from bookorbit_desktop.library.reading.values import READING_STATUSES as READING_STATUSES

database = DatabaseProxy()


# How a KOReader document id came to point at a book file.
ALIAS_CONTENT = "content"  # KOReader's partial MD5 of the file's bytes
ALIAS_FILENAME = "filename"  # md5 of the file name KOReader saved a download as
ALIAS_MANUAL = "manual"  # the user linked an unknown document to a book
ALIAS_METADATA = "metadata"  # KOReader's title/author metadata matched exactly one book


class JSONText(TextField):
    """A JSON value stored as text."""

    def db_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def python_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)


class BaseModel(Model):
    """Each foreign key `book` also reads as `book_id`, the key alone, without a query; the
    models declare those `_id` attributes so that the type checker knows them too."""

    class Meta:
        database = database
        legacy_table_names = False


class Book(BaseModel):
    id = AutoField()
    title = TextField()
    sort_title = TextField(index=True)
    language = CharField(null=True)
    series = TextField(null=True)
    series_index = FloatField(null=True)
    publisher = TextField(null=True)
    published = CharField(null=True)  # ISO date, possibly partial ("2019" or "2019-05")
    description = TextField(null=True)
    cover_path = TextField(null=True)  # relative to the data dir
    isbn13 = CharField(null=True, index=True)
    isbn10 = CharField(null=True)
    hardcover_id = IntegerField(null=True)
    hardcover_slug = TextField(null=True)
    identifiers = JSONText(default=dict)  # every identifier the file carried, scheme -> value
    added_at = FloatField(index=True)  # Unix seconds
    updated_at = FloatField()
    subtitle = TextField(null=True)  # `book_details_schema`: only the user or a source sets it
    pages = IntegerField(null=True)  # printed pages, as the user or a source gives them

    def author_names(self) -> list[str]:
        """Author names in the order the file lists them."""
        query = (
            Author.select(Author.name)
            .join(BookAuthor)
            .where(BookAuthor.book == self.id)
            .order_by(BookAuthor.position)
        )
        return [author.name for author in query]


class Author(BaseModel):
    id = AutoField()
    name = TextField(unique=True)
    sort_name = TextField(index=True)
    sort_key = TextField(null=True)  # sort_name folded, kept by triggers (author_sort_schema)
    fold = TextField(default="")  # name folded, kept by triggers (author_fold_schema)
    books = IntegerField(default=0)  # its books, kept by triggers (category_tally_schema)


class BookAuthor(BaseModel):
    id = AutoField()
    book = ForeignKeyField(Book, backref="book_authors", on_delete="CASCADE")
    book_id: int
    author = ForeignKeyField(Author, backref="book_authors", on_delete="CASCADE")
    author_id: int
    position = IntegerField()
    role = CharField(default="aut")

    class Meta:
        indexes = ((("book", "position"), True),)


class BookFile(BaseModel):
    id = AutoField()
    book = ForeignKeyField(Book, backref="files", on_delete="CASCADE")
    book_id: int
    path = TextField(unique=True)
    format = CharField()  # lowercase extension: epub, pdf, cbz, mobi, azw3, fb2, ...
    size = IntegerField()
    mtime = FloatField()
    partial_md5 = CharField(index=True)
    missing = BooleanField(default=False)
    added_at = FloatField()


class DocumentAlias(BaseModel):
    """A KOReader document id and the book (file) it stands for.

    A document id is not unique: two different files can share one partial MD5, so one
    document may point at several books. Readers of this table must handle that.
    """

    id = AutoField()
    document = CharField(index=True)
    kind = CharField()
    book = ForeignKeyField(Book, backref="aliases", on_delete="CASCADE")
    book_id: int
    book_file = ForeignKeyField(BookFile, null=True, backref="aliases", on_delete="SET NULL")
    book_file_id: int | None
    created_at = FloatField()

    class Meta:
        indexes = ((("document", "book", "kind"), True),)


class ReadingState(BaseModel):
    book = ForeignKeyField(Book, primary_key=True, backref="reading", on_delete="CASCADE")
    book_id: int
    status = CharField(default="unread")
    progress = FloatField(default=0.0)  # fraction 0..1
    koreader_progress = TextField(null=True)  # last KOReader position string, byte-exact
    started = CharField(null=True)  # ISO date
    finished = CharField(null=True)  # ISO date
    rating = FloatField(null=True)  # 0.5 .. 5 in half steps
    updated_at = FloatField()
    # Where each date came from (`library.reading.sources`): user, history, sync, hardcover.
    started_source = TextField(null=True)
    finished_source = TextField(null=True)


class ProgressEvent(BaseModel):
    """Every position any device pushed, linked or not."""

    id = AutoField()
    document = CharField()
    book = ForeignKeyField(Book, null=True, backref="progress_events", on_delete="SET NULL")
    book_id: int | None
    device = TextField()
    device_id = TextField(null=True)
    percentage = FloatField()
    progress = TextField()
    timestamp = IntegerField()  # server clock, Unix seconds
    meta_title = TextField(null=True)
    meta_authors = TextField(null=True)
    meta_filename = TextField(null=True)

    class Meta:
        indexes = (
            (("document", "id"), False),
            (("book", "id"), False),
        )


class Setting(BaseModel):
    key = CharField(primary_key=True)
    value = JSONText()


class HardcoverMatch(BaseModel):
    """How one local book is linked to a Hardcover book and edition."""

    book = ForeignKeyField(Book, primary_key=True, backref="hardcover", on_delete="CASCADE")
    book_id: int
    state = CharField(default="unmatched")
    reason = TextField(null=True)
    hc_book_id = IntegerField(null=True)
    hc_edition_id = IntegerField(null=True)
    edition_pages = IntegerField(null=True)
    pinned = BooleanField(default=False)  # a user's pick; never overwritten by re-matching
    user_book_id = IntegerField(null=True)
    created_by_us = BooleanField(default=False)  # we inserted the Hardcover library entry
    candidates = JSONText(default=list)
    method = CharField(
        null=True
    )  # how it was linked: hardcover_id, hardcover_edition, isbn13, isbn10, search, pick
    fingerprint = TextField(null=True)  # the book's metadata when matched; a change re-matches
    updated_at = FloatField()
    lead = BooleanField(default=False)  # the copy that speaks for its Hardcover book
    hc_rating = FloatField(null=True)  # the linked Hardcover book's readers' average, checked


class SyncOutbox(BaseModel):
    """A book whose reading state changed and is waiting to reach Hardcover.

    `kinds` maps each kind of change (status, progress, rating, link, settings) to when it was
    first queued; the sync worker waits a little per kind so bursts coalesce into one push.
    """

    book = ForeignKeyField(Book, primary_key=True, backref="outbox", on_delete="CASCADE")
    book_id: int
    kinds = JSONText(default=dict)
    queued_at = FloatField()
    attempts = IntegerField(default=0)
    retry_at = FloatField(null=True)
    last_error = TextField(null=True)
    blocked = TextField(null=True)  # a permanent error: not retried until the book changes
    version = IntegerField(default=1)  # bumped by every change: a push takes what it sent
    held = TextField(null=True)  # the user cancelled: waits for their next sync or a change

    class Meta:
        table_name = "sync_outbox"


class HardcoverSync(BaseModel):
    """What Hardcover last confirmed for a book, and the local state it was reconciled with."""

    book = ForeignKeyField(Book, primary_key=True, backref="hardcover_sync", on_delete="CASCADE")
    book_id: int
    hc_book_id = IntegerField(null=True)
    user_book_id = IntegerField(null=True)
    snapshot = JSONText(default=dict)
    state = CharField(index=True)
    reason = TextField(null=True)
    confirmed_at = FloatField(null=True)
    updated_at = FloatField()


class SyncLog(BaseModel):
    """One sync attempt for one book (or the whole pass): what was sent and how it ended."""

    id = AutoField()
    at = FloatField()
    book = ForeignKeyField(Book, null=True, backref="sync_log", on_delete="SET NULL")
    book_id: int | None
    title = TextField(null=True)
    outcome = CharField()
    actions = JSONText(default=list)
    error = TextField(null=True)

    class Meta:
        indexes = ((("book", "id"), False),)


class SyncLease(BaseModel):
    """Which process may push to Hardcover now; a holder renews it while it works."""

    name = CharField(primary_key=True)
    holder = TextField()
    expires_at = FloatField()


# The core tables; `channel_tables.ALL_MODELS` adds those of KOReader's other channels.
CORE_MODELS: tuple[type[BaseModel], ...] = (
    Book,
    Author,
    BookAuthor,
    BookFile,
    DocumentAlias,
    ReadingState,
    ProgressEvent,
    Setting,
    HardcoverMatch,
    SyncOutbox,
    HardcoverSync,
    SyncLog,
    SyncLease,
)


class BookChange(BaseModel):
    """A change to a book, numbered in order; appended only by the triggers of migration
    `_v9_change_log_appends` and read and compacted through `store.changes`."""

    seq = AutoField()
    book_id = IntegerField()
