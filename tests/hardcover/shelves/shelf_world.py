"""Shelves on the fake Hardcover and books in the library, pulled: one of each kind of entry.

- "dune": linked (picked) to its library copy;
- "hobbit": in the library unlinked, same ISBN, the author written another way: likely;
- "neuromancer": in the library unlinked, no ISBN, same title and author: likely;
- "messiah": a library book by the same author with another title ("Children of Dune"): missing;
- "emma": a library "Emma" by another author: missing;
- "inbox": the same ISBN as a book waiting in the Inbox: missing (the Inbox is not the library).
Want to Read holds all but "dune", which is Currently Reading; the list "Favourites" holds
"dune", "messiah" and a book the user has no entry for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bookorbit_desktop.hardcover.matching.store import pin
from bookorbit_desktop.hardcover.pull.run import pull
from bookorbit_desktop.library.store import inbox
from tests.factories import add_book
from tests.fakes.hardcover_catalog import CURRENTLY_READING, EBOOK, WANT_TO_READ
from tests.fakes.hardcover_shelves import add_list

HOBBIT_ISBN = "9780547928227"
INBOX_ISBN = "9780141439518"


@dataclass
class Shelved:
    hc: dict[str, int] = field(default_factory=dict)
    books: dict[str, int] = field(default_factory=dict)
    entries: dict[str, int] = field(default_factory=dict)
    list_id: int = 0


async def shelve(world) -> Shelved:
    catalog, uid = world.catalog, world.hardcover.user_id
    made = Shelved()
    for key, title, author, isbn in (
        ("dune", "Dune", "Frank Herbert", None),
        ("hobbit", "The Hobbit", "J.R.R. Tolkien", HOBBIT_ISBN),
        ("neuromancer", "Neuromancer", "William Gibson", None),
        ("messiah", "Dune Messiah", "Frank Herbert", None),
        ("emma", "Emma", "Jane Austen", None),
        ("inbox", "Persuasion", "Jane Austen", INBOX_ISBN),
        ("other", "Snow Crash", "Neal Stephenson", None),
    ):
        made.hc[key] = catalog.add_book(title, authors=[author], users_count=5)
        edition = catalog.add_edition(
            made.hc[key], isbn_13=isbn, pages=300, reading_format_id=EBOOK
        )
        if key != "other":
            status = CURRENTLY_READING if key == "dune" else WANT_TO_READ
            made.entries[key] = catalog.add_user_book(
                uid, made.hc[key], status_id=status, edition_id=edition
            )
    made.list_id = add_list(
        catalog, uid, "Favourites", (made.hc["dune"], made.hc["messiah"], made.hc["other"])
    )
    made.books["dune"] = add_book("Dune", ["Frank Herbert"], status="reading").id
    pin(made.books["dune"], made.hc["dune"], edition_id=None, edition_pages=None, reason="picked")
    made.books["hobbit"] = add_book("The Hobbit", ["Tolkien, J. R. R."], isbn13=HOBBIT_ISBN).id
    made.books["neuromancer"] = add_book("Neuromancer", ["William Gibson"]).id
    made.books["children"] = add_book("Children of Dune", ["Frank Herbert"]).id
    made.books["emma"] = add_book("Emma", ["Emma Donoghue"]).id
    made.books["inbox"] = add_book("Persuasion", ["Jane Austen"], isbn13=INBOX_ISBN).id
    inbox.hold([made.books["inbox"]])
    result = await pull(world.client, uid, full=True)
    assert result.error is None
    return made
