"""The data behind the fake Hardcover server: books, editions, users, tokens and libraries.

Tests and benchmarks fill a `Catalog` through its `add_*` methods and read it back through
`rows()` / `get()`; the fake server answers GraphQL queries from it. Rows are plain dicts keyed
by the column names of Hardcover's schema, so the generic resolvers can serve any column a
test stores without further code.

Stable API (used by many tests; extend it, do not change it):

    catalog = Catalog()
    author = catalog.add_author("Ursula K. Le Guin")            # -> author id
    book = catalog.add_book("A Wizard of Earthsea", authors=["Ursula K. Le Guin"],
                            release_year=1968, users_count=5000,
                            series="Earthsea Cycle", series_position=1)  # -> book id
    edition = catalog.add_edition(book, isbn_13="9780547773742", pages=183,
                                  reading_format_id=EBOOK, language="en", users_count=120)
    user = catalog.add_user("reader")                            # -> user id
    token = catalog.add_token(user)                          # -> "hc_pat_..." with DEFAULT_SCOPES
    catalog.add_user_book(user, book, status_id=2, edition_id=edition)
    catalog.merge_book(old_book, into=book)                      # Hardcover dedupe
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

# reading_format_id values (hardcover-api.md §3).
PHYSICAL, AUDIO, BOTH, EBOOK = 1, 2, 3, 4
READING_FORMATS = {PHYSICAL: "Physical Book", AUDIO: "Audiobook", BOTH: "Both", EBOOK: "E-Book"}

# user_book status ids.
WANT_TO_READ, CURRENTLY_READING, READ, PAUSED, DID_NOT_FINISH, IGNORED = 1, 2, 3, 4, 5, 6
USER_BOOK_STATUSES = {
    1: "Want to Read",
    2: "Currently Reading",
    3: "Read",
    4: "Paused",
    5: "Did Not Finish",
    6: "Ignored",
}

# book_status_id values.
BOOK_OK, BOOK_TO_REVIEW, BOOK_DELETED, BOOK_DEDUPED = 1, 2, 3, 4

# Hardcover's "E-Reader / Sync Client" scope preset, and the scope a legacy token carries.
SYNC_SCOPES = frozenset({"read:catalog", "read:library", "write:library", "read:me:content"})
ALL_SCOPES = frozenset({"all"})
# A token's scopes unless a test says otherwise: the preset with `read:lists` (the shelves)
# and the goals' scopes, as the token link asks;
# `read:journal` is ticked by the tests that need it.
DEFAULT_SCOPES = SYNC_SCOPES | {"read:lists", "read:goals", "write:goals"}

_LANGUAGES = {
    "en": ("eng", "English"),
    "de": ("deu", "German"),
    "fr": ("fra", "French"),
    "es": ("spa", "Spanish"),
    "it": ("ita", "Italian"),
    "pt": ("por", "Portuguese"),
    "nl": ("nld", "Dutch"),
    "ja": ("jpn", "Japanese"),
    "zh": ("zho", "Chinese"),
    "ko": ("kor", "Korean"),
    "ru": ("rus", "Russian"),
    "pl": ("pol", "Polish"),
    "sv": ("swe", "Swedish"),
}

TABLES = (
    "authors",
    "books",
    "editions",
    "contributions",
    "series",
    "book_series",
    "languages",
    "reading_formats",
    "user_book_statuses",
    "users",
    "user_books",
    "user_book_reads",
    "reading_journals",
    "lists",
    "list_books",
    "goals",
)

# Columns every row of a table gets unless the caller gives them (the schema marks them
# non-null, so Hardcover always returns a value).
_TIMESTAMP = "2024-01-01T00:00:00"
# fmt: off
_DEFAULTS: dict[str, dict[str, Any]] = {
    "authors": {"books_count": 0, "locked": False, "object_type": "Author", "state": "active",
                "users_count": 0, "alternate_names": []},
    "books": {"activities_count": 0, "book_category_id": 1, "book_status_id": BOOK_OK,
              "compilation": False, "created_at": _TIMESTAMP, "curation_status": 0,
              "import_platform_id": 1, "journals_count": 0, "locked": False, "prompts_count": 0,
              "ratings_count": 0, "reviews_count": 0, "users_count": 0, "users_read_count": 0,
              "alternative_titles": [], "lists_count": 0, "canonical_id": None,
              "rating": None},  # nobody rated it: Hardcover sends null
    "editions": {"compilation": False, "created_at": _TIMESTAMP, "curation_status": 0,
                 "lists_count": 0, "locked": False, "object_type": "Edition", "score": 0,
                 "state": "normalized", "updated_at": _TIMESTAMP, "users_count": 0,
                 "users_read_count": 0, "reading_format_id": PHYSICAL, "canonical_id": None},
    "contributions": {"contributable_type": "Book", "created_at": _TIMESTAMP,
                      "updated_at": _TIMESTAMP, "contribution": None},
    "series": {"books_count": 0, "locked": False, "object_type": "Series", "state": "active"},
    "book_series": {"compilation": False, "created_at": _TIMESTAMP, "featured": True,
                    "updated_at": _TIMESTAMP},
    "users": {"account_privacy_setting_id": 1, "activity_privacy_settings_id": 1,
              "admin": False, "books_count": 0, "created_at": _TIMESTAMP,
              "followed_users_count": 0, "followers_count": 0, "onboarded": True, "pro": False,
              "pronoun_personal": "they", "pronoun_possessive": "their", "status_id": 1,
              "updated_at": _TIMESTAMP},
    "user_books": {"has_review": False, "likes_count": 0, "mod_status": 0,
                   "object_type": "UserBook", "owned": False, "read_count": 0,
                   "review_has_spoilers": False, "review_length": 0, "sponsored_review": False,
                   "starred": False, "privacy_setting_id": 1, "rating": None, "edition_id": None},
    "lists": {"books_count": 0, "default_view": "list", "featured": False,
              "featured_profile": False, "imported": False, "likes_count": 0,
              "object_type": "List", "privacy_setting_id": 1, "public": True, "ranked": False},
    "list_books": {"edition_id": None, "imported": False, "position": None, "reason": None},
    "user_book_reads": {"edition_id": None, "started_at": None, "finished_at": None,
                        "paused_at": None, "progress_pages": None, "progress_seconds": None},
}
# fmt: on


def slugify(text: str) -> str:
    """Hardcover-like slug: ASCII, lowercase, words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "book"


