"""The small library the category tests count, rename and search (`small_library`)."""

from __future__ import annotations

import pytest

from tests.library.categories.small_library import add_columns, build


@pytest.fixture
def books(library):
    return build(library)


@pytest.fixture
def columns(books, library):
    return add_columns(library, books)
