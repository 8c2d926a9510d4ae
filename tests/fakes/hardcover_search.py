"""The fake Hardcover `search`: Typesense-shaped results over the catalogue's books.

Ranking follows Hardcover's book defaults closely enough for client tests: token overlap with
title/ISBNs/series/authors/alternative titles (weights 5,5,3,1,1), then `users_count`.
Merged and deleted books never appear, as on hardcover.app.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from tests.fakes.hardcover_catalog import AUDIO, BOTH, EBOOK, Catalog

_WEIGHTS = {"title": 5, "isbns": 5, "series_names": 3, "author_names": 1, "alternative_titles": 1}


def _tokens(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return set(re.findall(r"[a-z0-9]+", folded))


def book_document(catalog: Catalog, book: dict[str, Any]) -> dict[str, Any]:
    """The Typesense document Hardcover indexes for a book (hardcover-api.md §2.2)."""
    editions = catalog.book_editions(book["id"])
    contributors = catalog.cached_contributors(book["id"])
    series_rows = catalog.book_series_rows(book["id"])
    series_names = [catalog.tables["series"][s["series_id"]]["name"] for s in series_rows]
    featured: dict[str, Any] = {}
    if series_rows:
        first = series_rows[0]
        series = catalog.tables["series"][first["series_id"]]
        featured = {
            "position": first["position"],
            "details": None if first["position"] is None else f"#{first['position']:g}",
            "series": {
                "id": series["id"],
                "name": series["name"],
                "slug": series["slug"],
                "books_count": series["books_count"],
            },
        }
    physical = catalog.default_edition(book, "physical")
    isbns = [e[k] for e in editions for k in ("isbn_13", "isbn_10") if e.get(k)]
    formats = {e["reading_format_id"] for e in editions}
    return {
        "id": str(book["id"]),
        "slug": book["slug"],
        "title": book["title"],
        "subtitle": book.get("subtitle"),
        "alternative_titles": list(book.get("alternative_titles") or []),
        "author_names": [c["author"]["name"] for c in contributors if c["contribution"] is None],
        "contributions": contributors,
        "contribution_types": sorted({c["contribution"] or "Author" for c in contributors}),
        "isbns": isbns,
        "users_count": book["users_count"],
        "users_read_count": book["users_read_count"],
        "rating": book.get("rating") or 0,
        "ratings_count": book["ratings_count"],
        "pages": book.get("pages") or (physical or {}).get("pages"),
        "audio_seconds": book.get("audio_seconds"),
        "has_audiobook": bool(formats & {AUDIO, BOTH}),
        "has_ebook": EBOOK in formats,
        "compilation": book["compilation"],
        "release_year": book.get("release_year"),
        "release_date": book.get("release_date"),
        "series_names": series_names,
        "featured_series": featured,
        "featured_series_position": featured.get("position"),
        "image": {"url": f"https://assets.hardcover.app/books/{book['id']}.jpg"},
        "genres": [],
        "moods": [],
        "tags": [],
    }


def _text_match(query_tokens: set[str], document: dict[str, Any]) -> int:
    score = 0
    for field, weight in _WEIGHTS.items():
        value = document.get(field)
        values = value if isinstance(value, list) else [value or ""]
        field_tokens: set[str] = set()
        for item in values:
            field_tokens |= _tokens(str(item))
        score += weight * len(query_tokens & field_tokens)
    return score


def search_books(
    catalog: Catalog, query: str, *, per_page: int | None, page: int | None
) -> dict[str, Any]:
    """The `SearchOutput` object for a book search."""
    per_page = max(1, min(per_page or 25, 100))
    page = max(page or 1, 1)
    query_tokens = _tokens(query)
    scored = []
    for book in catalog.rows("books"):
        if not catalog.is_live(book):
            continue
        document = book_document(catalog, book)
        text_match = _text_match(query_tokens, document)
        if text_match:
            scored.append((text_match, book["users_count"], -book["id"], document))
    scored.sort(key=lambda item: item[:3], reverse=True)
    window = scored[(page - 1) * per_page : page * per_page]
    hits = [
        {
            "document": document,
            "highlight": {},
            "highlights": [],
            "text_match": text_match * 1_000_000,
            "text_match_info": {"tokens_matched": text_match},
        }
        for text_match, _users, _id, document in window
    ]
    return {
        "error": None,
        "ids": [int(hit["document"]["id"]) for hit in hits],
        "page": page,
        "per_page": per_page,
        "query": query,
        "query_type": "Book",
        "results": {
            "facet_counts": [],
            "found": len(scored),
            "hits": hits,
            "out_of": len(catalog.tables["books"]),
            "page": page,
            "request_params": {
                "collection_name": "Book_production",
                "first_q": query,
                "per_page": per_page,
                "q": query,
            },
            "search_cutoff": False,
            "search_time_ms": 1,
        },
    }
