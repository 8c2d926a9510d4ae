"""Saved searches: a name and a search (`library.search.grammar`) the library sidebar runs
with a click, kept where the library reads them (`library.search.saved`); a name is given
once (case aside). Every search is checked before it is saved: a saved search always runs."""

from __future__ import annotations

from datetime import date

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.own_shelves import SEARCH, Collection
from bookorbit_desktop.library.search.compiler import search_condition
from bookorbit_desktop.library.search.grammar import SearchError
from bookorbit_desktop.library.search.saved import KEY, SavedSearch, saved_searches
from bookorbit_desktop.library.store.joins import forget_joins
from bookorbit_desktop.library.store.settings import set_setting

MAX_NAME = 80


def _store(searches: list[SavedSearch]) -> None:
    set_setting(KEY, [[saved.name, saved.search] for saved in searches])


def _checked_name(name: str, searches: list[SavedSearch], keep: str | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidValueError("Give the search a name.")
    if len(name) > MAX_NAME:
        raise InvalidValueError(f"A name is at most {MAX_NAME} characters.")
    taken = {saved.name.casefold() for saved in searches if saved.name != keep}
    if name.casefold() in taken:
        raise InvalidValueError(f"There is already a saved search named {name!r}.")
    return name


def save_search(name: str, search: str) -> SavedSearch:
    """Save `search` as `name`, after the others. `InvalidValueError` for a blank or taken
    name, or a search that cannot be read."""
    searches = saved_searches()
    name = _checked_name(name, searches)
    search = search.strip()
    if not search:
        raise InvalidValueError("There is no search to save: type one in the filter box.")
    try:
        search_condition(search, date.today())
    except SearchError as error:
        raise InvalidValueError(f"The search cannot be read: {error.message}.") from None
    saved = SavedSearch(name, search)
    _store([*searches, saved])
    return saved


def rename_search(old: str, new: str) -> SavedSearch:
    """The saved search `old` as `new` (same place, same search)."""
    searches = saved_searches()
    found = next((saved for saved in searches if saved.name == old), None)
    if found is None:
        raise InvalidValueError(f"No saved search is named {old!r}.")
    renamed = SavedSearch(_checked_name(new, searches, keep=old), found.search)
    _store([renamed if saved is found else saved for saved in searches])
    if renamed.name != old:  # a new address: its books join anew there
        forget_joins(Collection(SEARCH, old).key)
    return renamed


def delete_search(name: str) -> None:
    """Forget the saved search `name` (nothing if there is none)."""
    _store([saved for saved in saved_searches() if saved.name != name])
    forget_joins(Collection(SEARCH, name).key)
