"""The tables of what KOReader's other channels bring: reading history from its statistics,
highlights and notes (with the proposals and journal entries they lead to), and the devices
books were sent to. Like `models`, their SQL lives in `migrations.py`."""

from __future__ import annotations

from peewee import (
    AutoField,
    CharField,
    CompositeKey,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from bookorbit_desktop.library.store.fetched_metadata import MetadataCandidate, MetadataFetch
from bookorbit_desktop.library.store.inbox import InboxEntry
from bookorbit_desktop.library.store.models import (
    CORE_MODELS,
    BaseModel,
    Book,
    BookChange,
    JSONText,
)
from bookorbit_desktop.library.store.removed_files import RemovedFile
from bookorbit_desktop.library.store.tag_tables import BookTag, Tag
from bookorbit_desktop.library.store.tidy_tables import TidyBatch, TidyMove
from bookorbit_desktop.library.store.user_edits import BookEdit


class HistoryBook(BaseModel):
    """A book as KOReader's statistics name it (title, authors, md5), with its totals."""

    id = AutoField()
    title = TextField()
    authors = TextField()
    md5 = CharField(index=True)  # KOReader's partial MD5; "" when the file had none
    pages = IntegerField(null=True)  # the page count of the newest file that knew it
    fingerprint = TextField(null=True)  # the book's rows in the last file imported
    read_seconds = IntegerField()
    pages_read = IntegerField()
    sessions = IntegerField()
    first_read = IntegerField(null=True)  # Unix seconds
    last_read = IntegerField(null=True)
    updated_at = FloatField()

    class Meta:
        indexes = ((("title", "authors", "md5"), True),)


class HistoryPage(BaseModel):
    """One of KOReader's page records, merged from every file: never deleted."""

    history_book = ForeignKeyField(HistoryBook, on_delete="CASCADE")
    history_book_id: int
    page = IntegerField()
    start_time = IntegerField()
    duration = IntegerField()
    total_pages = IntegerField()

    class Meta:
        primary_key = CompositeKey("history_book", "page", "start_time")
        without_rowid = True


class HistorySession(BaseModel):
    id = AutoField()
    history_book = ForeignKeyField(HistoryBook, on_delete="CASCADE")
    history_book_id: int
    start = IntegerField()
    end = IntegerField()
    seconds = IntegerField()
    pages = IntegerField()

    class Meta:
        indexes = ((("history_book", "start"), False),)


class HistoryDay(BaseModel):
    history_book = ForeignKeyField(HistoryBook, on_delete="CASCADE")
    history_book_id: int
    day = CharField(index=True)  # the desktop's local date, ISO
    seconds = IntegerField()
    pages = IntegerField()

    class Meta:
        primary_key = CompositeKey("history_book", "day")
        without_rowid = True


class Highlight(BaseModel):
    """A KOReader highlight (with its note); `book` is None while it waits for the user."""

    id = AutoField()
    book = ForeignKeyField(Book, null=True, backref="highlights", on_delete="CASCADE")
    book_id: int | None
    pending_title = TextField(null=True)
    pending_authors = TextField(null=True)
    created = IntegerField()  # Unix seconds when it was made on the device: its identity
    updated = IntegerField(null=True)  # the device's last edit, when the export says
    text = TextField()
    note = TextField(default="")
    chapter = TextField(null=True)
    page = TextField(null=True)
    source = CharField()  # xmnote or sidecar: the channel that last changed it
    origin = TextField(null=True)  # the address or folder it came from
    received_at = FloatField()
    changed_at = FloatField()
    deleted_at = FloatField(null=True)  # deleted by the user: a re-send does not revive it

    class Meta:
        indexes = (
            (("book", "created"), False),
            (("pending_title", "pending_authors"), False),
        )


class HighlightVersion(BaseModel):
    """A text and note a highlight had before an export or the user replaced them."""

    id = AutoField()
    highlight = ForeignKeyField(Highlight, backref="versions", on_delete="CASCADE")
    highlight_id: int
    text = TextField()
    note = TextField()
    origin = TextField(null=True)  # who wrote this text: an address, a folder, or None
    changed_at = FloatField()  # when this library recorded this text
    replaced_at = FloatField()
    replaced_by = TextField(null=True)  # the address (or "this computer") that replaced it

    class Meta:
        indexes = ((("highlight",), False),)


class ReadingProposal(BaseModel):
    """A status or rating an export suggests for a book, waiting for the user's decision."""

    id = AutoField()
    book = ForeignKeyField(Book, backref="reading_proposals", on_delete="CASCADE")
    book_id: int
    source = CharField()
    status = CharField(null=True)
    rating = IntegerField(null=True)
    note = TextField(null=True)
    proposed_at = FloatField()
    decision = CharField(null=True)  # None while waiting, then applied or dismissed


class JournalEntry(BaseModel):
    """The Hardcover reading-journal entry that carries a highlight (a quote, or its note)."""

    id = AutoField()
    highlight = ForeignKeyField(Highlight, backref="journal_entries", on_delete="CASCADE")
    highlight_id: int
    kind = CharField()  # quote or note
    journal_id = IntegerField(null=True)  # None while the answer to the insert is unknown
    text = TextField()  # what was sent
    state = CharField()  # sending (answer not seen yet) or sent
    changed_at = FloatField()
    attempts = IntegerField(default=0)  # failures in a row (refused, or not checked)
    next_attempt_at = FloatField(null=True)  # when it may go again; None: at once
    refused = TextField(null=True)  # Hardcover's reason, when it refused the last attempt

    class Meta:
        indexes = ((("highlight", "kind"), True),)


class Device(BaseModel):
    """An e-reader that connected over calibre's wireless protocol (its own uuid is its name)."""

    id = AutoField()
    store_uuid = CharField(unique=True)
    name = TextField()
    address = TextField(null=True)
    free_space = IntegerField(null=True)
    last_seen = FloatField()


class DeviceBook(BaseModel):
    """A book file on a device, as the device listed it; `book` is null for books from elsewhere."""

    id = AutoField()
    device = ForeignKeyField(Device, backref="books", on_delete="CASCADE")
    device_id: int
    lpath = TextField()
    uuid = CharField(null=True)
    title = TextField(null=True)
    authors = JSONText(null=True)  # a list of names
    last_modified = TextField(null=True)
    book = ForeignKeyField(Book, null=True, backref="on_devices", on_delete="SET NULL", index=True)
    book_id: int | None
    sent_at = FloatField(null=True)

    class Meta:
        table_name = "device_book"
        indexes = ((("device", "lpath"), True),)


class DeviceQueue(BaseModel):
    """A book waiting for the next device that connects."""

    book = ForeignKeyField(Book, primary_key=True, backref="device_queue", on_delete="CASCADE")
    book_id: int
    queued_at = FloatField()

    class Meta:
        table_name = "device_queue"


# Every table of the library, in the order the migrations create them.
ALL_MODELS: tuple[type[BaseModel], ...] = (
    *CORE_MODELS,
    HistoryBook,
    HistoryPage,
    HistorySession,
    HistoryDay,
    Highlight,
    ReadingProposal,
    JournalEntry,
    Device,
    DeviceBook,
    DeviceQueue,
    BookChange,
    HighlightVersion,
    BookEdit,
    RemovedFile,
    InboxEntry,
    TidyBatch,
    TidyMove,
    MetadataFetch,
    MetadataCandidate,
    Tag,
    BookTag,
)
