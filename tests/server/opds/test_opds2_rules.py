"""The OPDS 2.0 writer without a server: any book metadata makes a publication the schemas
accept, fields the schemas constrain are left out rather than written broken, and the schema
check itself catches broken documents."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.store.keyset import FIRST
from bookorbit_desktop.server.opds.model import (
    ACQUISITION_TYPE,
    CatalogUrls,
    Feed,
    FeedMeta,
)
from bookorbit_desktop.server.opds.opds2.publication import publication
from bookorbit_desktop.server.opds.opds2.writer import feed_object, json_document
from bookorbit_desktop.server.opds.paging import Page
from bookorbit_desktop.server.opds.queries import BookEntry, FileEntry
from bookorbit_desktop.server.opds.text import entry_authors, entry_title
from tests.server.opds.json_support import PUBLICATION_SCHEMA, assert_valid_feed, schema_errors

URLS = CatalogUrls(feeds="/v2", search_param="query")


def _book(**fields: object) -> BookEntry:
    values: dict[str, object] = dict(
        id=7, title="Dune", subtitle=None, authors=("Frank Herbert",), languages=("en",),
        series=None, series_index=None, publisher=None, published=None, description=None,
        isbn13=None, pages=None, cover_path=None, added_at=0.0, updated_at=1.0,
        files=(FileEntry(3, "epub", 10),),
    )  # fmt: skip
    values.update(fields)
    return BookEntry(**values)  # type: ignore[arg-type]


def _feed(books: list[BookEntry]) -> Feed:
    page = Page(books, 20, FIRST, None, None, total=len(books), start=0)
    meta = FeedMeta(
        "urn:x", "Books", "/opds/v2/books", ACQUISITION_TYPE, 0.0, page=page,
        page_href=lambda cursor: URLS.feed("books", cursor), search_results=True,
    )  # fmt: skip
    return Feed(meta, books=books)


def test_the_schema_check_catches_broken_documents():
    good = feed_object(_feed([_book()]), URLS)
    assert_valid_feed(good)
    no_self = {**good, "links": [item for item in good["links"] if item["rel"] != "self"]}
    assert schema_errors(no_self)
    no_acquisition = {**good["publications"][0], "links": []}
    assert schema_errors(no_acquisition, PUBLICATION_SCHEMA)
    bad_language = {**good["publications"][0], "metadata": {"title": "x", "language": "en_US!"}}
    assert schema_errors(bad_language, PUBLICATION_SCHEMA)
    bad_date = {**good["publications"][0], "metadata": {"title": "x", "published": "1965-08"}}
    assert schema_errors(bad_date, PUBLICATION_SCHEMA)
    bmp = {**good["publications"][0], "images": [{"href": "/c", "type": "image/bmp"}]}
    assert schema_errors(bmp, PUBLICATION_SCHEMA)
    empty = {key: value for key, value in good.items() if key != "publications"}
    assert schema_errors(empty)


def test_fields_that_would_break_the_schema_are_left_out():
    metadata = publication(
        _book(languages=("English",), published="1965-08", isbn13="978 0441 X", series=" \n "),
        URLS,
    )["metadata"]
    assert not {"language", "published", "altIdentifier", "belongsTo"} & set(metadata)
    kept = publication(
        _book(languages=("pt-BR",), published="1965-02-28", isbn13="978-0441013593"), URLS
    )["metadata"]
    assert kept["language"] == "pt-BR" and kept["published"] == "1965-02-28"
    assert kept["altIdentifier"] == ["urn:isbn:9780441013593"]
    assert publication(_book(published="1965-02-30"), URLS)["metadata"].get("published") is None


def test_every_language_of_a_book_is_published_in_order():
    """One language is a tag, several the list of them (the schema allows both), the main one
    first; one that is no tag is left out of the list."""
    parallel = publication(_book(languages=("en", "English", "fr")), URLS)["metadata"]
    assert parallel["language"] == ["en", "fr"]
    assert not schema_errors(publication(_book(languages=("en", "fr")), URLS), PUBLICATION_SCHEMA)
    assert "language" not in publication(_book(languages=()), URLS)["metadata"]


def test_the_subtitle_and_pages_the_user_gave_are_published():
    metadata = publication(_book(subtitle="  A Novel\n", pages=412), URLS)["metadata"]
    assert (metadata["subtitle"], metadata["numberOfPages"]) == ("A Novel", 412)
    given = publication(_book(subtitle="A Novel", pages=412), URLS)
    assert not schema_errors(given, PUBLICATION_SCHEMA)
    assert not {"subtitle", "numberOfPages"} & set(publication(_book(), URLS)["metadata"])


def test_an_empty_list_leads_back_to_the_start():
    document = feed_object(_feed([]), URLS)
    assert_valid_feed(document)
    assert document["navigation"][0]["href"] == "/opds/v2"
    assert document["metadata"]["numberOfItems"] == 0


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=200),
    st.lists(st.text(max_size=40), max_size=3),
    st.one_of(st.none(), st.text(max_size=200)),
    st.one_of(st.none(), st.text(max_size=30)),
    st.lists(st.one_of(st.text(max_size=12), st.sampled_from(["en", "fr", "pt-BR"])), max_size=3),
    st.one_of(st.none(), st.text(max_size=12)),
    st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
    st.one_of(st.none(), st.sampled_from(["covers/1.jpg", "covers/1.png", "covers/1.bmp"])),
    st.lists(st.sampled_from(["epub", "pdf", "x y", "cbz", "AZW3"]), min_size=1, max_size=3),
)
def test_any_metadata_makes_a_valid_publication(
    title, authors, description, series, languages, published, index, cover, formats
):
    book = _book(
        title=title, authors=tuple(authors), description=description, series=series,
        languages=tuple(languages), published=published, series_index=index, cover_path=cover,
        publisher=title, isbn13=published, subtitle=description,
        files=tuple(FileEntry(n, fmt, n) for n, fmt in enumerate(formats)),
    )  # fmt: skip
    document = json_document(_feed([book]), URLS)
    import json

    parsed = json.loads(document)
    assert_valid_feed(parsed)
    metadata = parsed["publications"][0]["metadata"]
    assert metadata["title"] == entry_title(title)
    assert [author["name"] for author in metadata.get("author", [])] == entry_authors(authors)
