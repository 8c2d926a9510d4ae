"""The user's corrections to matching: Pick, Re-match, Exclude, Include, Remove Entry and Add
to Hardcover Again.

Pick pins a Hardcover book and edition to a local book; nothing automatic overwrites it.
Re-match forgets the link so the next pass matches again; Exclude stops syncing a book. All
three keep the Hardcover library entry: removing one is its own action (`remove_entry`, or the
`remove_from_hardcover` flag the user sets explicitly), allowed only for an entry BookOrbit
created (an entry the user made is theirs), and the window names what goes with it first.
If Hardcover refuses a removal, nothing is changed locally, so the entry's id is never lost.
A removed entry stays removed: no sync (worker, Sync Now, the command line) adds it back until
the user picks or re-matches the book, or adds it again (`add_again`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.hardcover.api.client import HardcoverClient
from bookorbit_desktop.hardcover.api.errors import HardcoverError, NotConnectedError
from bookorbit_desktop.hardcover.matching.catalog import (
    EditionInfo,
    HardcoverBook,
    edition_from_record,
)
from bookorbit_desktop.hardcover.matching.editions import choose_edition, describe_edition
from bookorbit_desktop.hardcover.matching.matcher import Matcher, search_query
from bookorbit_desktop.hardcover.matching.scoring import (
    Evidence,
    describe,
    rank_key,
    score_candidate,
)
from bookorbit_desktop.hardcover.matching.store import (
    MatchRecord,
    candidate_json,
    clear_link,
    get_match,
    local_book,
    mark_removed,
    pin,
    record_user_book,
)
from bookorbit_desktop.hardcover.matching.store import add_again as store_add_again
from bookorbit_desktop.hardcover.matching.store import exclude as store_exclude
from bookorbit_desktop.hardcover.matching.store import include as store_include
from bookorbit_desktop.hardcover.matching.store import lead as store_lead
from bookorbit_desktop.library.store.models import Book


class RemovalFailedError(HardcoverError):
    title = "Hardcover entry not removed"


@dataclass(frozen=True)
class ActionResult:
    record: MatchRecord
    message: str
    # Excluded, but the Hardcover entry BookOrbit made stays: a front end may offer removing it.
    own_entry_kept: bool = False


def _book(book_id: int) -> Book:
    book = Book.get_or_none(Book.id == book_id)
    if book is None:
        raise NotFoundError(f"There is no book {book_id} in the library. List books with: books")
    return book


def owns_entry(record: MatchRecord | None) -> bool:
    """BookOrbit created this book's Hardcover library entry (so it may remove it)."""
    return record is not None and record.created_by_us and record.user_book_id is not None


async def _link_before(
    book_id: int, client: HardcoverClient | None, *, remove_own_entry: bool
) -> tuple[MatchRecord | None, bool]:
    """The book's link, and whether BookOrbit's own Hardcover entry for it was removed first."""
    _book(book_id)
    current = get_match(book_id)
    if not (remove_own_entry and current is not None and owns_entry(current)):
        return current, False
    await _remove_entry(client, current)
    return current, True


async def _remove_entry(client: HardcoverClient | None, record: MatchRecord) -> None:
    """Delete BookOrbit's own Hardcover entry for this book; raise (changing nothing) if not."""
    if client is None:
        raise NotConnectedError()
    assert record.user_book_id is not None
    if not await client.delete_user_book(record.user_book_id):
        raise RemovalFailedError(
            "Hardcover did not remove the library entry BookOrbit created for this book, so "
            "the link was kept. Try again later, or remove it on hardcover.app."
        )
    record_user_book(record.book_id, None, created_by_us=False)


async def pick(
    client: HardcoverClient,
    book_id: int,
    hc_book_id: int,
    *,
    edition_id: int | None = None,
    remove_previous: bool = False,
) -> ActionResult:
    """Link the book to Hardcover book `hc_book_id` (and `edition_id`, or the best edition);
    the previous book's entry stays unless the user asked to remove it (`remove_previous`)."""
    local = local_book(_book(book_id))
    matcher = Matcher(client)
    await matcher.hydrate([hc_book_id], (), [local.language] if local.language else ())
    chosen: HardcoverBook | None = matcher.book(hc_book_id)
    if chosen is None or chosen.status_id == 3:
        raise NotFoundError(
            f"Hardcover has no book {hc_book_id}. Find the right id with: hardcover search"
        )
    notes = []
    if chosen.id != hc_book_id:
        notes.append(f"Hardcover merged book {hc_book_id} into {chosen.id}")
    edition: EditionInfo | None
    if edition_id is not None:
        found = await client.edition_by_id(edition_id)
        if found is None:
            raise NotFoundError(f"Hardcover has no edition {edition_id}.")
        edition = edition_from_record(found)
        if edition.book_id not in (chosen.id, hc_book_id):
            raise InvalidValueError(
                f"Edition {edition_id} belongs to Hardcover book {edition.book_id}, "
                f"not {chosen.id}. Pick that book, or another edition.",
                title="Edition of another book",
            )
        if edition.is_audio:
            notes.append("an audiobook edition: progress will sync as status and dates only")
    else:
        edition = choose_edition(chosen.editions, language=local.language).edition
    current = get_match(book_id)
    moved = current is not None and current.hc_book_id != chosen.id
    if moved and remove_previous and current is not None and owns_entry(current):
        await _remove_entry(client, current)
        notes.append("removed the Hardcover entry BookOrbit had made for the previous book")
    elif moved and current is not None and current.user_book_id is not None:
        notes.append("the previous book's Hardcover entry stays on your profile")
    candidate = candidate_json(score_candidate(local, chosen))
    if edition is not None:
        candidate["edition"] = describe_edition(edition)
    record = pin(
        book_id,
        chosen.id,
        edition_id=edition.id if edition else None,
        edition_pages=edition.pages if edition else None,
        reason="picked by you",
        candidate=candidate,
    )
    what = describe(chosen)
    where = f", edition {describe_edition(edition)}" if edition else ", no edition known"
    message = f"Linked to {what}{where}."
    if candidate["differences"]:
        message += f" Differences noted: {', '.join(candidate['differences'])}."
    if notes:
        message += " " + "; ".join(n[0].upper() + n[1:] for n in notes) + "."
    return ActionResult(record, message)


