"""User settings stored in the library database, with defaults from `config.DEFAULT_SETTINGS`."""

from __future__ import annotations

from typing import Any

from bookorbit_desktop.config import DEFAULT_SETTINGS
from bookorbit_desktop.library.store.models import Setting


def get_setting(key: str) -> Any:
    """The stored value of `key`, else its default. Unknown keys are a programming error."""
    row = Setting.get_or_none(Setting.key == key)
    if row is not None:
        return row.value
    if key not in DEFAULT_SETTINGS:
        raise KeyError(key)
    return DEFAULT_SETTINGS[key]


def set_setting(key: str, value: Any) -> None:
    Setting.insert(key=key, value=value).on_conflict_replace().execute()


def get_private(key: str) -> Any | None:
    """A stored internal value (not a user setting, no default), or None."""
    row = Setting.get_or_none(Setting.key == key)
    return None if row is None else row.value


def delete_setting(key: str) -> None:
    Setting.delete().where(Setting.key == key).execute()
