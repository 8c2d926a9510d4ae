"""The search language of the filter box and `books --search`, as calibre users know it: text to
a tree (`parse`), with each part's place in the text so a mistake can be pointed at.

    river saga                  plain words: every one in the title, authors or series
    "lord of the rings"         quotes keep words (and `and`, `or`, `:`) together
    author:tolkien              a field holds the text (case and accents aside)
    title:="the hobbit"         `=`: the whole field, exactly (case and accents aside); calibre's
                                `title:"=the hobbit"` the same (`"\\=x"`: the text "=x")
    series:~^(dune|arrakis)     `~`: a regular expression (its parentheses its own)
    rating:>=4  pages:<300      comparisons: > >= < <= (and `=`)
    a and b, a b                both; `or`: either; `not a`: not this; parentheses group
    #mood:calm                  a custom column, by its label (letters, digits and `_`)

`not` binds tightest, then `and` (written or implied by a space), then `or`: `a or b c` is `a
or (b and c)`. The words `and`, `or` and `not` are operators in any case; quoted, they are
words. Which fields there are and what their values mean is the compiler's business
(`search.compiler`): the parser only reads the shape of the text. It never raises anything but
`SearchError`, whatever the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPERATORS = (">=", "<=", "!=", ">", "<", "=", "~")  # longest first: ">=" before ">"
_FIELD = re.compile(r"[A-Za-z_]+|#[A-Za-z0-9_]+")
_SPECIAL = frozenset('()"')
_SIGNS = '"\\=~<>!'  # escaped first in quotes: the signs operators begin with


class SearchError(ValueError):
    """A search that cannot be read: the message, and where in the text (`start` to `end`)."""

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end


@dataclass(frozen=True)
class Term:
    """`field:opvalue` (field None: plain words), at `start`..`end` in the text."""

    field: str | None  # lower case as typed; None for plain text
    op: str  # "" (contains, or equal for numbers and dates) or one of OPERATORS
    value: str
    quoted: bool
    start: int
    end: int


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


Node = Term | Not | And | Or


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "and", "or", "not", "term"
    start: int
    end: int
    term: Term | None = None


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The text of the quotes opening at `start` (`\\"` and `\\\\` escape, and first a sign
    that would be an operator: `"\\=x"` is the text "=x"), and where it ends."""
    value: list[str] = []
    at = start + 1
    while at < len(text):
        char = text[at]
        escaped = '"\\' if at > start + 1 else _SIGNS
        if char == "\\" and at + 1 < len(text) and text[at + 1] in escaped:
            value.append(text[at + 1])
            at += 2
        elif char == '"':
            return "".join(value), at + 1
        else:
            value.append(char)
            at += 1
    raise SearchError("Unclosed quote", start, len(text))


def _word_end(text: str, at: int) -> int:
    while at < len(text) and not text[at].isspace() and text[at] not in _SPECIAL:
        at += 1
    return at


def _value_end(text: str, at: int) -> int:
    """The end of a field's unquoted value: its parentheses are its own when they pair up
    (`title:~^(the|a)`); a `)` it did not open closes a group around the term."""
    depth = 0
    while at < len(text) and not text[at].isspace() and text[at] != '"':
        if text[at] == "(":
            depth += 1
        elif text[at] == ")":
            if depth == 0:
                break
            depth -= 1
        at += 1
    return at


def _term(text: str, start: int) -> tuple[_Token, int]:
    """The word, quoted text or `field:value` starting at `start`."""
    if text[start] == '"':
        value, end = _quoted(text, start)
        return _Token("term", start, end, Term(None, "", value, True, start, end)), end
    end = _word_end(text, start)
    word = text[start:end]
    field, colon, rest = word.partition(":")
    if not colon or not _FIELD.fullmatch(field):
        keyword = word.lower()
        if keyword in ("and", "or", "not"):
            return _Token(keyword, start, end), end
        return _Token("term", start, end, Term(None, "", word, False, start, end)), end
    op = next((op for op in OPERATORS if rest.startswith(op)), "")
    end = _value_end(text, start + len(field) + 1 + len(op))
    value, quoted = text[start + len(field) + 1 + len(op) : end], False
    if not value and end < len(text) and text[end] == '"':  # field:"two words"
        opening = end
        value, end = _quoted(text, end)
        quoted = True
        inner = next((sign for sign in OPERATORS if text.startswith(sign, opening + 1)), "")
        if not op and inner and len(value) > len(inner):  # calibre's field:"=two words"
            op, value = inner, value[len(inner) :]
    if not value and not quoted:
        raise SearchError(f"Nothing to look for after '{field}:{op}'", start, end)
    term = Term(field.lower(), op, value, quoted, start, end)
    return _Token("term", start, end, term), end


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    while at < len(text):
        char = text[at]
        if char.isspace():
            at += 1
        elif char in "()":
            tokens.append(_Token(char, at, at + 1))
            at += 1
        else:
            token, at = _term(text, at)
            tokens.append(token)
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def operand_after(self, operator: _Token) -> None:
        """`and`, `or` and `not` need a term or a group after them: SearchError otherwise."""
        following = self.peek()
        if following is None or following.kind in (")", "or", "and"):
            raise SearchError(f"Nothing after '{operator.kind}'", operator.start, operator.end)

    def either(self) -> Node:
        items = [self.both()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            self.operand_after(token)
            items.append(self.both())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def both(self) -> Node:
        items = [self.negated()]
        while (token := self.peek()) is not None and token.kind not in (")", "or"):
            if token.kind == "and":
                self.take()
                self.operand_after(token)
            items.append(self.negated())
        return items[0] if len(items) == 1 else And(tuple(items))

    def negated(self) -> Node:
        token = self.take()
        if token.kind == "not":
            self.operand_after(token)
            return Not(self.negated())
        if token.kind == "(":
            if (following := self.peek()) is not None and following.kind == ")":
                raise SearchError("Empty parentheses", token.start, following.end)
            if following is None:
                raise SearchError("Unclosed parenthesis", token.start, token.end)
            inner = self.either()
            closing = self.peek()
            if closing is None:
                raise SearchError("Unclosed parenthesis", token.start, token.end)
            self.take()  # ")": `either` stops only there or at the end
            return inner
        if token.kind == ")":
            raise SearchError("A ')' without its '('", token.start, token.end)
        if token.kind in ("and", "or"):
            raise SearchError(f"Nothing before '{token.kind}'", token.start, token.end)
        assert token.term is not None
        return token.term


def parse(text: str) -> Node | None:
    """The tree of a search (None for a blank one); `SearchError` says what is wrong and where."""
    parser = _Parser(text)
    if not parser.tokens:
        return None
    node = parser.either()
    if (extra := parser.peek()) is not None:  # only a ")" stops `either` early
        raise SearchError("A ')' without its '('", extra.start, extra.end)
    return node


def is_plain(node: Node | None) -> bool:
    """The search is plain words only (no fields, quotes or operators): what the filter box
    always searched, which the library's index answers as it always did."""
    if isinstance(node, Term):
        return node.field is None and not node.quoted
    return isinstance(node, And) and all(is_plain(item) for item in node.items)


def plain_words(node: Node | None) -> list[str]:
    """The words of a plain search (`is_plain`), in order."""
    if isinstance(node, Term):
        return [node.value]
    if isinstance(node, And):
        return [word for item in node.items for word in plain_words(item)]
    return []
