"""Handing freed memory back: glibc's malloc_trim where there is one, nothing elsewhere."""

from __future__ import annotations

import sys

import pytest

from bookorbit_desktop.allocator import glibc, trim_function


class NoTrim:
    """A C library with mallopt but without malloc_trim."""

    def mallopt(self, _param: int, _value: int) -> int:
        return 1


def test_no_trim_without_malloc_trim():
    assert trim_function(NoTrim()) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_trim_calls_glibc():
    libc = glibc()
    if libc is None:
        pytest.skip("not glibc")
    trim = trim_function(libc)
    assert trim is not None
    trim()  # returns what is free; the process goes on