class Catalog:
    """Hardcover's data for one fake server. All ids are ints; dates are ISO strings."""

    def __init__(self, *, today: dt.date | None = None) -> None:
        self.tables: dict[str, dict[int, dict[str, Any]]] = {name: {} for name in TABLES}
        self._ids = {name: itertools.count(1) for name in TABLES}
        self.tokens: dict[str, dict[str, Any]] = {}
        # Every feed-visible event (status changes, started dates), for "no feed spam" tests.
        self.activities: list[dict[str, Any]] = []
        # The server replaces this with a function of its clock so "today" follows it.
        self.today = lambda: today or dt.date(2026, 9, 1)
        # The server replaces this with its clock, so `updated_at` stamps follow it.
        self.clock_time: Callable[[], float] = lambda: dt.datetime.combine(
            self.today(), dt.time(12), dt.UTC
        ).timestamp()
        self._last_stamp = 0.0
        for code2, (code3, name) in _LANGUAGES.items():
            self._insert("languages", {"code2": code2, "code3": code3, "language": name})
        for format_id, name in READING_FORMATS.items():
            self._insert("reading_formats", {"id": format_id, "format": name})
        for status_id, name in USER_BOOK_STATUSES.items():
            self._insert("user_book_statuses", {"id": status_id, "status": name})

    def stamp(self) -> str:
        """A `timestamptz` for a write now: the clock's time in microseconds, later than every
        earlier stamp (one database serialises its writes)."""
        moment = max(self.clock_time(), self._last_stamp + 1e-6)
        self._last_stamp = moment
        return dt.datetime.fromtimestamp(moment, dt.UTC).isoformat(timespec="microseconds")

    def touch(self, user_book_id: int) -> None:
        """Stamp a user_book as changed (its own columns or one of its reads)."""
        row = self.tables["user_books"].get(user_book_id)
        if row is not None:
            row["updated_at"] = self.stamp()

    # ----------------------------------------------------------------- generic access
    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of `table` in id order (the live dicts: mutate with care)."""
        return list(self.tables[table].values())

    def get(self, table: str, row_id: int | None) -> dict[str, Any] | None:
        return None if row_id is None else self.tables[table].get(int(row_id))

    def _insert(self, table: str, values: dict[str, Any]) -> int:
        row = dict(_DEFAULTS.get(table, {}))
        row.update(values)
        if row.get("id") is None:
            row["id"] = next(self._ids[table])
            while row["id"] in self.tables[table]:
                row["id"] = next(self._ids[table])
        self.tables[table][row["id"]] = row
        return row["id"]

    def delete_row(self, table: str, row_id: int) -> dict[str, Any] | None:
        return self.tables[table].pop(row_id, None)

    # ----------------------------------------------------------------- catalogue
    def add_author(self, name: str, *, id: int | None = None) -> int:
        """The id of the author called `name`, created if needed."""
        for row in self.tables["authors"].values():
            if row["name"] == name and (id is None or row["id"] == id):
                return row["id"]
        return self._insert("authors", {"id": id, "name": name, "slug": slugify(name)})

    def set_alternate_names(self, name: str, alternate_names: Iterable[str]) -> int:
        """Give the author called `name` the other names Hardcover keeps (transliterations,
        original script); returns the author's id."""
        author_id = self.add_author(name)
        self.tables["authors"][author_id]["alternate_names"] = list(alternate_names)
        return author_id

    def add_series(self, name: str, *, id: int | None = None) -> int:
        for row in self.tables["series"].values():
            if row["name"] == name:
                return row["id"]
        return self._insert("series", {"id": id, "name": name, "slug": slugify(name)})

    def add_book(
        self,
        title: str,
        *,
        authors: Sequence[str | tuple[str, str | None]] = (),
        id: int | None = None,
        subtitle: str | None = None,
        slug: str | None = None,
        release_year: int | None = None,
        pages: int | None = None,
        users_count: int = 0,
        users_read_count: int = 0,
        series: str | None = None,
        series_position: float | None = None,
        alternative_titles: Iterable[str] = (),
        compilation: bool = False,
        book_category_id: int = 1,
        **columns: Any,
    ) -> int:
        """Add a book and return its id.

        `authors` are names (primary authors) or `(name, role)` pairs such as
        `("Jay Rubin", "Translator")`. `pages` defaults to the default physical edition's.
        Any other keyword is stored as a column of the `books` row.
        """
        book_slug = slug or self._unique_slug(title)
        book_id = self._insert(
            "books",
            {
                "id": id,
                "title": title,
                "subtitle": subtitle,
                "slug": book_slug,
                "release_year": release_year,
                "release_date": f"{release_year}-01-01" if release_year else None,
                "pages": pages,
                "users_count": users_count,
                "users_read_count": users_read_count,
                "alternative_titles": list(alternative_titles),
                "compilation": compilation,
                "book_category_id": book_category_id,
                **columns,
            },
        )
        for entry in authors:
            name, role = (entry, None) if isinstance(entry, str) else entry
            author_id = self.add_author(name)
            self._insert(
                "contributions",
                {
                    "author_id": author_id,
                    "contributable_id": book_id,
                    "book_id": book_id,
                    "contribution": role,
                },
            )
            self.tables["authors"][author_id]["books_count"] += 1
        if series:
            series_id = self.add_series(series)
            self._insert(
                "book_series",
                {"book_id": book_id, "series_id": series_id, "position": series_position},
            )
            self.tables["series"][series_id]["books_count"] += 1
        return book_id

    def add_edition(
        self,
        book_id: int,
        *,
        id: int | None = None,
        isbn_13: str | None = None,
        isbn_10: str | None = None,
        asin: str | None = None,
        pages: int | None = None,
        reading_format_id: int = PHYSICAL,
        edition_format: str | None = None,
        physical_format: str | None = None,
        language: str | None = "en",
        users_count: int = 0,
        users_read_count: int = 0,
        title: str | None = None,
        subtitle: str | None = None,
        release_date: str | None = None,
        audio_seconds: int | None = None,
        **columns: Any,
    ) -> int:
        """Add an edition of `book_id` and return its id. `language` is an ISO 639-1 code."""
        if book_id not in self.tables["books"]:
            raise KeyError(f"no book {book_id}")
        book = self.tables["books"][book_id]
        return self._insert(
            "editions",
            {
                "id": id,
                "book_id": book_id,
                "isbn_13": isbn_13,
                "isbn_10": isbn_10,
                "asin": asin,
                "pages": pages,
                "reading_format_id": reading_format_id,
                "edition_format": edition_format,
                "physical_format": physical_format,
                "language_id": self.language_id(language),
                "users_count": users_count,
                "users_read_count": users_read_count,
                "title": title if title is not None else book["title"],
                "subtitle": subtitle,
                "release_date": release_date,
                "release_year": int(release_date[:4]) if release_date else None,
                "audio_seconds": audio_seconds,
                **columns,
            },
        )

    def language_id(self, code2: str | None) -> int | None:
        if code2 is None:
            return None
        for row in self.tables["languages"].values():
            if row["code2"] == code2:
                return row["id"]
        return self._insert("languages", {"code2": code2, "code3": None, "language": code2})

    def merge_book(self, old_id: int, *, into: int) -> None:
        """Hardcover deduplicated `old_id` into `into`: searches hide it, inserts refuse it."""
        old = self.tables["books"][old_id]
        old["canonical_id"] = into
        old["book_status_id"] = BOOK_DEDUPED

    def delete_book(self, book_id: int) -> None:
        """Hardcover deleted the book: it stays readable by id, marked deleted."""
        self.tables["books"][book_id]["book_status_id"] = BOOK_DELETED

    # ----------------------------------------------------------------- derived book data
    def book_editions(self, book_id: int) -> list[dict[str, Any]]:
        return [e for e in self.tables["editions"].values() if e["book_id"] == book_id]

    def book_contributions(self, book_id: int) -> list[dict[str, Any]]:
        return [c for c in self.tables["contributions"].values() if c["book_id"] == book_id]

    def default_edition(self, book: dict[str, Any], kind: str) -> dict[str, Any] | None:
        """The pinned default edition, else the most-used edition of that kind."""
        pinned = book.get(f"default_{kind}_edition_id")
        if pinned is not None:
            return self.get("editions", pinned)
        wanted = {"ebook": {EBOOK}, "physical": {PHYSICAL, BOTH}, "audio": {AUDIO, BOTH}}
        editions = self.book_editions(book["id"])
        if kind != "cover":
            editions = [e for e in editions if e["reading_format_id"] in wanted[kind]]
        if not editions:
            return None
        return max(editions, key=lambda e: (e["users_count"], -e["id"]))

    def cached_contributors(self, book_id: int) -> list[dict[str, Any]]:
        result = []
        for contribution in self.book_contributions(book_id):
            author = self.tables["authors"][contribution["author_id"]]
            result.append(
                {
                    "author": {
                        "id": author["id"],
                        "name": author["name"],
                        "slug": author["slug"],
                        "image": {},
                    },
                    "contribution": contribution["contribution"],
                }
            )
        return result

    def book_series_rows(self, book_id: int) -> list[dict[str, Any]]:
        return [s for s in self.tables["book_series"].values() if s["book_id"] == book_id]

    def is_live(self, book: dict[str, Any]) -> bool:
        """False for books merged away or deleted."""
        return book.get("canonical_id") is None and book["book_status_id"] in (
            BOOK_OK,
            BOOK_TO_REVIEW,
        )

    # ----------------------------------------------------------------- people
    def add_user(
        self,
        username: str,
        *,
        id: int | None = None,
        privacy_setting_id: int = 1,
        plan: str = "Free",
    ) -> int:
        """Add a Hardcover account; `plan` is "Free" or "Supporter" (rate limits differ)."""
        return self._insert(
            "users",
            {
                "id": id,
                "username": username,
                "name": username,
                "account_privacy_setting_id": privacy_setting_id,
                "membership": plan,
                "pro": plan != "Free",
            },
        )

    def add_token(
        self,
        user_id: int,
        *,
        token: str | None = None,
        scopes: Iterable[str] = DEFAULT_SCOPES,
        expired: bool = False,
        revoked: bool = False,
    ) -> str:
        """Issue an API token for `user_id` (a `hc_pat_…` PAT unless `token` is given)."""
        if user_id not in self.tables["users"]:
            raise KeyError(f"no user {user_id}")
        value = token or f"hc_pat_{secrets.token_urlsafe(24)}"
        self.tokens[value] = {
            "user_id": user_id,
            "scopes": frozenset(scopes),
            "expired": expired,
            "revoked": revoked,
        }
        return value

    def expire_token(self, token: str) -> None:
        self.tokens[token]["expired"] = True

    def revoke_token(self, token: str) -> None:
        self.tokens[token]["revoked"] = True

    def add_user_book(
        self,
        user_id: int,
        book_id: int,
        *,
        status_id: int = WANT_TO_READ,
        edition_id: int | None = None,
        privacy_setting_id: int | None = None,
        rating: float | None = None,
        date_added: str | None = None,
    ) -> int:
        """Put a book on a user's shelf directly (no server-side side effects)."""
        user = self.tables["users"][user_id]
        return self._insert(
            "user_books",
            {
                "user_id": user_id,
                "book_id": book_id,
                "status_id": status_id,
                "edition_id": edition_id,
                "privacy_setting_id": privacy_setting_id or user["account_privacy_setting_id"],
                "rating": rating,
                "date_added": date_added or self.today().isoformat(),
                "created_at": f"{self.today().isoformat()}T00:00:00+00:00",
                "updated_at": self.stamp(),
            },
        )

    def add_read(self, user_book_id: int, **columns: Any) -> int:
        """Add a row to a user_book's "Dates Read" (columns as in DatesReadInput)."""
        self.touch(user_book_id)
        return self._insert("user_book_reads", {"user_book_id": user_book_id, **columns})

    def user_book_for(self, user_id: int, book_id: int) -> dict[str, Any] | None:
        for row in self.tables["user_books"].values():
            if row["user_id"] == user_id and row["book_id"] == book_id:
                return row
        return None

    def reads_of(self, user_book_id: int) -> list[dict[str, Any]]:
        reads = self.tables["user_book_reads"].values()
        return [r for r in reads if r["user_book_id"] == user_book_id]

    def _unique_slug(self, title: str) -> str:
        base = slugify(title)
        taken = {row["slug"] for row in self.tables["books"].values()}
        slug, suffix = base, 2
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug
