"""The schema migrations from version 16 on, in order: `migrations.MIGRATIONS` ends with them
(that module is at its size cap). Append a new migration as one line at the end of `LATER`;
never reorder or edit a shipped one. Free of the ORM, like every migration module.
"""

from __future__ import annotations

from bookorbit_desktop.library.store.author_fold_schema import author_folds
from bookorbit_desktop.library.store.author_sort_schema import author_sort_keys
from bookorbit_desktop.library.store.book_details_schema import book_details
from bookorbit_desktop.library.store.book_read_schema import book_reads
from bookorbit_desktop.library.store.calibre_schema import calibre_tables
from bookorbit_desktop.library.store.category_tally_schema import category_tallies
from bookorbit_desktop.library.store.column_keys_schema import column_keys
from bookorbit_desktop.library.store.custom_items_schema import custom_items
from bookorbit_desktop.library.store.custom_keys_schema import custom_keys
from bookorbit_desktop.library.store.dashboard_indexes import dashboard_indexes
from bookorbit_desktop.library.store.file_copy_schema import file_copy_table
from bookorbit_desktop.library.store.finished_index_schema import finished_index
from bookorbit_desktop.library.store.goal_schema import reading_goals
from bookorbit_desktop.library.store.hardcover_tally_schema import hardcover_tally
from bookorbit_desktop.library.store.held_entry_schema import held_entry
from bookorbit_desktop.library.store.inbox_schema import inbox_table
from bookorbit_desktop.library.store.index_batch_schema import index_batch
from bookorbit_desktop.library.store.journal_schema import change_journal
from bookorbit_desktop.library.store.jumped_back_schema import jumped_back
from bookorbit_desktop.library.store.language_schema import book_languages
from bookorbit_desktop.library.store.lean_indexes_schema import lean_indexes
from bookorbit_desktop.library.store.match_rating_schema import match_rating
from bookorbit_desktop.library.store.metadata_schema import metadata_tables
from bookorbit_desktop.library.store.outbox_counts_schema import outbox_counts
from bookorbit_desktop.library.store.pages_index_schema import pages_index
from bookorbit_desktop.library.store.progress_index_schema import progress_index
from bookorbit_desktop.library.store.pull_schema import hardcover_pull_tables
from bookorbit_desktop.library.store.pushed_keys_schema import (
    pushed_keys,
    pushed_keys_mark_kept_below_reuse,
)
from bookorbit_desktop.library.store.read_to_send_schema import reads_to_send
from bookorbit_desktop.library.store.search_index import search_index
from bookorbit_desktop.library.store.series_keys_schema import series_keys
from bookorbit_desktop.library.store.shelf_joined_schema import shelf_joined_table
from bookorbit_desktop.library.store.sort_keys_schema import sort_keys
from bookorbit_desktop.library.store.tag_schema import tag_tables
from bookorbit_desktop.library.store.tidy_schema import tidy_tables
from bookorbit_desktop.library.store.title_length_schema import title_lengths

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from collections.abc import Callable

    from peewee import SqliteDatabase

LATER: tuple[Callable[[SqliteDatabase], None], ...] = (
    search_index,  # schema 16
    hardcover_pull_tables,
    inbox_table,
    tidy_tables,
    dashboard_indexes,
    metadata_tables,
    book_details,
    sort_keys,  # schema 23
    file_copy_table,  # schema 24
    change_journal,  # schema 25
    shelf_joined_table,  # schema 26
    author_sort_keys,  # schema 27: authors sorted by their sort text
    column_keys,  # schema 28: the optional columns' sort keys
    tag_tables,  # schema 29
    match_rating,  # schema 30: the linked Hardcover book's average rating
    index_batch,  # schema 31: a bulk write indexes its books once, at its commit
    lean_indexes,  # schema 32: no index that only repeats another's first columns
    progress_index,  # schema 33: the reading states by progress (the table's sort by it)
    hardcover_tally,  # schema 34: the Hardcover counts kept by triggers
    outbox_counts,  # schema 35: a book's outbox facts counted only with a match
    pushed_keys,  # schema 36: the sorts by progress and last read kept after a push, not in it
    pushed_keys_mark_kept_below_reuse,  # schema 37: a new push never numbered at the mark
    author_folds,  # schema 38: every author's name kept folded, as searches compare it
    finished_index,  # schema 39: the read books by finish date (the catalog's Read shelf)
    title_lengths,  # schema 40: the search index keeps each folded title's length
    held_entry,  # schema 41: a copy that joins a Hardcover entry the user held is held too
    pages_index,  # schema 42: the books by printed pages (the table's sort by Pages)
    jumped_back,  # schema 43: the pushes the jump-back guard kept out of the reading state
    book_reads,  # schema 44: every read of a book, each reading state its first read
    calibre_tables,  # schema 45: calibre books brought in, custom columns and their values
    reading_goals,  # schema 46: the reading goals, with Hardcover's where kept with it
    reads_to_send,  # schema 47: reads added here that go to Hardcover as reads of their own
    custom_keys,  # schema 48: the custom columns' values with their sort keys
    custom_items,  # schema 49: a tag-like custom column's values one by one (their counts)
    book_languages,  # schema 50: every language of a book, in order
    category_tallies,  # schema 51: the browser's counts of authors and tag paths, kept
    series_keys,  # schema 52: a series column's books sorted by their numbers
)
