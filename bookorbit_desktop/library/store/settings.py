"""User settings stored in the library database, with defaults from `config.DEFAULT_SETTINGS`."""

from __future__ import annotations

import json
from typing import Any

from bookorbit_desktop.config import DEFAULT_SETTINGS
from bookorbit_desktop.library.store.models import Setting, database

_MISSING = object()


def stored_text(key: str) -> str | None:
    """The JSON text stored for `key` (as `models.JSONText` writes it), or None. Plain SQL:
    the ORM's query took 260 us, SQLite 7 (a catalog page, every group commit of KOReader
    pushes and every sync request's account read a setting)."""
    row = database.execute_sql("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _stored(key: str) -> Any:
    """The stored value of `key`, or `_MISSING`."""
    text = stored_text(key)
    return _MISSING if text is None else json.loads(text)


def get_setting(key: str) -> Any:
    """The stored value of `key`, else its default. Unknown keys are a programming error."""
    value = _stored(key)
    if value is not _MISSING:
        return value
    if key not in DEFAULT_SETTINGS:
        raise KeyError(key)
    return DEFAULT_SETTINGS[key]


def set_setting(key: str, value: Any) -> None:
    Setting.insert(key=key, value=value).on_conflict_replace().execute()


def get_private(key: str) -> Any | None:
    """A stored internal value (not a user setting, no default), or None."""
    value = _stored(key)
    return None if value is _MISSING else value


def delete_setting(key: str) -> None:
    Setting.delete().where(Setting.key == key).execute()
