"""The Lua data-table reader: KOReader's own shapes, every string form, and round trips."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookorbit_desktop.library.highlights.lua_table import MAX_DEPTH, LuaSyntaxError, parse
from tests.library.highlights.lua_writer import lua_file, lua_value

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
KEYS = st.one_of(TEXT, st.integers(100, 10**6), st.integers(-(10**6), 0))
SCALARS = st.one_of(
    st.booleans(),
    st.integers(-(2**62), 2**62),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=5),
        st.dictionaries(KEYS, inner, min_size=1, max_size=5),
    ),
    max_leaves=25,
)


@given(VALUES, st.sampled_from(["quoted", "decimal"]))
def test_round_trip(value, style):
    assert parse(lua_file(value, style)) == value


@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r"), max_size=60))
def test_long_strings_round_trip(text):
    assert parse(lua_value(text, style="long")) == text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r'"a\tb\\c\"d\'e"', "a\tb\\c\"d'e"),
        (r"'it''s'".replace("''", "\\'"), "it's"),
        (r'"\65\066\0671"', "ABC1"),
        (r'"\xe2\x82\xac"', "€"),
        (r'"\u{20AC}\u{1F600}"', "€😀"),
        ('"a\\z  \n   b"', "ab"),
        ('"line\\\nbreak"', "line\nbreak"),
        ("[[\nfirst newline dropped]]", "first newline dropped"),
        ("[==[a ]] and ]=] inside]==]", "a ]] and ]=] inside"),
        ('"\\255"', "\ufffd"),  # not UTF-8: replaced, not refused
        ("0x1F", 31),
        ("0x1p4", 16.0),
        ("-2.5e3", -2500.0),
        (".5", 0.5),
        ("- 7", -7),
        ("{}", {}),
        ("{1, 2; 3,}", [1, 2, 3]),
        ("{[1] = 'a', [2] = 'b'}", ["a", "b"]),
        ("{[2] = 'b', [1] = 'a'}", {2: "b", 1: "a"}),
        ("{[3] = 'x'}", {3: "x"}),
        ("{[2.0] = 'two', x = nil}", {2: "two"}),
        ("{a = {b = {c = true}}}", {"a": {"b": {"c": True}}}),
        ('{["with space"] = false}', {"with space": False}),
        ("--[==[ long\ncomment ]==] return { -- trailing\n n = 1 } ;", {"n": 1}),
        ("#!/usr/bin/lua\nreturn 5", 5),
        ("\ufeffreturn 'bom'", "bom"),
    ],
)
def test_values(source, expected):
    assert parse(source) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("return os.execute('rm -rf /')", "a name (os)"),
        ("return { x = io }", "a name (io)"),
        ("return { a = 1 b = 2 }", "expected ','"),
        ('return "unfinished', "unfinished string"),
        ('return "a\nb"', "line break"),
        ("return [[never closed", "unfinished long string"),
        ("return '\\q'", "unknown escape"),
        ("return '\\x4'", "two hex digits"),
        ("return '\\u{zz}'", "\\u{...}"),
        ("return '\\300'", "unknown escape"),
        ("return { [nil] = 1 }", "nil or NaN"),
        ("return 1 2", "after the table"),
        ("return -true", "minus sign"),
        ("return", "ends before a value"),
        ("return { 1, 2", "expected ','"),
        ("--[[ open comment", "unfinished comment"),
        ("return {\n\n  function() end }", "line 3"),
    ],
)
def test_what_is_not_data_is_refused_with_its_line(source, message):
    with pytest.raises(LuaSyntaxError, match=re.escape(message)):
        parse(source)


def test_nesting_is_limited():
    deep = "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1)
    with pytest.raises(LuaSyntaxError, match="nested"):
        parse(deep)
    nested = parse("{" * (MAX_DEPTH - 1) + "{}" + "}" * (MAX_DEPTH - 1))
    for _ in range(MAX_DEPTH - 1):
        nested = nested[0]
    assert nested == {}
