"""The search language's parser: text to tree, precedence, quotes, and every mistake as a
`SearchError` at its place, never another exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookorbit_desktop.library.search.grammar import (
    And,
    Node,
    Not,
    Or,
    SearchError,
    Term,
    is_plain,
    parse,
    plain_words,
)


def shape(node: Node | None) -> object:
    """The tree without places: ("and", ...), ("or", ...), ("not", x), "word" or
    ("field", "op", "value")."""
    if node is None:
        return None
    if isinstance(node, And):
        return ("and", *map(shape, node.items))
    if isinstance(node, Or):
        return ("or", *map(shape, node.items))
    if isinstance(node, Not):
        return ("not", shape(node.item))
    return node.value if node.field is None else (node.field, node.op, node.value)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("", None),
        ("   ", None),
        ("river", "river"),
        ("river saga", ("and", "river", "saga")),
        ("river and saga", ("and", "river", "saga")),
        ("river or saga", ("or", "river", "saga")),
        # and binds tighter than or, written or implied; not tighter still
        ("a or b c", ("or", "a", ("and", "b", "c"))),
        ("a b or c", ("or", ("and", "a", "b"), "c")),
        ("a and b or c and d", ("or", ("and", "a", "b"), ("and", "c", "d"))),
        ("not a b", ("and", ("not", "a"), "b")),
        ("not not a", ("not", ("not", "a"))),
        ("(a or b) c", ("and", ("or", "a", "b"), "c")),
        ("a (b or (c d))", ("and", "a", ("or", "b", ("and", "c", "d")))),
        ("a AND b Or c", ("or", ("and", "a", "b"), "c")),  # operators in any case
        ("and_more", "and_more"),
        ('"lord of the rings"', "lord of the rings"),
        ('"a or b"', "a or b"),
        ('"say \\"hi\\""', 'say "hi"'),
        ("author:tolkien", ("author", "", "tolkien")),
        ("Author:Tolkien", ("author", "", "Tolkien")),
        ('title:"the hobbit"', ("title", "", "the hobbit")),
        ('title:="the hobbit"', ("title", "=", "the hobbit")),
        # calibre's own form, the operator inside the quotes (its tag browser writes it)
        ('tags:"=classic"', ("tags", "=", "classic")),
        ('#saga:"=Arrakis"', ("#saga", "=", "Arrakis")),
        ('rating:">=4"', ("rating", ">=", "4")),
        ('title:"~^the"', ("title", "~", "^the")),
        ('title:"\\=x"', ("title", "", "=x")),  # the sign itself, escaped
        ('title:"="', ("title", "", "=")),  # nothing after it: the sign itself
        ('title:=">=4"', ("title", "=", ">=4")),
        ("series:~^dune", ("series", "~", "^dune")),
        ("rating:>=4", ("rating", ">=", "4")),
        ("rating:>4", ("rating", ">", "4")),
        ("pages:<300", ("pages", "<", "300")),
        ("rating:!=3", ("rating", "!=", "3")),
        ("added:<30daysago", ("added", "<", "30daysago")),
        ("status:read or status:want", ("or", ("status", "", "read"), ("status", "", "want"))),
        ("12:30", "12:30"),  # not a field name: a word
        ("a:b:c", ("a", "", "b:c")),
        ("not(a)", ("not", "a")),
        # a value's own parentheses, when they pair up
        ("title:~^(the|a) x", ("and", ("title", "~", "^(the|a)"), "x")),
        ("(a or title:~(x|y))", ("or", "a", ("title", "~", "(x|y)"))),
        ("(title:dune)", ("title", "", "dune")),
    ],
)
def test_trees(text: str, tree: object) -> None:
    assert shape(parse(text)) == tree


@pytest.mark.parametrize(
    ("text", "message", "start", "end"),
    [
        ('title:"the hob', "Unclosed quote", 6, 14),
        ('"abc', "Unclosed quote", 0, 4),
        ("(a or b", "Unclosed parenthesis", 0, 1),
        ("a or b)", "A ')' without its '('", 6, 7),
        ("()", "Empty parentheses", 0, 2),
        ("a or", "Nothing after 'or'", 2, 4),
        ("a and", "Nothing after 'and'", 2, 5),
        ("not", "Nothing after 'not'", 0, 3),
        ("or a", "Nothing before 'or'", 0, 2),
        ("a and or b", "Nothing after 'and'", 2, 5),
        ("(a or)", "Nothing after 'or'", 3, 5),
        ("rating:", "Nothing to look for after 'rating:'", 0, 7),
        ("rating:>=", "Nothing to look for after 'rating:>='", 0, 9),
    ],
)
def test_mistakes_say_what_and_where(text: str, message: str, start: int, end: int) -> None:
    with pytest.raises(SearchError) as raised:
        parse(text)
    assert (raised.value.message, raised.value.start, raised.value.end) == (message, start, end)


def test_places_point_into_the_text() -> None:
    text = 'river  title:"a b"'
    node = parse(text)
    assert isinstance(node, And)
    assert [text[t.start : t.end] for t in node.items if isinstance(t, Term)] == [
        "river",
        'title:"a b"',
    ]


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("river saga", True),
        ("river", True),
        ("", False),
        ('"river saga"', False),
        ("river or saga", False),
        ("not river", False),
        ("title:river", False),
        ("(river saga)", True),  # the same search
    ],
)
def test_plain_searches_are_the_filter_boxs_words(text: str, plain: bool) -> None:
    node = parse(text)
    assert is_plain(node) is plain
    if plain:
        assert plain_words(node) == text.strip("()").split()


def unparse(node: Node) -> str:
    """Text that parses to `node` again: everything quoted, every group in parentheses."""
    if isinstance(node, And):
        return "(" + " and ".join(map(unparse, node.items)) + ")"
    if isinstance(node, Or):
        return "(" + " or ".join(map(unparse, node.items)) + ")"
    if isinstance(node, Not):
        return "not " + unparse(node.item)
    text = node.value.replace("\\", "\\\\").replace('"', '\\"')
    if node.field is not None and not node.op and text[:1] in "=~<>!":
        text = "\\" + text  # not an operator
    quoted = '"' + text + '"'
    return quoted if node.field is None else f"{node.field}:{node.op}{quoted}"


_ANY_TEXT = st.text(alphabet=st.sampled_from('ab :"()\\=~<>!-xyz\t') | st.characters(), max_size=40)


@given(_ANY_TEXT)
def test_any_text_parses_or_says_why(text: str) -> None:
    try:
        node = parse(text)
    except SearchError as error:
        assert 0 <= error.start <= error.end <= len(text)
        assert error.message
        return
    if node is not None:  # and what it read reads back the same
        assert shape(parse(unparse(node))) == shape(node)


_TERMS = st.builds(
    lambda field, op, value: Term(field, op if field else "", value, True, 0, 0),
    st.sampled_from([None, "title", "rating"]),
    st.sampled_from(["", "=", "~", ">=", "<"]),
    st.text(min_size=1, max_size=8),
)
_TREES = st.recursive(
    _TERMS,
    lambda children: st.one_of(
        st.builds(Not, children),
        st.builds(lambda items: And(tuple(items)), st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda items: Or(tuple(items)), st.lists(children, min_size=2, max_size=3)),
    ),
    max_leaves=8,
)


def flat(node: object) -> object:
    """`shape`, with an and inside an and (or an or in an or) as one: the same search."""
    if isinstance(node, tuple) and node[0] in ("and", "or"):
        items: list[object] = []
        for item in map(flat, node[1:]):
            same = isinstance(item, tuple) and item[0] == node[0]
            items += list(item[1:]) if same else [item]  # type: ignore[index]
        return (node[0], *items)
    if isinstance(node, tuple) and node[0] == "not":
        return ("not", flat(node[1]))
    return node


@given(_TREES)
def test_trees_round_trip(tree: Node) -> None:
    assert flat(shape(parse(unparse(tree)))) == flat(shape(tree))