async def search_candidates(
    client: HardcoverClient, book_id: int, query: str | None = None, *, limit: int = 10
) -> tuple[str, list[dict[str, Any]]]:
    """Search Hardcover (title and author by default) and weigh each hit against the book.

    Read-only: the book's stored candidates and link are left as they are.
    """
    local = local_book(_book(book_id))
    query = (query or "").strip() or search_query(local)
    result = await client.search_books(query, per_page=limit)
    matcher = Matcher(client)
    languages = [local.language] if local.language else []
    await matcher.hydrate([hit.id for hit in result.hits], (), languages)
    scored = []
    for rank, hit in enumerate(result.hits):
        book = matcher.book(hit.id)
        if book is not None:
            scored.append(score_candidate(local, book, Evidence(search_rank=rank)))
    scored.sort(key=rank_key)
    return query, [candidate_json(s) for s in scored]


async def rematch(
    book_id: int, client: HardcoverClient | None, *, remove_from_hardcover: bool = False
) -> ActionResult:
    """Forget the link; the Hardcover entry stays unless the user asked to remove it."""
    current, removed = await _link_before(book_id, client, remove_own_entry=remove_from_hardcover)
    record = clear_link(book_id, entry_kept=not removed)
    message = "The link was cleared; the book is matched again at the next sync."
    if removed:
        message += " The Hardcover entry BookOrbit had created was removed."
    elif current is not None and current.user_book_id is not None:
        message += " Its Hardcover entry stays on your profile as it is."
    return ActionResult(record, message)


async def remove_entry(book_id: int, client: HardcoverClient | None) -> ActionResult:
    """Remove the Hardcover library entry BookOrbit created for this book (the user asked);
    the link stays, and no sync adds the entry back until the user asks (`add_again`)."""
    current = get_match(book_id)
    _book(book_id)
    if current is None or current.user_book_id is None:
        raise NotFoundError("This book has no entry in your Hardcover library.")
    if not owns_entry(current):
        raise InvalidValueError(
            "This Hardcover entry was not made by BookOrbit, so BookOrbit does not remove it. "
            "Remove it on hardcover.app if you want it gone.",
            title="Not BookOrbit's entry",
        )
    await _remove_entry(client, current)
    copies = mark_removed(book_id)
    message = (
        "The Hardcover entry was removed. It stays removed: no sync adds it back until you "
        "choose Add to Hardcover Again, Pick or Re-match."
    )
    if len(copies) > 1:
        message += f" The {len(copies) - 1} other linked copies are not synced either."
    return ActionResult(get_match(book_id) or current, message)


def add_again(book_id: int) -> ActionResult:
    """Undo Remove Entry on purpose: the next sync adds the book to Hardcover again."""
    _book(book_id)
    store_add_again(book_id)
    record = get_match(book_id)
    assert record is not None
    return ActionResult(record, "The book goes to your Hardcover library with the next sync.")


async def exclude(
    book_id: int, client: HardcoverClient | None, *, remove_from_hardcover: bool = False
) -> ActionResult:
    """Never sync this book; optionally remove the Hardcover entry BookOrbit created."""
    current, removed = await _link_before(book_id, client, remove_own_entry=remove_from_hardcover)
    record = store_exclude(book_id)
    message = "This book will not be synced to Hardcover."
    if removed:
        message += " The Hardcover entry BookOrbit had created was removed."
    elif owns_entry(current):
        message += " The entry BookOrbit had added to your Hardcover library stays there."
        return ActionResult(record, message, own_entry_kept=True)
    elif remove_from_hardcover and current is not None and current.user_book_id is not None:
        message += " Its Hardcover entry was not made by BookOrbit, so it was left there."
    elif current is not None and current.user_book_id is not None:
        message += " Its Hardcover entry stays on your profile as it is."
    return ActionResult(record, message)


def lead(book_id: int) -> str:
    """This copy speaks for its Hardcover book (a reread in another copy, a translation)."""
    _book(book_id)
    copies = store_lead(book_id)
    others = len(copies) - 1
    if others <= 0:
        return "This is the only copy linked to that Hardcover book; it already speaks for it."
    return (
        f"This copy now gives the Hardcover entry its status, progress and dates "
        f"({others} other {'copy' if others == 1 else 'copies'} linked); it goes out with the "
        "next sync."
    )


def include(book_id: int) -> ActionResult:
    """Undo Exclude."""
    _book(book_id)
    record = store_include(book_id)
    if record.state == "linked":
        return ActionResult(record, "Syncing this book again, with its previous link.")
    return ActionResult(record, "Syncing this book again; the next matching pass links it.")
