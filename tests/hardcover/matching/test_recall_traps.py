"""The recall traps of the catalogue (author name forms, spelling, volumes, formats), each
loaded into the fake Hardcover and matched end to end: the should-link side links the right
book, the must-refuse side links nothing."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.matching.catalog import COMIC_ROLES, HardcoverBook
from bookorbit_desktop.hardcover.matching.matcher import Matcher
from bookorbit_desktop.hardcover.matching.store import LINKED, get_match
from tests.factories import add_book
from tests.fakes.hardcover_catalog import AUDIO, EBOOK, PHYSICAL, Catalog
from tests.hardcover.matching.match_traps import HC, TRAPS, Trap, work

FIRST = next(i for i, t in enumerate(TRAPS) if t.name == "family name first with glued initials")
RECALL_TRAPS = [t for t in TRAPS if t.name.startswith("ISBN of vol. 10")] + list(TRAPS[FIRST:])
FORMATS = {"audio": AUDIO, "ebook": EBOOK, "physical": PHYSICAL}


def load(catalog: Catalog, book: HardcoverBook) -> None:
    role = "Illustrator" if book.roles & COMIC_ROLES else "Translator"
    catalog.add_book(
        book.title,
        id=book.id,
        subtitle=book.subtitle,
        authors=[*book.authors, *((name, role) for name in book.contributors)],
        users_count=book.users_count,
        series=book.series[0].name if book.series else None,
        series_position=book.series[0].position if book.series else None,
        alternative_titles=book.alternative_titles,
        compilation=book.compilation,
        book_category_id=book.category or 1,
    )
    for edition in book.editions:
        catalog.add_edition(
            book.id,
            isbn_13=edition.isbn_13,
            pages=edition.pages,
            language=edition.language,
            reading_format_id=FORMATS.get(edition.reading_format, PHYSICAL),
            title=edition.title,
        )
    aliases: dict[str, list[str]] = {}
    for author, alias in book.author_aliases:
        aliases.setdefault(author, []).append(alias)
    for author, names in aliases.items():
        catalog.set_alternate_names(author, names)


@pytest.mark.parametrize("trap", RECALL_TRAPS, ids=[t.name for t in RECALL_TRAPS])
async def test_recall_trap_against_the_fake(trap: Trap, library, hardcover, hc_client, tmp_path):
    for key in dict.fromkeys((*trap.found, *trap.isbn)):
        load(hardcover.catalog, HC[key])
    local = trap.local
    file = None
    if local.file_formats:
        file = tmp_path / f"book.{sorted(local.file_formats)[0]}"
        file.write_bytes(b"content " * 64)
    book = add_book(
        local.title,
        list(local.authors),
        status="reading",
        isbn13=local.isbn13,
        language=local.language,
        series=local.series,
        series_index=local.series_index,
        file=file,
    )

    await Matcher(hc_client).run()

    record = get_match(book.id)
    linked = next((k for k, b in HC.items() if b.id == record.hc_book_id), None)
    if trap.outcome == LINKED:
        assert record.state == LINKED, record.reason
        assert linked is not None and work(linked) == work(trap.linked), record.reason
    else:
        assert record.state != LINKED, record.reason
