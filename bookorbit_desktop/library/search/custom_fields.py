"""Where a custom column's values are, for the search language's `#label:` terms: the column
the user searches (`custom.store`), its kind (which of the built-in fields' rules its values
follow), and the SQL that reaches them.

A number, a rating, a date and a yes/no compare the value's stored key (`custom_value.key`,
read from the index of (column, key, book)); a text compares the value, folded as the key keeps
it; a series its name (`custom.series`: "Dune" finds every book of Dune whatever its number,
and `#label_index`, as in calibre, compares the books' numbers);
a tag-like column's values one by one, as `custom_item` keeps them (and their folded keys,
from the index the library browser counts them by). `#label:""` finds the books without a
value.
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.custom import series, store
from bookorbit_desktop.library.custom.kinds import NUMBERS, Column
from bookorbit_desktop.library.search.grammar import SearchError, Term

NUMBER, DATE, YES_NO, TEXT = "number", "date", "yes-no", "text"
INDEX = "_index"  # `#label_index`: a series column's books' numbers


@dataclass(frozen=True)
class CustomField:
    """A column's values for a search: compared as `kind`; `column`, the SQL of a value in the
    query `among` (ids of the books whose value passes `{test}`); `folded` its folded text."""

    kind: str
    column: str
    among: str
    folded: str | None
    patterned: str | None = None  # `among` for a pattern's test, when it has its own


def custom_field(term: Term) -> CustomField:
    """The field of `#label`; SearchError naming the columns there are when there is none."""
    assert term.field is not None
    column = store.by_label(term.field)
    numbered = store.by_label(term.field.removesuffix(INDEX)) if column is None else None
    if numbered is not None and numbered.kind == "series" and term.field.endswith(INDEX):
        return _numbers(numbered)
    if column is None:
        labels = ", ".join(f"#{c.label}" for c in store.columns()) or "none yet"
        raise SearchError(
            f"Unknown column '{term.field}' — the custom columns are: {labels}",
            term.start,
            term.end,
        )
    return _field(column)


def _numbers(column: Column) -> CustomField:
    """A series column's books' numbers, as calibre searches them (`#saga_index:>=2`): the
    number its key ends with (`custom.series.key_sql`); a book of a series without a number
    has none."""
    number = series.number_of_key("cv.key")
    among = (
        f"SELECT cv.book_id AS id FROM custom_value cv WHERE cv.column_id = {int(column.id)}"
        f" AND {number} IS NOT NULL AND {{test}}"
    )
    return CustomField(NUMBER, number, among, None)


def _field(column: Column) -> CustomField:
    rows = f"FROM custom_value cv WHERE cv.column_id = {int(column.id)}"
    among = f"SELECT cv.book_id AS id {rows} AND {{test}}"
    if column.multiple:  # its values one by one, each folded (`store.custom_items_schema`)
        column_id = int(column.id)
        each = f"SELECT ci.book_id AS id FROM custom_item ci WHERE ci.column_id = {column_id}"
        # A pattern is tested once a spelling (LIMIT -1 keeps SQLite from testing every book's
        # value), then the spelling's books are looked up by the index.
        spellings = (
            f"SELECT key, value FROM custom_item WHERE column_id = {column_id}"
            " GROUP BY key, value LIMIT -1"
        )
        patterned = (
            f"SELECT i.book_id AS id FROM ({spellings}) ci CROSS JOIN custom_item i"
            f" ON i.column_id = {column_id} AND i.key = ci.key AND i.value = ci.value"
            " WHERE {test}"
        )
        return CustomField(TEXT, "ci.value", each + " AND {test}", "ci.key", patterned)
    if column.kind in NUMBERS:
        return CustomField(NUMBER, "cv.key", among, None)
    if column.kind == "datetime":
        return CustomField(DATE, "cv.key", among, None)
    if column.kind == "bool":
        return CustomField(YES_NO, "cv.key", among, None)
    if column.kind == "series":  # its name: "Dune" finds Dune [1] and Dune [2]
        name = series.name_sql("json_extract(cv.value, '$')")
        return CustomField(TEXT, name, among, series.name_of_key("cv.key"))
    return CustomField(TEXT, "json_extract(cv.value, '$')", among, "cv.key")


def yes_no(term: Term) -> int:
    """1 for `#label:true` (or yes), 0 for false (or no); SearchError for another word."""
    word = term.value.lower()
    if term.op not in ("", "=") or word not in ("true", "yes", "false", "no"):
        raise SearchError(
            f"'{term.field}' is yes or no: use {term.field}:true, :false or :\"\"",
            term.start,
            term.end,
        )
    return int(word in ("true", "yes"))
