"""Frozen schema migrations: entry N turns version N-1 into N. Add one; never edit a shipped one."""

from __future__ import annotations

from collections.abc import Callable

from bookorbit_desktop.library.store.catalog_indexes import catalog_indexes
from bookorbit_desktop.library.store.edit_marks import edit_marks
from bookorbit_desktop.library.store.later_migrations import LATER
from bookorbit_desktop.library.store.migrate_date_sources import date_sources
from bookorbit_desktop.library.store.migrate_journal_backoff import journal_backoff
from bookorbit_desktop.library.store.migration_v10 import v10_highlight_versions
from bookorbit_desktop.library.store.removal_schema import removed_files_table
from bookorbit_desktop.library.store.schema_version import SCHEMA_VERSION

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:  # the schema version is read without loading the ORM
    from peewee import SqliteDatabase


def _execute_all(db: SqliteDatabase, statements: list[str]) -> None:
    for statement in statements:
        db.execute_sql(statement)


def _v1_library(db: SqliteDatabase) -> None:
    statements = [
        """CREATE TABLE book (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            sort_title TEXT NOT NULL,
            language VARCHAR(255),
            series TEXT,
            series_index REAL,
            publisher TEXT,
            published VARCHAR(255),
            description TEXT,
            cover_path TEXT,
            isbn13 VARCHAR(255),
            isbn10 VARCHAR(255),
            hardcover_id INTEGER,
            hardcover_slug TEXT,
            identifiers TEXT NOT NULL,
            added_at REAL NOT NULL,
            updated_at REAL NOT NULL)""",
        "CREATE INDEX book_sort_title ON book (sort_title)",
        "CREATE INDEX book_isbn13 ON book (isbn13)",
        "CREATE INDEX book_added_at ON book (added_at)",
        """CREATE TABLE author (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            sort_name TEXT NOT NULL)""",
        "CREATE INDEX author_sort_name ON author (sort_name)",
        """CREATE TABLE book_author (
            id INTEGER PRIMARY KEY,
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            author_id INTEGER NOT NULL REFERENCES author (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            role VARCHAR(255) NOT NULL)""",
        "CREATE UNIQUE INDEX book_author_book_id_position ON book_author (book_id, position)",
        "CREATE INDEX book_author_author_id ON book_author (author_id)",
        """CREATE TABLE book_file (
            id INTEGER PRIMARY KEY,
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            path TEXT NOT NULL UNIQUE,
            format VARCHAR(255) NOT NULL,
            size INTEGER NOT NULL,
            mtime REAL NOT NULL,
            partial_md5 VARCHAR(255) NOT NULL,
            missing INTEGER NOT NULL,
            added_at REAL NOT NULL)""",
        "CREATE INDEX book_file_book_id ON book_file (book_id)",
        "CREATE INDEX book_file_partial_md5 ON book_file (partial_md5)",
        """CREATE TABLE document_alias (
            id INTEGER PRIMARY KEY,
            document VARCHAR(255) NOT NULL,
            kind VARCHAR(255) NOT NULL,
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            book_file_id INTEGER REFERENCES book_file (id) ON DELETE SET NULL,
            created_at REAL NOT NULL)""",
        "CREATE INDEX document_alias_document ON document_alias (document)",
        "CREATE UNIQUE INDEX document_alias_document_book_id_kind"
        " ON document_alias (document, book_id, kind)",
        "CREATE INDEX document_alias_book_id ON document_alias (book_id)",
        "CREATE INDEX document_alias_book_file_id ON document_alias (book_file_id)",
        """CREATE TABLE reading_state (
            book_id INTEGER NOT NULL PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
            status VARCHAR(255) NOT NULL,
            progress REAL NOT NULL,
            koreader_progress TEXT,
            started VARCHAR(255),
            finished VARCHAR(255),
            rating REAL,
            updated_at REAL NOT NULL)""",
        """CREATE TABLE progress_event (
            id INTEGER PRIMARY KEY,
            document VARCHAR(255) NOT NULL,
            book_id INTEGER REFERENCES book (id) ON DELETE SET NULL,
            device TEXT NOT NULL,
            device_id TEXT,
            percentage REAL NOT NULL,
            progress TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            meta_title TEXT,
            meta_authors TEXT,
            meta_filename TEXT)""",
        "CREATE INDEX progress_event_document_id ON progress_event (document, id)",
        "CREATE INDEX progress_event_book_id_id ON progress_event (book_id, id)",
        "CREATE TABLE setting (key VARCHAR(255) NOT NULL PRIMARY KEY, value TEXT NOT NULL)",
    ]
    _execute_all(db, statements)


