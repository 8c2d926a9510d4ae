"""A catalogue of real-world matching traps: Hardcover books and the local books that meet them.

Shared by the matching tests (pure) and the matcher tests (through the fake server). Each
Hardcover book has a short key; `WORK` groups keys that are the same work (duplicate records),
so "zero wrong links" can be checked across every pair of different works.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bookorbit_desktop.hardcover.api.records import SeriesEntry
from bookorbit_desktop.hardcover.matching.catalog import EditionInfo, HardcoverBook
from bookorbit_desktop.hardcover.matching.scoring import LINKED, NEEDS_REVIEW, NO_MATCH, LocalBook

_ids = iter(range(1000, 100_000))


def edition(
    book_id: int,
    *,
    lang: str | None = "en",
    fmt: str = "physical",
    pages: int | None = 300,
    users: int = 10,
    title: str | None = None,
    isbn_13: str | None = None,
    isbn_10: str | None = None,
) -> EditionInfo:
    return EditionInfo(
        id=next(_ids),
        book_id=book_id,
        title=title,
        isbn_13=isbn_13,
        isbn_10=isbn_10,
        pages=pages,
        reading_format=fmt,
        language=lang,
        users_count=users,
    )


def book(
    book_id: int,
    title: str,
    authors: tuple[str, ...],
    *,
    subtitle: str | None = None,
    users: int = 1000,
    series: tuple[tuple[str, float | None], ...] = (),
    editions: tuple[dict, ...] = ({},),
    alternative_titles: tuple[str, ...] = (),
    contributors: tuple[str, ...] = (),
    category: int | None = 1,
    canonical_id: int | None = None,
    compilation: bool = False,
    roles: frozenset[str] = frozenset(),
    aliases: tuple[tuple[str, str], ...] = (),
) -> HardcoverBook:
    return HardcoverBook(
        id=book_id,
        title=title,
        subtitle=subtitle,
        authors=authors,
        contributors=contributors,
        series=tuple(SeriesEntry(n, p) for n, p in series),
        alternative_titles=alternative_titles,
        users_count=users,
        category=category,
        canonical_id=canonical_id,
        compilation=compilation,
        roles=roles,
        author_aliases=aliases,
        editions=tuple(edition(book_id, **spec) for spec in editions),
    )


HC: dict[str, HardcoverBook] = {
    "dune": book(1, "Dune", ("Frank Herbert",), users=60000, editions=({"fmt": "ebook"}, {})),
    "dune_messiah": book(2, "Dune Messiah", ("Frank Herbert",), users=30000),
    "dune_graphic": book(
        3,
        "Dune: The Graphic Novel, Book 1",
        ("Brian Herbert", "Kevin J. Anderson", "Frank Herbert"),
        users=900,
        category=4,
    ),
    "dune_audio": book(
        4, "Dune", ("Frank Herbert",), users=40, editions=({"fmt": "audio", "pages": None},)
    ),
    "wind": book(
        5,
        "The Name of the Wind",
        ("Patrick Rothfuss",),
        users=50000,
        series=(("The Kingkiller Chronicle", 1),),
        editions=(
            {"isbn_13": "9780756404741"},
            {
                "lang": "de",
                "fmt": "ebook",
                "title": "Der Name des Windes",
                "isbn_13": "9783608938159",
            },
            {"fmt": "audio", "pages": None, "isbn_13": "9781427208781"},
        ),
    ),
    "wise_man": book(
        6, "The Wise Man's Fear", ("Patrick Rothfuss",), series=(("The Kingkiller Chronicle", 2),)
    ),
    "sao1_ln": book(7, "Sword Art Online, Vol. 1 (light novel)", ("Reki Kawahara",)),
    "sao2_ln": book(8, "Sword Art Online, Vol. 2 (light novel)", ("Reki Kawahara",)),
    "sao1_manga": book(9, "Sword Art Online, Vol. 1 (manga)", ("Reki Kawahara", "Tamako Nakamura")),
    "berserk1": book(10, "Berserk, Vol. 1", ("Kentaro Miura",), series=(("Berserk", 1),)),
    "berserk2": book(11, "Berserk, Vol. 2", ("Kentaro Miura",), series=(("Berserk", 2),)),
    "berserk10": book(
        12,
        "Berserk, Vol. 10",
        ("Kentaro Miura",),
        series=(("Berserk", 10),),
        editions=({"isbn_13": "9781593077488"},),
    ),
    "hp1": book(13, "Harry Potter and the Philosopher's Stone", ("J.K. Rowling",), users=90000),
    "hp_box": book(14, "Harry Potter Box Set: Books 1-7", ("J.K. Rowling",), users=5000),
    "rebecca": book(15, "Rebecca", ("Daphne du Maurier",), users=20000),
    "rebecca_other": book(16, "Rebecca", ("Sarah Ann Walker",), users=30),
    "hobbit": book(17, "The Hobbit", ("J.R.R. Tolkien",), users=80000),
    "sapiens": book(
        18, "Sapiens", ("Yuval Noah Harari",), subtitle="A Brief History of Humankind", users=40000
    ),
    "sapiens_graphic": book(
        19,
        "Sapiens: A Graphic History",
        ("Yuval Noah Harari", "David Vandermeulen", "Daniel Casanave"),
        users=3000,
        category=4,
    ),
    "leviathan": book(
        20, "Leviathan Wakes", ("James S.A. Corey",), series=(("The Expanse", 1),), users=30000
    ),
    "calibans_war": book(
        21, "Caliban's War", ("James S.A. Corey",), series=(("The Expanse", 2),), users=20000
    ),
    "outsider_king": book(22, "The Outsider", ("Stephen King",), users=25000),
    "outsider_camus": book(
        23,
        "The Outsider",
        ("Albert Camus",),
        contributors=("Sandra Smith",),
        alternative_titles=("L'Étranger", "The Stranger"),
        users=12000,
    ),
    "swarm_de": book(
        24,
        "Der Schwarm",
        ("Frank Schätzing",),
        alternative_titles=("The Swarm",),
        editions=({"lang": "de"}, {"lang": "de", "fmt": "ebook"}),
    ),
    "norwegian_wood": book(
        25,
        "Norwegian Wood",
        ("Haruki Murakami",),
        contributors=("Jay Rubin",),
        editions=({}, {"lang": "ja", "title": "ノルウェイの森"}),
        users=30000,
    ),
    "war_and_peace": book(
        26, "War and Peace", ("Leo Tolstoy",), editions=({}, {"lang": "ru", "title": "Война и мир"})
    ),
    "goat_days": book(27, "Goat Days", ("Benyamin",), users=500),
    "vegetarian": book(
        28,
        "The Vegetarian",
        ("Han Kang",),
        editions=({}, {"lang": "ko", "title": "채식주의자"}),
        users=20000,
    ),
    "spice_ln": book(29, "Spice and Wolf, Vol. 1 (light novel)", ("Isuna Hasekura",)),
    "spice_manga": book(
        30, "Spice and Wolf, Vol. 1 (manga)", ("Isuna Hasekura", "Keito Koume"), category=4
    ),
    "fahrenheit": book(31, "Fahrenheit 451", ("Ray Bradbury",), users=70000),
    "dune_dup": book(32, "Dune", ("Frank Herbert",), users=45000),
    "dune_merged": book(33, "Dune", ("Frank Herbert",), users=3, canonical_id=1),
    "no_pages": book(
        34, "The Left Hand of Darkness", ("Ursula K. Le Guin",), editions=({"pages": None},)
    ),
    # A first volume titled like its series, and a later one with and without that prefix.
    "mistborn": book(35, "Mistborn", ("Brandon Sanderson",), series=(("Mistborn", 1),)),
    "hero_of_ages": book(36, "The Hero of Ages", ("Brandon Sanderson",), series=(("Mistborn", 3),)),
    "mistborn_hoa": book(
        37,
        "Mistborn",
        ("Brandon Sanderson",),
        subtitle="The Hero of Ages",
        series=(("Mistborn", 3),),
        users=20,
    ),
    # Author name forms: Hardcover's alternate names for an author (transliteration, script).
    "karenina": book(
        38,
        "Anna Karenina",
        ("Leo Tolstoy",),
        aliases=(("Leo Tolstoy", "Lev Tolstoy"), ("Leo Tolstoy", "Лев Толстой")),
        users=30000,
    ),
    "karenina_no_aliases": book(39, "Anna Karenina", ("Leo Tolstoy",), users=30000),
    "peter_first": book(40, "Peter the First", ("Aleksey Tolstoy",), users=300),
    # Spelling conventions.
    "orwell": book(
        41, "1984", ("George Orwell",), users=90000, editions=({"isbn_13": "9780451524935"},)
    ),
    "pride": book(42, "Pride and Prejudice", ("Jane Austen",), users=90000),
    # Omnibuses by Hardcover's compilation flag, not subtitle words.
    "legends": book(49, "Legends", ("Robert Silverberg",)),
    "legends_stories": book(43, "Legends", ("Robert Silverberg",), subtitle="Story Collection"),
    "mistborn_box": book(
        44, "Mistborn", ("Brandon Sanderson",), series=(("Mistborn", 1),), compilation=True
    ),
    # The same title and author as a novel and as a comic; the roles tell the comic.
    "solo_novel": book(45, "Solo Leveling, Vol. 1", ("Chugong",), category=10),
    "solo_comic": book(
        46,
        "Solo Leveling, Vol. 1",
        ("Chugong",),
        contributors=("DUBU",),
        roles=frozenset({"illustrator", "adapter"}),
    ),
    "akira_book": book(50, "Akira, Vol. 1", ("Katsuhiro Otomo",), users=4000),
    "akira_graphic": book(51, "Akira, Vol. 1", ("Katsuhiro Otomo",), users=300, category=4),
    "overlord_ln": book(47, "Overlord, Vol. 1 (Light Novel)", ("Kugane Maruyama",)),
    "overlord_manga": book(48, "Overlord, Vol. 1 (Manga)", ("Kugane Maruyama",)),
}
# Keys of records that are the same work (linking to any of them is not a wrong link).
WORK = {
    "dune": "dune",
    "dune_audio": "dune",
    "dune_dup": "dune",
    "dune_merged": "dune",
    "mistborn_hoa": "hero_of_ages",
    "karenina_no_aliases": "karenina",
    "legends_stories": "legends",
    # Hardcover's category is not always set: a plain record may be the comic, so a copy of
    # one of these two linking to the other is not counted as wrong.
    "akira_graphic": "akira_book",
}


def work(key: str) -> str:
    return WORK.get(key, key)


@dataclass(frozen=True)
class Trap:
    name: str
    local: LocalBook
    found: tuple[str, ...]  # keys of the candidates search/identifiers bring back
    outcome: str
    linked: str | None = None  # the key it must link to
    isbn: tuple[str, ...] = ()  # keys the file's ISBN resolved to (evidence "isbn13")
    hardcover_id: str | None = None  # key named by a Hardcover id in the file
    penalties: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key -> penalty keys


def L(title: str, *authors: str, **kw) -> LocalBook:
    kw.setdefault("language", "en")
    return LocalBook(title=title, authors=authors, **kw)


TRAPS: tuple[Trap, ...] = (
    Trap(
        "title and author, among sequels, adaptations and audiobook records",
        L("Dune", "Herbert, Frank"),
        ("dune", "dune_messiah", "dune_graphic", "dune_audio"),
        LINKED,
        "dune",
        penalties={"dune_audio": ("audio_only",), "dune_graphic": ("format_unconfirmed",)},
    ),
    Trap(
        "duplicate records of one work are ambiguous",
        L("Dune", "Frank Herbert"),
        ("dune", "dune_dup"),
        NEEDS_REVIEW,
    ),
    Trap(
        "a merged record never wins",
        L("Dune", "Frank Herbert"),
        ("dune_merged",),
        NEEDS_REVIEW,
        penalties={"dune_merged": ("merged",)},
    ),
    Trap(
        "only the audiobook record exists",
        L("Dune", "Frank Herbert"),
        ("dune_audio",),
        NEEDS_REVIEW,
        penalties={"dune_audio": ("audio_only",)},
    ),
    Trap(
        "ISBN-13 confirmed by title and author",
        L("The Name of the Wind", "Patrick Rothfuss", isbn13="9780756404741"),
        ("wind",),
        LINKED,
        "wind",
        isbn=("wind",),
    ),
    Trap(
        "ISBN of the German edition on an English file: title and author still decide",
        L("The Name of the Wind", "Patrick Rothfuss", isbn13="9783608938159"),
        ("wind", "wise_man"),
        LINKED,
        "wind",
        isbn=("wind",),
    ),
    Trap(
        "German translation links to the work through its German edition",
        L("Der Name des Windes", "Patrick Rothfuss", language="de"),
        ("wind", "wise_man"),
        LINKED,
        "wind",
    ),
    Trap(
        "ISBN of vol. 10 on a vol. 2 file: proven elsewhere, vol. 2 links, never vol. 10",
        L(
            "Berserk, Vol. 2",
            "Kentaro Miura",
            isbn13="9781593077488",
            file_formats=frozenset({"cbz"}),
        ),
        ("berserk10", "berserk2", "berserk1"),
        LINKED,
        "berserk2",
        isbn=("berserk10",),
        penalties={"berserk10": ("volume",), "berserk1": ("volume",)},
    ),
    Trap(
        "ISBN of vol. 10 on a vol. 2 file and no vol. 2 found: refused",
        L("Berserk, Vol. 2", "Kentaro Miura", isbn13="9781593077488"),
        ("berserk10", "berserk1"),
        NEEDS_REVIEW,
        isbn=("berserk10",),
        penalties={"berserk10": ("volume",), "berserk1": ("volume", "isbn_conflict")},
    ),
    Trap(
        "ISBN of vol. 10 on a file with no volume: the ISBN still counts against the others",
        L("Berserk", "Kentaro Miura", isbn13="9781593077488"),
        ("berserk10", "berserk2"),
        NEEDS_REVIEW,
        isbn=("berserk10",),
    ),
    Trap(
        "volume 2 among volumes 1, 2 and 10",
        L("Berserk Volume 2", "Miura, Kentaro", file_formats=frozenset({"cbz"})),
        ("berserk1", "berserk2", "berserk10"),
        LINKED,
        "berserk2",
        penalties={"berserk1": ("volume",), "berserk10": ("volume",)},
    ),
    Trap(
        "volume from series metadata",
        L("Berserk", "Kentaro Miura", series="Berserk", series_index=2.0),
        ("berserk1", "berserk2"),
        LINKED,
        "berserk2",
    ),
    Trap(
        "bare trailing number as volume",
        L("Sword Art Online 2", "Reki Kawahara"),
        ("sao1_ln", "sao2_ln"),
        LINKED,
        "sao2_ln",
        penalties={"sao1_ln": ("number",)},
    ),
    Trap(
        "epub of unknown kind: light novel and manga volume 1 are ambiguous",
        L("Sword Art Online, Vol. 1", "Reki Kawahara"),
        ("sao1_ln", "sao1_manga"),
        NEEDS_REVIEW,
        penalties={"sao1_manga": ("format_unconfirmed",)},
    ),
    Trap(
        "a cbz is the manga, not the light novel",
        L("Spice and Wolf, Vol. 1", "Isuna Hasekura", file_formats=frozenset({"cbz"})),
        ("spice_ln", "spice_manga"),
        LINKED,
        "spice_manga",
        penalties={"spice_ln": ("format",)},
    ),
    Trap(
        "a title saying light novel is the light novel",
        L("Spice and Wolf, Volume 1 (Light Novel)", "Isuna Hasekura"),
        ("spice_ln", "spice_manga"),
        LINKED,
        "spice_ln",
        penalties={"spice_manga": ("format",)},
    ),
    Trap(
        "volume 1 is not the omnibus",
        L("Harry Potter and the Philosopher's Stone", "J. K. Rowling"),
        ("hp1", "hp_box"),
        LINKED,
        "hp1",
        penalties={"hp_box": ("omnibus",)},
    ),
    Trap(
        "the omnibus is not volume 1",
        L("Harry Potter: The Complete Collection", "J. K. Rowling"),
        ("hp1",),
        NEEDS_REVIEW,
        penalties={"hp1": ("omnibus",)},
    ),
    Trap(
        "same title, different author: the author decides",
        L("Rebecca", "Daphne du Maurier"),
        ("rebecca_other", "rebecca"),
        LINKED,
        "rebecca",
        penalties={"rebecca_other": ("authors",)},
    ),
    Trap(
        "same title, only the other author's book exists",
        L("Rebecca", "Daphne du Maurier"),
        ("rebecca_other",),
        NO_MATCH,
        penalties={"rebecca_other": ("authors",)},
    ),
    Trap(
        "same title, the popular one is by someone else",
        L("The Outsider", "Albert Camus"),
        ("outsider_king", "outsider_camus"),
        LINKED,
        "outsider_camus",
    ),
    Trap(
        "author name order and initials",
        L("The Hobbit", "Tolkien, J.R.R."),
        ("hobbit",),
        LINKED,
        "hobbit",
    ),
    Trap(
        "subtitle missing from the file",
        L("Sapiens", "Yuval Noah Harari"),
        ("sapiens", "sapiens_graphic"),
        LINKED,
        "sapiens",
    ),
    Trap(
        "the graphic adaptation is not the book",
        L("Sapiens: A Graphic History", "Yuval Noah Harari", "David Vandermeulen"),
        ("sapiens", "sapiens_graphic"),
        NEEDS_REVIEW,
        penalties={"sapiens_graphic": ("format_unconfirmed",)},
    ),
    Trap(
        "series suffix in the file's title",
        L("Leviathan Wakes (The Expanse #1)", "James S. A. Corey"),
        ("leviathan", "calibans_war"),
        LINKED,
        "leviathan",
    ),
    Trap(
        "series index contradicting Hardcover's position",
        L("Caliban's War", "James S. A. Corey", series="The Expanse", series_index=3.0),
        ("calibans_war", "leviathan"),
        NEEDS_REVIEW,
        penalties={"calibans_war": ("volume",)},
    ),
    Trap(
        "English file, only a German-language record",
        L("The Swarm", "Frank Schätzing"),
        ("swarm_de",),
        NEEDS_REVIEW,
        penalties={"swarm_de": ("language",)},
    ),
    Trap(
        "Japanese title and author in kanji",
        L("ノルウェイの森", "村上春樹", language="ja"),
        ("norwegian_wood",),
        NEEDS_REVIEW,
        penalties={"norwegian_wood": ("author_script",)},
    ),
    Trap(
        "Russian title against an English record with a Russian edition",
        L("Война и мир", "Лев Толстой", language="ru"),
        ("war_and_peace",),
        NEEDS_REVIEW,
    ),
    Trap(
        "Malayalam title, only an English record",
        L("ആടുജീവിതം", "ബെന്യാമിൻ", language="ml"),
        ("goat_days",),
        NO_MATCH,
    ),
    Trap(
        "Korean title, romanised author",
        L("채식주의자", "Han Kang", language="ko"),
        ("vegetarian",),
        LINKED,
        "vegetarian",
    ),
    Trap("nothing found", L("An Unknown Book", "Nobody"), (), NO_MATCH),
    Trap(
        "no author in the file: never linked by title alone",
        L("Fahrenheit 451"),
        ("fahrenheit",),
        NEEDS_REVIEW,
        penalties={"fahrenheit": ("no_author",)},
    ),
    Trap(
        "a sequel's number is not the title's",
        L("Fahrenheit 452", "Ray Bradbury"),
        ("fahrenheit",),
        NEEDS_REVIEW,
        penalties={"fahrenheit": ("number",)},
    ),
    Trap(
        "Hardcover id in the file, confirmed",
        L("The Hobbit", "J. R. R. Tolkien"),
        ("hobbit",),
        LINKED,
        "hobbit",
        hardcover_id="hobbit",
    ),
    Trap(
        "Hardcover id in the file pointing at another book",
        L("The Hobbit", "J. R. R. Tolkien"),
        ("rebecca",),
        NO_MATCH,
        hardcover_id="rebecca",
    ),
    Trap(
        "Hardcover id in the file, no author but the title agrees",
        L("The Left Hand of Darkness"),
        ("no_pages",),
        LINKED,
        "no_pages",
        hardcover_id="no_pages",
    ),
    Trap(
        "a series name before another volume's title is not the first volume",
        L("Mistborn: The Hero of Ages", "Brandon Sanderson"),
        ("mistborn",),
        NEEDS_REVIEW,
        penalties={"mistborn": ("volume_unconfirmed",)},
    ),
    Trap(
        "a series name before a volume's title: that volume",
        L("Mistborn: The Hero of Ages", "Brandon Sanderson"),
        ("mistborn", "hero_of_ages"),
        LINKED,
        "hero_of_ages",
    ),
    Trap(
        "a title that is only the series name is not a later volume",
        L("Mistborn", "Brandon Sanderson"),
        ("mistborn_hoa",),
        NEEDS_REVIEW,
        penalties={"mistborn_hoa": ("volume_unconfirmed",)},
    ),
    Trap(
        "an edition without pages does not block linking the book",
        L("The Left Hand of Darkness", "Le Guin, Ursula K."),
        ("no_pages",),
        LINKED,
        "no_pages",
    ),
    # ------------------------------------------------------------ author name forms
    Trap(
        "family name first with glued initials",
        L("The Hobbit", "Tolkien, J.R.R."),
        ("hobbit",),
        LINKED,
        "hobbit",
    ),
    Trap(
        "transliteration kept among the author's alternate names",
        L("Anna Karenina", "Lev Tolstoy"),
        ("karenina", "war_and_peace"),
        LINKED,
        "karenina",
    ),
    Trap(
        "author in the original script, Hardcover's name romanised",
        L("Anna Karenina", "Лев Толстой", language="en"),
        ("karenina",),
        LINKED,
        "karenina",
    ),
    Trap(
        "a transliteration Hardcover does not list is not proof",
        L("Anna Karenina", "Lev Tolstoy"),
        ("karenina_no_aliases",),
        NO_MATCH,
        penalties={"karenina_no_aliases": ("authors",)},
    ),
    Trap(
        "another author with the same family name",
        L("Peter the First", "Tolstoy, L."),
        ("peter_first",),
        NO_MATCH,
        penalties={"peter_first": ("authors",)},
    ),
    # ------------------------------------------------------------ spelling conventions
    Trap(
        "number words against digits",
        L("Nineteen Eighty-Four", "Orwell, George"),
        ("orwell",),
        LINKED,
        "orwell",
    ),
    Trap(
        "an exact ISBN hit whose title differs only in spelling",
        L("Nineteen Eighty-Four: A Novel", "George Orwell", isbn13="9780451524935"),
        ("orwell",),
        LINKED,
        "orwell",
        isbn=("orwell",),
    ),
    Trap(
        "& for and",
        L("Pride & Prejudice", "Jane Austen"),
        ("pride",),
        LINKED,
        "pride",
    ),
    # ------------------------------------------------------------ omnibuses and volumes
    Trap(
        "a subtitle saying Story Collection is no omnibus of a series",
        L("Legends: Story Collection", "Robert Silverberg"),
        ("legends_stories",),
        LINKED,
        "legends_stories",
    ),
    Trap(
        "Story Collection on one side only is a subtitle, not an omnibus",
        L("Legends: Story Collection", "Robert Silverberg"),
        ("legends",),
        LINKED,
        "legends",
    ),
    Trap(
        "the first volume, not Hardcover's compilation of the same name",
        L("Mistborn", "Brandon Sanderson", series="Mistborn", series_index=1.0),
        ("mistborn_box", "mistborn"),
        LINKED,
        "mistborn",
        penalties={"mistborn_box": ("omnibus",)},
    ),
    # ------------------------------------------------------------ format and category
    Trap(
        "a CBZ links the comic when novel and comic tie on title and author",
        L("Solo Leveling, Vol. 1", "Chugong", file_formats=frozenset({"cbz"})),
        ("solo_novel", "solo_comic"),
        LINKED,
        "solo_comic",
        penalties={"solo_novel": ("format",)},
    ),
    Trap(
        "an EPUB links the novel when novel and comic tie on title and author",
        L("Solo Leveling, Vol. 1", "Chugong", file_formats=frozenset({"epub"})),
        ("solo_comic", "solo_novel"),
        LINKED,
        "solo_novel",
        penalties={"solo_comic": ("format_inferred",)},
    ),
    Trap(
        "a CBZ links the graphic novel over a plain record with the same title and author",
        L("Akira, Vol. 1", "Katsuhiro Otomo", file_formats=frozenset({"cbz"})),
        ("akira_book", "akira_graphic"),
        LINKED,
        "akira_graphic",
    ),
    Trap(
        "an EPUB links the plain record over the graphic novel",
        L("Akira, Vol. 1", "Katsuhiro Otomo", file_formats=frozenset({"epub"})),
        ("akira_graphic", "akira_book"),
        LINKED,
        "akira_book",
    ),
    Trap(
        "no file format: novel and comic stay ambiguous",
        L("Solo Leveling, Vol. 1", "Chugong"),
        ("solo_comic", "solo_novel"),
        NEEDS_REVIEW,
    ),
    Trap(
        "(Light Novel) in Hardcover's title counts for an EPUB",
        L("Overlord, Vol. 1", "Kugane Maruyama", file_formats=frozenset({"epub"})),
        ("overlord_manga", "overlord_ln"),
        LINKED,
        "overlord_ln",
    ),
    Trap(
        "(Manga) in Hardcover's title counts for a CBR",
        L("Overlord, Vol. 1", "Kugane Maruyama", file_formats=frozenset({"cbr"})),
        ("overlord_ln", "overlord_manga"),
        LINKED,
        "overlord_manga",
    ),
    Trap(
        "an EPUB does not link a comic that is the only candidate",
        L("Solo Leveling, Vol. 1", "Chugong", file_formats=frozenset({"epub"})),
        ("solo_comic",),
        NEEDS_REVIEW,
        penalties={"solo_comic": ("format_inferred",)},
    ),
)
