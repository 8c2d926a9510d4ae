"""The values of a category as the browser shows them, and the tags as a tree: a tag's name is
a path of parts separated by dots ("fiction.fantasy" is fantasy under fiction). Pure.

A parent stands for its own tag, if the library has one, and every tag below it: its count is
of the books that carry any of them (each once, `path_counts` in `counts`), its search finds
them all (`terms.tree_search`). A parent no book carries itself has no name of its own: it cannot
be renamed, only its tags can. Names that differ only in case are one tag, and one parent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bookorbit_desktop.library.categories.paths import DOT, parents_of, tag_key
from bookorbit_desktop.library.categories.terms import tree_search


@dataclass(frozen=True)
class Value:
    """One tag of the tree: `label` as shown (its last part), `path` its whole name, `name`
    the tag's name as the library stores it (None: a parent no book carries itself), how many
    books have it, and the search that finds them."""

    label: str
    path: str
    name: str | None
    books: int
    search: str
    children: tuple[Value, ...] = ()


def below(names: Iterable[str]) -> dict[str, list[str]]:
    """Each parent path (by its key) with the tags it covers, its own among them."""
    names = list(names)
    covered: dict[str, list[str]] = {}
    for name in names:
        for parent in parents_of(name):
            covered.setdefault(tag_key(parent), []).append(name)
    for name in names:
        if tag_key(name) in covered:
            covered[tag_key(name)].append(name)
    return covered


def tag_tree(
    tags: Mapping[str, int], parents: Mapping[str, int], field: str = "tags"
) -> tuple[Value, ...]:
    """The tags (name -> books) as a tree, `parents` (key -> books) counting each parent's;
    or a tag-like custom column's values, searched in `field` ("#genre")."""
    named = {tag_key(name): name for name in tags}
    spelled: dict[str, str] = {}  # key -> the path as first spelled
    children: dict[str, dict[str, None]] = {"": {}}  # key -> its children's keys, in order
    for name in sorted(tags, key=lambda n: (tag_key(n), n)):
        above = ""
        for path in [*parents_of(name), name]:
            spelled.setdefault(tag_key(path), path)
            children.setdefault(tag_key(path), {})
            children[above][tag_key(path)] = None
            above = tag_key(path)

    def node(key: str) -> Value:
        path = spelled[key]
        kids = tuple(node(kid) for kid in children[key])
        name = named.get(key)
        books = parents.get(key, 0) if kids else tags[name or path]
        label = path.rsplit(DOT, 1)[-1] if parents_of(path) else path
        search = tree_search(field, path, has_children=bool(kids))
        return Value(label, path, name, books, search, kids)

    return tuple(node(key) for key in children[""])