def _v2_hardcover(db: SqliteDatabase) -> None:
    db.execute_sql(
        """CREATE TABLE hardcover_match (
            book_id INTEGER NOT NULL PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
            state VARCHAR(255) NOT NULL,
            reason TEXT,
            hc_book_id INTEGER,
            hc_edition_id INTEGER,
            edition_pages INTEGER,
            pinned INTEGER NOT NULL,
            user_book_id INTEGER,
            created_by_us INTEGER NOT NULL,
            candidates TEXT NOT NULL,
            method VARCHAR(255),
            fingerprint TEXT,
            updated_at REAL NOT NULL)"""
    )
    db.execute_sql("CREATE INDEX hardcover_match_state ON hardcover_match (state)")


def _v3_sync(db: SqliteDatabase) -> None:
    statements = [
        # Books whose reading state changed since Hardcover last confirmed it, one row a book.
        """CREATE TABLE sync_outbox (
            book_id INTEGER NOT NULL PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
            kinds TEXT NOT NULL,
            queued_at REAL NOT NULL,
            attempts INTEGER NOT NULL,
            retry_at REAL,
            last_error TEXT,
            blocked TEXT)""",
        # What Hardcover last confirmed for each book, and the local state it was reconciled with.
        """CREATE TABLE hardcover_sync (
            book_id INTEGER NOT NULL PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
            hc_book_id INTEGER,
            user_book_id INTEGER,
            snapshot TEXT NOT NULL,
            state VARCHAR(255) NOT NULL,
            reason TEXT,
            confirmed_at REAL,
            updated_at REAL NOT NULL)""",
        "CREATE INDEX hardcover_sync_state ON hardcover_sync (state)",
        """CREATE TABLE sync_log (
            id INTEGER NOT NULL PRIMARY KEY,
            at REAL NOT NULL,
            book_id INTEGER REFERENCES book (id) ON DELETE SET NULL,
            title TEXT,
            outcome VARCHAR(255) NOT NULL,
            actions TEXT NOT NULL,
            error TEXT)""",
        "CREATE INDEX sync_log_book_id ON sync_log (book_id, id)",
        """CREATE TABLE sync_lease (
            name VARCHAR(255) NOT NULL PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at REAL NOT NULL)""",
    ]
    _execute_all(db, statements)


def _v4_sync_trust(db: SqliteDatabase) -> None:
    statements = [
        # Every change bumps its book's version: a push takes only the version it sent.
        "ALTER TABLE sync_outbox ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        # Set when the user cancelled a pass: the book waits for their next sync or a change.
        "ALTER TABLE sync_outbox ADD COLUMN held TEXT",
        # The copy the user chose to speak for a Hardcover book several local books link to.
        "ALTER TABLE hardcover_match ADD COLUMN lead INTEGER NOT NULL DEFAULT 0",
    ]
    _execute_all(db, statements)


def _v5_history(db: SqliteDatabase) -> None:
    statements = [
        # KOReader's books as its statistics files name them; md5 "" when a file has none.
        """CREATE TABLE history_book (
            id INTEGER NOT NULL PRIMARY KEY,
            title TEXT NOT NULL,
            authors TEXT NOT NULL,
            md5 VARCHAR(255) NOT NULL,
            pages INTEGER,
            fingerprint TEXT,
            read_seconds INTEGER NOT NULL,
            pages_read INTEGER NOT NULL,
            sessions INTEGER NOT NULL,
            first_read INTEGER,
            last_read INTEGER,
            updated_at REAL NOT NULL)""",
        "CREATE UNIQUE INDEX history_book_title_authors_md5 ON history_book (title, authors, md5)",
        "CREATE INDEX history_book_md5 ON history_book (md5)",
        # Every page record ever received, merged: never deleted.
        """CREATE TABLE history_page (
            history_book_id INTEGER NOT NULL REFERENCES history_book (id) ON DELETE CASCADE,
            page INTEGER NOT NULL,
            start_time INTEGER NOT NULL,
            duration INTEGER NOT NULL,
            total_pages INTEGER NOT NULL,
            PRIMARY KEY (history_book_id, page, start_time)) WITHOUT ROWID""",
        # Derived from history_page at each import.
        """CREATE TABLE history_session (
            id INTEGER NOT NULL PRIMARY KEY,
            history_book_id INTEGER NOT NULL REFERENCES history_book (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            seconds INTEGER NOT NULL,
            pages INTEGER NOT NULL)""",
        "CREATE INDEX history_session_history_book_id ON history_session (history_book_id, start)",
        """CREATE TABLE history_day (
            history_book_id INTEGER NOT NULL REFERENCES history_book (id) ON DELETE CASCADE,
            day VARCHAR(255) NOT NULL,
            seconds INTEGER NOT NULL,
            pages INTEGER NOT NULL,
            PRIMARY KEY (history_book_id, day)) WITHOUT ROWID""",
        "CREATE INDEX history_day_day ON history_day (day)",
    ]
    _execute_all(db, statements)


