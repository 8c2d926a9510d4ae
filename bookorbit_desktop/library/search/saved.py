"""The saved searches as the library's settings keep them: a name and a search
(`library.search.grammar`), in the order the user saved them. Stored values that are not a
list of two texts each are left out when read. `services.library.saved_searches` saves,
renames and deletes them; the catalog lists each one's books (`library.own_shelves`)."""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.store.settings import get_setting

KEY = "library.saved_searches"


@dataclass(frozen=True)
class SavedSearch:
    name: str
    search: str


def saved_searches() -> list[SavedSearch]:
    """The saved searches, in the order they were saved."""
    stored = get_setting(KEY)
    if not isinstance(stored, list):
        return []
    return [
        SavedSearch(item[0], item[1])
        for item in stored
        if isinstance(item, list) and len(item) == 2 and all(isinstance(v, str) for v in item)
    ]
