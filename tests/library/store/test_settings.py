"""Settings as stored: a stored value (any JSON value) is what comes back, a key never
stored gives its default, a key the app does not know is a programming error; internal values
have no default."""

from __future__ import annotations

import pytest

from bookorbit_desktop.config import DEFAULT_SETTINGS
from bookorbit_desktop.library.store.settings import (
    delete_setting,
    get_private,
    get_setting,
    set_setting,
)


@pytest.mark.parametrize(
    "value", [7, 0.5, "text", "", True, False, [1, "two"], {"a": {"b": None}}, "Ünïcode ✓"]
)
def test_a_stored_value_comes_back_as_it_was_stored(library, value):
    set_setting("opds.page_size", value)
    assert get_setting("opds.page_size") == value
    assert type(get_setting("opds.page_size")) is type(value)
    set_setting("internal.thing", value)
    assert get_private("internal.thing") == value


def test_a_key_never_stored_gives_its_default_and_an_unknown_key_is_an_error(library):
    assert get_setting("opds.page_size") == DEFAULT_SETTINGS["opds.page_size"]
    set_setting("opds.page_size", 3)
    delete_setting("opds.page_size")
    assert get_setting("opds.page_size") == DEFAULT_SETTINGS["opds.page_size"]
    assert get_private("internal.never") is None
    with pytest.raises(KeyError):
        get_setting("no.such.setting")