def _v6_highlights(db: SqliteDatabase) -> None:
    statements = [
        # KOReader highlights; book_id is NULL while an export waits for the user to pick its
        # book (pending_title/pending_authors say what the device called it).
        """CREATE TABLE highlight (
            id INTEGER NOT NULL PRIMARY KEY,
            book_id INTEGER REFERENCES book (id) ON DELETE CASCADE,
            pending_title TEXT,
            pending_authors TEXT,
            created INTEGER NOT NULL,
            updated INTEGER,
            text TEXT NOT NULL,
            note TEXT NOT NULL,
            chapter TEXT,
            page TEXT,
            source VARCHAR(255) NOT NULL,
            origin TEXT,
            received_at REAL NOT NULL,
            changed_at REAL NOT NULL,
            deleted_at REAL)""",
        "CREATE INDEX highlight_book_id_created ON highlight (book_id, created)",
        "CREATE INDEX highlight_pending_title ON highlight (pending_title, pending_authors)",
        # A status or rating a device's export suggests; applied only when the user confirms.
        """CREATE TABLE reading_proposal (
            id INTEGER NOT NULL PRIMARY KEY,
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            source VARCHAR(255) NOT NULL,
            status VARCHAR(255),
            rating INTEGER,
            note TEXT,
            proposed_at REAL NOT NULL,
            decision VARCHAR(255))""",
        "CREATE INDEX reading_proposal_book_id ON reading_proposal (book_id)",
        # Which Hardcover reading-journal entry carries a highlight (kind: quote or note), and
        # the text it was sent with; state "sending" until Hardcover's answer arrived.
        """CREATE TABLE journal_entry (
            id INTEGER NOT NULL PRIMARY KEY,
            highlight_id INTEGER NOT NULL REFERENCES highlight (id) ON DELETE CASCADE,
            kind VARCHAR(255) NOT NULL,
            journal_id INTEGER,
            text TEXT NOT NULL,
            state VARCHAR(255) NOT NULL,
            changed_at REAL NOT NULL)""",
        "CREATE UNIQUE INDEX journal_entry_highlight_id_kind ON journal_entry (highlight_id, kind)",
    ]
    _execute_all(db, statements)


def _v7_devices(db: SqliteDatabase) -> None:
    statements = [
        # Every e-reader that connected over calibre's wireless protocol, by the uuid it keeps.
        """CREATE TABLE device (
            id INTEGER NOT NULL PRIMARY KEY,
            store_uuid VARCHAR(255) NOT NULL UNIQUE,
            name TEXT NOT NULL,
            address TEXT,
            free_space INTEGER,
            last_seen REAL NOT NULL)""",
        # The books the device listed (or was sent) the last time it connected.
        """CREATE TABLE device_book (
            id INTEGER NOT NULL PRIMARY KEY,
            device_id INTEGER NOT NULL REFERENCES device (id) ON DELETE CASCADE,
            lpath TEXT NOT NULL,
            uuid VARCHAR(255),
            title TEXT,
            authors TEXT,
            last_modified TEXT,
            book_id INTEGER REFERENCES book (id) ON DELETE SET NULL,
            sent_at REAL)""",
        "CREATE UNIQUE INDEX device_book_device_id_lpath ON device_book (device_id, lpath)",
        "CREATE INDEX device_book_book_id ON device_book (book_id)",
        # Books waiting for the next device that connects.
        """CREATE TABLE device_queue (
            book_id INTEGER NOT NULL PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
            queued_at REAL NOT NULL)""",
    ]
    _execute_all(db, statements)


# The tables whose rows make up a book's line in the library table besides `book` and `author`.
_BOOK_TABLES = ("book_author", "book_file", "reading_state", "hardcover_match")
# Records books (the rows of `SELECT book_id ...`) as changed, after every change before.
_RECORD = (
    "INSERT INTO book_change (book_id, seq) SELECT book_id, "
    "(SELECT IFNULL(MAX(seq), 0) + 1 FROM book_change) FROM ({books}) WHERE true "
    "ON CONFLICT (book_id) DO UPDATE SET seq = excluded.seq;"
)


def _v8_change_log(db: SqliteDatabase) -> None:
    """`book_change`: each book's latest change, numbered in order, kept by triggers so every
    writer (this app, its server, the command line, another tool) records what it changed."""

    def trigger(name: str, event: str, table: str, *books: str) -> str:
        body = " ".join(_RECORD.format(books=f"SELECT {book} AS book_id") for book in books)
        return f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body} END"

    statements = [
        # No foreign key: a book that went stays recorded, so a reader learns it went.
        """CREATE TABLE book_change (
            book_id INTEGER NOT NULL PRIMARY KEY,
            seq INTEGER NOT NULL)""",
        "CREATE INDEX book_change_seq ON book_change (seq)",
        trigger("book_change_book_insert", "INSERT", "book", "NEW.id"),
        trigger("book_change_book_update", "UPDATE", "book", "OLD.id", "NEW.id"),
        trigger("book_change_book_delete", "DELETE", "book", "OLD.id"),
        # A renamed author changes the line of every book they wrote.
        "CREATE TRIGGER book_change_author_update AFTER UPDATE ON author BEGIN "
        + _RECORD.format(books="SELECT book_id FROM book_author WHERE author_id = NEW.id")
        + " END",
    ]
    for table in _BOOK_TABLES:
        statements += [
            trigger(f"book_change_{table}_insert", "INSERT", table, "NEW.book_id"),
            trigger(f"book_change_{table}_update", "UPDATE", table, "OLD.book_id", "NEW.book_id"),
            trigger(f"book_change_{table}_delete", "DELETE", table, "OLD.book_id"),
        ]
    _execute_all(db, statements)


# Appends a change of the books in `SELECT book_id ...` to the log.
_APPEND = "INSERT INTO book_change (book_id) {books};"


def _v9_change_log_appends(db: SqliteDatabase) -> None:
    """`book_change` becomes a log that is only appended to: a KOReader push rewrote a book's
    row and two places in the `seq` index (about a third of the pages each push wrote); an
    append touches the log's last page, shared by every change of a commit. The entries are
    kept, numbered after the old numbers (a reader holding one reads every book again at
    worst); `changes.compact` drops the entries a later one of the same book supersedes."""

    def trigger(name: str, event: str, table: str, book: str, old: str | None = None) -> str:
        body = _APPEND.format(books=f"SELECT {book}")
        if old is not None:  # an update that moved the row to another book changes both
            body += " " + _APPEND.format(books=f"SELECT {old} WHERE {old} IS NOT {book}")
        return f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {body} END"

    tables = {"book": "id", **dict.fromkeys(_BOOK_TABLES, "book_id")}
    statements = [
        f"DROP TRIGGER book_change_{table}_{event}"
        for table in tables
        for event in ("insert", "update", "delete")
    ]
    statements += [
        "DROP TRIGGER book_change_author_update",
        "ALTER TABLE book_change RENAME TO book_change_v8",
        # No foreign key: a book that went stays recorded, so a reader learns it went.
        """CREATE TABLE book_change (
            seq INTEGER PRIMARY KEY,
            book_id INTEGER NOT NULL)""",
        # Numbered again after the old ones, in their order: version 8 gave every book of a
        # renamed author the same number, which a key cannot hold.
        "INSERT INTO book_change (seq, book_id) SELECT (SELECT IFNULL(MAX(seq), 0)"
        " FROM book_change_v8) + ROW_NUMBER() OVER (ORDER BY seq, book_id), book_id"
        " FROM book_change_v8",
        "DROP TABLE book_change_v8",
        "CREATE TRIGGER book_change_author_update AFTER UPDATE ON author BEGIN "
        + _APPEND.format(books="SELECT book_id FROM book_author WHERE author_id = NEW.id")
        + " END",
    ]
    for table, column in tables.items():
        new, old = f"NEW.{column}", f"OLD.{column}"
        statements += [
            trigger(f"book_change_{table}_insert", "INSERT", table, new),
            trigger(f"book_change_{table}_update", "UPDATE", table, new, old),
            trigger(f"book_change_{table}_delete", "DELETE", table, old),
        ]
    _execute_all(db, statements)


MIGRATIONS: tuple[Callable[[SqliteDatabase], None], ...] = (
    _v1_library,
    _v2_hardcover,
    _v3_sync,
    _v4_sync_trust,
    _v5_history,
    _v6_highlights,
    _v7_devices,
    _v8_change_log,
    _v9_change_log_appends,
    v10_highlight_versions,
    journal_backoff,
    date_sources,
    edit_marks,
    removed_files_table,
    catalog_indexes,
    *LATER,
)
if len(MIGRATIONS) != SCHEMA_VERSION:  # a migration added without its version, or the reverse
    raise RuntimeError(f"{len(MIGRATIONS)} migrations for schema version {SCHEMA_VERSION}")
