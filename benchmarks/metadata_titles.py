"""A library of real titles for `metadata_bench.py --accuracy`: what each book's file says, what
is true of the edition the file is, and what each metadata source holds under the book's ISBN
(or finds by its title), in the shapes the services answer in.

The records follow the formats and the quirks the services show for books like these: Open
Library keeps descriptions and subjects on the work and series (often a publisher's collection,
"Folio ; 2") on the edition, with the number written many ways ("; bk. 1", "(1)", "#2"); Google
Books has no series and sometimes a one-line stub for a description; a file may carry the ISBN
of another edition (a translation), under which every source holds that other edition. The
values are written for this benchmark (the services are not reachable from the test machines);
`TRUTH` is what a careful librarian would enter for the file's own edition. A field missing
from a book's truth is not scored; a field whose truth is None must stay empty (a collection
is not a series, a standalone novel has none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Title:
    key: str
    file: dict[str, Any]  # title, authors, language, isbn13 as the book's file has them
    truth: dict[str, Any]  # the right values for the file's edition (see the module doc)
    ol_edition: dict[str, Any] | None = None  # Open Library's edition record (Books API)
    ol_work: dict[str, Any] | None = None  # its work record (/works/…)
    google: dict[str, Any] | None = None  # Google Books' volumeInfo
    hardcover: dict[str, Any] | None = None  # book: add_book kwargs; edition: add_edition's
    notes: tuple[str, ...] = field(default_factory=tuple)


def _ol(
    work: str,
    title: str,
    authors: list[str],
    *,
    publisher: str | None,
    date: str | None,
    pages: int | None,
    language: str = "eng",
    series: list[str] | None = None,
    cover: int | None = None,
) -> dict[str, Any]:
    """An Open Library edition as the Books API's `details` carries it."""
    record: dict[str, Any] = {
        "title": title,
        "authors": [{"key": f"/authors/OL{abs(hash(a)) % 10**6}A", "name": a} for a in authors],
        "works": [{"key": f"/works/{work}"}],
        "languages": [{"key": f"/languages/{language}"}],
        "type": {"key": "/type/edition"},
    }
    if publisher:
        record["publishers"] = [publisher]
    if date:
        record["publish_date"] = date
    if pages:
        record["number_of_pages"] = pages
    if series:
        record["series"] = series
    if cover:
        record["covers"] = [cover]
    return record


def _work(
    work: str, title: str, description: str | None, subjects: list[str], **extra: Any
) -> dict[str, Any]:
    """An Open Library work: the description sometimes a typed text, sometimes a string."""
    record: dict[str, Any] = {"key": f"/works/{work}", "title": title, "subjects": subjects}
    if description is not None:
        typed = len(description) % 2 == 0  # both shapes occur; which one does not matter
        record["description"] = (
            {"type": "/type/text", "value": description} if typed else description
        )
    record.update(extra)
    return record


def _google(
    title: str,
    authors: list[str],
    *,
    publisher: str | None,
    date: str | None,
    pages: int | None,
    language: str = "en",
    description: str | None = None,
    cover: bool = True,
) -> dict[str, Any]:
    info: dict[str, Any] = {"title": title, "authors": authors, "language": language}
    for key, value in (
        ("publisher", publisher),
        ("publishedDate", date),
        ("pageCount", pages),
        ("description", description),
    ):
        if value:
            info[key] = value
    info["cover"] = cover  # the benchmark's server turns this into imageLinks
    return info


def _hc(
    title: str,
    authors: list[str],
    *,
    isbn13: str,
    pages: int | None,
    date: str | None,
    publisher: str | None = None,
    language: str = "en",
    series: str | None = None,
    position: float | None = None,
    description: str | None = None,
    edition_title: str | None = None,
) -> dict[str, Any]:
    book: dict[str, Any] = {"title": title, "authors": authors, "description": description}
    if series:
        book.update(series=series, series_position=position)
    edition: dict[str, Any] = {
        "isbn_13": isbn13,
        "pages": pages,
        "release_date": date,
        "language": language,
        "publisher": publisher,
        "title": edition_title,
    }
    return {"book": book, "edition": edition}


HOBBIT_EN = "9780547928227"
KONBINI_EN = "9780802128256"

# fmt: off
TITLES: tuple[Title, ...] = (
    Title(
        "hobbit-de",
        {"title": "Der Hobbit", "authors": ["J. R. R. Tolkien"], "language": "de",
         "isbn13": HOBBIT_EN},
        {"title": "Der Hobbit", "language": "de", "publisher": "dtv", "pages": 384,
         "isbn13": None},
        _ol("OL262758W", "The Hobbit", ["J.R.R. Tolkien"], publisher="Houghton Mifflin Harcourt",
            date="2012", pages=300, cover=8406786),
        _work("OL262758W", "The Hobbit",
              "Bilbo Baggins, a comfortable hobbit, is swept into a quest for a dragon's hoard.",
              ["Fantasy", "Dragons", "Dwarves"]),
        _google("The Hobbit", ["J.R.R. Tolkien"], publisher="Houghton Mifflin Harcourt",
                date="2012-09-18", pages=300,
                description="Bilbo Baggins is whisked away on an adventure to the Lonely "
                            "Mountain, guarded by the dragon Smaug."),
        _hc("The Hobbit", ["J.R.R. Tolkien"], isbn13=HOBBIT_EN, pages=300, date="2012-09-18",
            publisher="Houghton Mifflin Harcourt", series="Middle-earth", position=None,
            description="Bilbo Baggins joins thirteen dwarves on a quest to the Lonely Mountain."),
        ("the file carries the ISBN of an English edition",),
    ),
    Title(
        "konbini-ja",
        {"title": "コンビニ人間", "authors": ["村田沙耶香"], "language": "ja",
         "isbn13": KONBINI_EN},
        {"title": "コンビニ人間", "language": "ja", "publisher": "文藝春秋", "isbn13": None},
        _ol("OL19735584W", "Convenience Store Woman", ["Sayaka Murata"], publisher="Grove Press",
            date="2018", pages=163, cover=8314543),
        _work("OL19735584W", "Convenience Store Woman",
              "Keiko Furukura has worked in the same Tokyo convenience store for eighteen years.",
              ["Convenience stores", "Japanese fiction"]),
        _google("Convenience Store Woman", ["Sayaka Murata"], publisher="Grove Press",
                date="2018-06-12", pages=176,
                description="Keiko has never fit in, but in the convenience store she finds a "
                            "predictable world."),
        _hc("Convenience Store Woman", ["Sayaka Murata"], isbn13=KONBINI_EN, pages=163,
            date="2018-06-12", publisher="Grove Press",
            description="A woman in her thirties who has worked at a convenience store for "
                        "half her life."),
        ("the file carries the ISBN of the English translation",),
    ),
    Title(
        "martian",
        {"title": "The Martian", "authors": ["Andy Weir"], "language": "en",
         "isbn13": "9780553418026"},
        {"title": "The Martian", "authors": ["Andy Weir"], "language": "en",
         "publisher": "Broadway Books", "year": 2014, "pages": 369, "series": None,
         "description": ("stranded", "Mark Watney")},
        _ol("OL17091839W", "The Martian", ["Andy Weir"], publisher="Broadway Books",
            date="October 28, 2014", pages=369, cover=11446888),
        _work("OL17091839W", "The Martian",
              "Six days after becoming one of the first people to walk on Mars, astronaut Mark "
              "Watney is stranded there, and must find a way to survive until rescue.",
              ["Mars (Planet)", "Survival", "Science fiction"]),
        _google("The Martian", ["Andy Weir"], publisher="Broadway Books", date="2014-10-28",
                pages=369, description="The Martian by Andy Weir."),
        _hc("The Martian", ["Andy Weir"], isbn13="9780553418026", pages=369, date="2014-10-28",
            publisher="Broadway Books",
            description="Astronaut Mark Watney is stranded on Mars after a dust storm forces "
                        "his crew to leave without him."),
    ),
    Title(
        "miserables",
        {"title": "Les Misérables", "authors": ["Victor Hugo"], "language": "en",
         "isbn13": "9780140444308"},
        {"title": "Les Misérables", "authors": ["Victor Hugo"], "publisher": "Penguin Books",
         "year": 1982, "pages": 1232, "series": None, "description": ("Valjean",)},
        _ol("OL1095427W", "Les Mise\u0301rables", ["Victor Hugo"], publisher="Penguin Books",
            date="1982", pages=1232, series=["Penguin classics"], cover=8227498),
        _work("OL1095427W", "Les Mise\u0301rables",
              "Jean Valjean, a convict released after nineteen years, is pursued by the "
              "inspector Javert through decades of French history.",
              ["France", "Ex-convicts", "Historical fiction"]),
        _google("Les Misérables", ["Victor Hugo"], publisher="Penguin UK", date="1982-03-25",
                pages=1232,
                description="Jean Valjean, released from prison, rebuilds his life while the "
                            "relentless Javert hunts him."),
        None,
        ("Open Library's title is in decomposed Unicode", "Penguin Classics is a collection"),
    ),
    Title(
        "foundation",
        {"title": "Foundation", "authors": ["Isaac Asimov"], "language": "en",
         "isbn13": "9780553293357"},
        {"title": "Foundation", "authors": ["Isaac Asimov"], "publisher": "Bantam Spectra",
         "year": 1991, "pages": 255, "series": "Foundation", "series_index": 1,
         "description": ("Seldon",)},
        _ol("OL46125W", "FOUNDATION", ["Isaac Asimov"], publisher="Bantam Spectra",
            date="October 1, 1991", pages=255, series=["Foundation series #1"], cover=6425085),
        _work("OL46125W", "Foundation",
              "Hari Seldon foresees the fall of the Galactic Empire and sets up a Foundation to "
              "shorten the dark age that will follow.",
              ["Psychohistory", "Galactic empires"]),
        _google("Foundation", ["Isaac Asimov"], publisher="Spectra", date="1991-10-01",
                pages=255,
                description="Hari Seldon's psychohistory predicts thirty thousand years of "
                            "darkness unless a Foundation preserves knowledge."),
        _hc("Foundation", ["Isaac Asimov"], isbn13="9780553293357", pages=255,
            date="1991-10-01", publisher="Bantam Spectra", series="Foundation", position=1,
            description="The first of Asimov's Foundation novels, in which Hari Seldon plans "
                        "for the Empire's fall."),
        ("Open Library's edition title is in capitals",),
    ),
    Title(
        "etranger-folio",
        {"title": "L'Étranger", "authors": ["Albert Camus"], "language": "fr",
         "isbn13": "9782070360024"},
        {"title": "L'Étranger", "authors": ["Albert Camus"], "language": "fr",
         "publisher": "Gallimard", "year": 1972, "pages": 186, "series": None,
         "description": ("Meursault",)},
        _ol("OL1045648W", "L'Étranger", ["Albert Camus"], publisher="Gallimard", date="1972",
            pages=186, language="fre", series=["Folio ; 2"], cover=6470612),
        _work("OL1045648W", "L'Étranger",
              "Meursault, un employé de bureau à Alger, tue un Arabe sur une plage et attend "
              "son procès avec indifférence.",
              ["Roman français", "Algérie"]),
        _google("L'étranger", ["Albert Camus"], publisher="Editions Gallimard", date="1972",
                pages=186, language="fr",
                description="Aujourd'hui, maman est morte : Meursault, employé à Alger, vit "
                            "sans illusions jusqu'au meurtre."),
        None,
        ("Folio is Gallimard's paperback collection, number 2",),
    ),
    Title(
        "verwandlung-reclam",
        {"title": "Die Verwandlung", "authors": ["Franz Kafka"], "language": "de",
         "isbn13": "9783150099001"},
        {"title": "Die Verwandlung", "authors": ["Franz Kafka"], "language": "de",
         "publisher": "Reclam", "year": 2001, "pages": 79, "series": None,
         "description": ("Gregor",)},
        _ol("OL1102627W", "Die Verwandlung", ["Franz Kafka"], publisher="Reclam", date="2001",
            pages=79, language="ger", series=["Reclams Universal-Bibliothek ; Nr. 9900"],
            cover=8231990),
        _work("OL1102627W", "Die Verwandlung",
              "Als Gregor Samsa eines Morgens aus unruhigen Träumen erwacht, findet er sich in "
              "ein ungeheures Ungeziefer verwandelt.",
              ["Erzählung", "Familie"]),
        _google("Die Verwandlung", ["Franz Kafka"], publisher="Reclam Verlag", date="2001",
                pages=79, language="de",
                description="Gregor Samsa erwacht als Käfer und wird seiner Familie zur Last."),
        None,
        ("Reclams Universal-Bibliothek is a collection",),
    ),
    Title(
        "colour-of-magic",
        {"title": "The Colour of Magic", "authors": ["Terry Pratchett"], "language": "en",
         "isbn13": "9780062225672"},
        {"title": "The Colour of Magic", "authors": ["Terry Pratchett"], "publisher": "Harper",
         "year": 2013, "pages": 285, "series": "Discworld", "series_index": 1,
         "description": ("Rincewind",)},
        _ol("OL453936W", "The Colour of Magic", ["Terry Pratchett"], publisher="Harper",
            date="2013", pages=285, series=["Discworld ; 1"], cover=7893621),
        _work("OL453936W", "The Colour of Magic",
              "The hapless wizard Rincewind guides Twoflower, the Discworld's first tourist, "
              "through Ankh-Morpork and beyond.",
              ["Discworld (Imaginary place)", "Wizards", "Humorous fiction"]),
        _google("The Colour of Magic", ["Terry Pratchett"], publisher="Harper",
                date="2013-09-24", pages=285,
                description="Rincewind the wizard escorts a naive tourist across the flat, "
                            "turtle-borne Discworld."),
        _hc("The Colour of Magic", ["Terry Pratchett"], isbn13="9780062225672", pages=285,
            date="2013-09-24", publisher="Harper", series="Discworld", position=1,
            description="The first Discworld novel: Rincewind and Twoflower set out across "
                        "the Disc."),
    ),
    Title(
        "guards-guards",
        {"title": "Guards! Guards!", "authors": ["Terry Pratchett"], "language": "en",
         "isbn13": "9780062225757"},
        {"title": "Guards! Guards!", "authors": ["Terry Pratchett"], "publisher": "Harper",
         "year": 2013, "pages": 355, "series": "Discworld", "series_index": 8,
         "description": ("Vimes",)},
        _ol("OL453797W", "Guards! Guards!", ["Terry Pratchett"], publisher="Harper",
            date="2013", pages=355, series=["A Discworld novel"], cover=7893625),
        _work("OL453797W", "Guards! Guards!",
              "A secret society summons a dragon to Ankh-Morpork, and only Captain Vimes and "
              "the Night Watch stand in its way.",
              ["Dragons", "Ankh-Morpork (Imaginary place)"],
              series=["Discworld (8)"]),
        _google("Guards! Guards!", ["Terry Pratchett"], publisher="Harper", date="2013-08-27",
                pages=355),
        _hc("Guards! Guards!", ["Terry Pratchett"], isbn13="9780062225757", pages=355,
            date="2013-08-27", publisher="Harper", series="Discworld", position=8,
            description="Captain Sam Vimes and the Night Watch face a dragon summoned by a "
                        "secret brotherhood."),
        ("the edition's series names no number; the work's does",),
    ),
    Title(
        "mistborn",
        {"title": "Mistborn: The Final Empire", "authors": ["Brandon Sanderson"],
         "language": "en", "isbn13": "9780765350381"},
        {"authors": ["Brandon Sanderson"], "publisher": "Tor", "year": 2006, "pages": 541,
         "series": "Mistborn", "series_index": 1, "description": ("Vin",)},
        _ol("OL5738148W", "Mistborn", ["Brandon Sanderson"], publisher="Tor",
            date="2006", pages=541, series=["Mistborn ; bk. 1"], cover=8306667),
        _work("OL5738148W", "Mistborn: The Final Empire",
              "For a thousand years the ash has fallen; Vin, a street thief, learns she is "
              "Mistborn and joins a plot against the Lord Ruler.",
              ["Fantasy", "Magic"]),
        _google("Mistborn", ["Brandon Sanderson"], publisher="Tor Fantasy", date="2006-07-25",
                pages=541,
                description="Vin, a street urchin, is recruited by a crew planning to topple "
                            "the immortal Lord Ruler."),
        _hc("Mistborn: The Final Empire", ["Brandon Sanderson"], isbn13="9780765350381",
            pages=541, date="2006-07-25", publisher="Tor", series="Mistborn", position=1,
            description="Vin learns Allomancy and joins Kelsier's crew against the Lord Ruler."),
    ),
    Title(
        "way-of-kings",
        {"title": "The Way of Kings", "authors": ["Brandon Sanderson"], "language": "en",
         "isbn13": "9780765365279"},
        {"title": "The Way of Kings", "authors": ["Brandon Sanderson"], "publisher": "Tor",
         "year": 2011, "pages": 1258, "series": "The Stormlight Archive", "series_index": 1,
         "description": ("Kaladin",)},
        _ol("OL15358691W", "The Way of Kings", ["Brandon Sanderson"], publisher="Tor",
            date="2011", pages=1258, series=["The Stormlight Archive ; book 1"], cover=8320583),
        _work("OL15358691W", "The Way of Kings",
              "On the storm-swept world of Roshar, the slave Kaladin, the scholar Shallan and "
              "the highprince Dalinar are drawn toward an old catastrophe.",
              ["Epic fantasy"]),
        _google("The Way of Kings", ["Brandon Sanderson"], publisher="Tor Fantasy",
                date="2011-03-01", pages=1258,
                description="Kaladin, a surgeon's son turned slave, fights in a war on the "
                            "Shattered Plains."),
        _hc("The Way of Kings", ["Brandon Sanderson"], isbn13="9780765365279", pages=1258,
            date="2011-03-01", publisher="Tor", series="The Stormlight Archive", position=1,
            description="Kaladin, Shallan and Dalinar on the storm-swept world of Roshar."),
    ),
    Title(
        "fifth-season",
        {"title": "The Fifth Season", "authors": ["N. K. Jemisin"], "language": "en",
         "isbn13": "9780316229296"},
        {"title": "The Fifth Season", "publisher": "Orbit", "year": 2015, "pages": 468,
         "series": "The Broken Earth", "series_index": 1, "description": ("Essun",)},
        _ol("OL17357748W", "The Fifth Season", ["N. K. Jemisin"], publisher="Orbit",
            date="2015", pages=468, series=["The Broken Earth trilogy (1)"], cover=8225244),
        _work("OL17357748W", "The Fifth Season",
              "As a continent-wide catastrophe begins, Essun searches for the husband who "
              "killed their son and took their daughter.",
              ["Science fiction", "Geology"]),
        _google("The Fifth Season", ["N. K. Jemisin"], publisher="Orbit", date="2015-08-04",
                pages=468,
                description="The world is ending again; Essun sets out after her vanished "
                            "daughter."),
        _hc("The Fifth Season", ["N.K. Jemisin"], isbn13="9780316229296", pages=468,
            date="2015-08-04", publisher="Orbit", series="The Broken Earth", position=1,
            description="Essun, an orogene, searches for her daughter as the world ends."),
    ),
    Title(
        "ancillary-justice",
        {"title": "Ancillary Justice", "authors": ["Ann Leckie"], "language": "en",
         "isbn13": "9780316246620"},
        {"title": "Ancillary Justice", "authors": ["Ann Leckie"], "publisher": "Orbit",
         "year": 2013, "pages": 386, "series": "Imperial Radch", "series_index": 1,
         "description": ("Breq",)},
        _ol("OL17091817W", "Ancillary Justice", ["Ann Leckie"], publisher="Orbit",
            date="2013", pages=386, series=["Imperial Radch ; 1"], cover=7411893),
        _work("OL17091817W", "Ancillary Justice",
              "Breq, once a warship's artificial intelligence, now has a single human body "
              "and a single purpose: revenge.",
              ["Artificial intelligence", "Space opera"]),
        _google("Ancillary Justice", ["Ann Leckie"], publisher="Orbit", date="2013-10-01",
                pages=386,
                description="Breq was once the starship Justice of Toren; now she seeks "
                            "vengeance."),
        _hc("Ancillary Justice", ["Ann Leckie"], isbn13="9780316246620", pages=386,
            date="2013-10-01", publisher="Orbit", series="Imperial Radch", position=1,
            description="Breq, the last ancillary of the Justice of Toren, seeks revenge."),
    ),
    Title(
        "three-body",
        {"title": "The Three-Body Problem", "authors": ["Cixin Liu"], "language": "en",
         "isbn13": "9780765382030"},
        {"title": "The Three-Body Problem", "publisher": "Tor", "year": 2016, "pages": 400,
         "series": "Remembrance of Earth's Past", "series_index": 1,
         "description": ("Ye Wenjie", "Cultural Revolution")},
        _ol("OL17267881W", "The Three-Body Problem", ["Cixin Liu"], publisher="Tor",
            date="2016", pages=400, series=["Remembrance of Earth's Past ; 1"], cover=8238401),
        _work("OL17267881W", "The Three-Body Problem",
              "During the Cultural Revolution, Ye Wenjie sends a signal into space; decades "
              "later, scientists begin to die.",
              ["Science fiction", "Extraterrestrial beings"]),
        _google("The Three-Body Problem", ["Cixin Liu"], publisher="Tor Books",
                date="2016-01-12", pages=400,
                description="Set against the Cultural Revolution, a secret military project "
                            "sends signals into space."),
        _hc("The Three-Body Problem", ["Liu Cixin"], isbn13="9780765382030", pages=400,
            date="2016-01-12", publisher="Tor", series="Remembrance of Earth's Past",
            position=1, description="Ye Wenjie's signal into space reaches a dying world."),
    ),
    Title(
        "name-of-the-wind",
        {"title": "The Name of the Wind", "authors": ["Patrick Rothfuss"], "language": "en",
         "isbn13": "9780756404741"},
        {"title": "The Name of the Wind", "authors": ["Patrick Rothfuss"], "publisher": "DAW",
         "year": 2008, "pages": 722, "series": "The Kingkiller Chronicle", "series_index": 1,
         "description": ("Kvothe",)},
        _ol("OL8479867W", "The Name of the Wind", ["Patrick Rothfuss"], publisher="DAW",
            date="April 1, 2008", pages=722, series=["Kingkiller chronicle ; day 1"],
            cover=8259447),
        _work("OL8479867W", "The Name of the Wind",
              "Kvothe, now an innkeeper, tells the story of how he became the most notorious "
              "wizard his world has known.",
              ["Fantasy", "Magicians"]),
        _google("The Name of the Wind", ["Patrick Rothfuss"], publisher="Penguin",
                date="2008-04-01", pages=722,
                description="Kvothe recounts his childhood, his years at the University and "
                            "the Chandrian."),
        _hc("The Name of the Wind", ["Patrick Rothfuss"], isbn13="9780756404741", pages=722,
            date="2008-04-01", publisher="DAW", series="The Kingkiller Chronicle", position=1,
            description="Kvothe tells the true story of his life to a chronicler."),
    ),
    Title(
        "fellowship",
        {"title": "The Fellowship of the Ring", "authors": ["J. R. R. Tolkien"],
         "language": "en", "isbn13": "9780547928210"},
        {"title": "The Fellowship of the Ring", "publisher": "Houghton Mifflin Harcourt",
         "year": 2012, "pages": 432, "series": "The Lord of the Rings", "series_index": 1,
         "description": ("Frodo",)},
        _ol("OL14933414W", "The Fellowship of the Ring", ["J.R.R. Tolkien"],
            publisher="Houghton Mifflin Harcourt", date="2012", pages=432,
            series=["The Lord of the Rings ; pt. 1"], cover=8474036),
        _work("OL14933414W", "The Fellowship of the Ring",
              "Frodo Baggins inherits the One Ring and sets out from the Shire to keep it from "
              "the Dark Lord.",
              ["Middle Earth (Imaginary place)", "Fantasy"]),
        _google("The Fellowship Of The Ring", ["J.R.R. Tolkien"],
                publisher="Houghton Mifflin Harcourt", date="2012-09-18", pages=432,
                description="Frodo and eight companions set out to destroy the Ring."),
        _hc("The Fellowship of the Ring", ["J.R.R. Tolkien"], isbn13="9780547928210",
            pages=432, date="2012-09-18", publisher="Houghton Mifflin Harcourt",
            series="The Lord of the Rings", position=1,
            description="Frodo Baggins and the Fellowship set out to destroy the One Ring."),
    ),
    Title(
        "leviathan-wakes",
        {"title": "Leviathan Wakes", "authors": ["James S. A. Corey"], "language": "en",
         "isbn13": "9780316129084"},
        {"title": "Leviathan Wakes", "publisher": "Orbit", "year": 2011, "pages": 561,
         "series": "The Expanse", "series_index": 1, "description": ("Holden",)},
        _ol("OL15833240W", "Leviathan Wakes", ["James S. A. Corey"], publisher="Orbit",
            date="2011", pages=561, series=["The expanse ; 1"], cover=7091393),
        _work("OL15833240W", "Leviathan Wakes",
              "Jim Holden's ice hauler finds a derelict ship, and detective Miller hunts a "
              "missing girl; both cases lead to a secret that could start a war.",
              ["Space warfare", "Science fiction"]),
        _google("Leviathan Wakes", ["James S. A. Corey"], publisher="Orbit",
                date="2011-06-02", pages=561,
                description="Holden and Miller uncover a conspiracy across the solar system."),
        _hc("Leviathan Wakes", ["James S.A. Corey"], isbn13="9780316129084", pages=561,
            date="2011-06-15", publisher="Orbit", series="The Expanse", position=1,
            description="Holden and Miller uncover a conspiracy that threatens the system."),
    ),
    Title(
        "game-of-thrones",
        {"title": "A Game of Thrones", "authors": ["George R. R. Martin"], "language": "en",
         "isbn13": "9780553593716"},
        {"title": "A Game of Thrones", "publisher": "Bantam", "year": 2011, "pages": 835,
         "series": "A Song of Ice and Fire", "series_index": 1, "description": ("Stark",)},
        _ol("OL257943W", "A Game of Thrones", ["George R. R. Martin"], publisher="Bantam",
            date="2011", pages=835, series=["A song of ice and fire ; bk. 1"], cover=9269962),
        _work("OL257943W", "A Game of Thrones",
              "Summers span decades and winter is coming; the Starks of Winterfell are drawn "
              "into the struggle for the Iron Throne.",
              ["Fantasy", "Kings and rulers"]),
        _google("A Game of Thrones", ["George R. R. Martin"], publisher="Bantam",
                date="2011-03-22", pages=835),
        _hc("A Game of Thrones", ["George R.R. Martin"], isbn13="9780553593716", pages=835,
            date="2011-03-22", publisher="Bantam", series="A Song of Ice and Fire",
            position=1, description="The Starks of Winterfell and the war for the Iron Throne."),
    ),
    Title(
        "pride-prejudice",
        {"title": "Pride and Prejudice", "authors": ["Jane Austen"], "language": "en",
         "isbn13": "9780141439518"},
        {"title": "Pride and Prejudice", "authors": ["Jane Austen"],
         "publisher": "Penguin Books", "year": 2003, "pages": 480, "series": None,
         "description": ("Bennet",)},
        _ol("OL66554W", "Pride and Prejudice", ["Jane Austen"], publisher="Penguin Books",
            date="2003", pages=480, series=["Penguin classics"], cover=8479576),
        _work("OL66554W", "Pride and Prejudice",
              "Elizabeth Bennet meets the proud Mr Darcy, and first impressions prove "
              "misleading on both sides.",
              ["Courtship", "England -- Social life and customs"]),
        _google("Pride and Prejudice", ["Jane Austen"], publisher="Penguin UK",
                date="2003-01-30", pages=480,
                description="Elizabeth Bennet and Mr Darcy, and the Bennet sisters' "
                            "marriage prospects."),
        _hc("Pride and Prejudice", ["Jane Austen"], isbn13="9780141439518", pages=480,
            date="2003-01-30", publisher="Penguin Books",
            description="Elizabeth Bennet and Mr Darcy overcome pride and prejudice."),
        ("Penguin Classics is a collection",),
    ),
    Title(
        "crime-punishment",
        {"title": "Crime and Punishment", "authors": ["Fyodor Dostoyevsky"], "language": "en",
         "isbn13": "9780143058144"},
        {"title": "Crime and Punishment", "publisher": "Penguin Books", "year": 2003,
         "pages": 720, "series": None, "description": ("Raskolnikov",)},
        _ol("OL166894W", "Crime and Punishment", ["Fyodor Dostoyevsky"],
            publisher="Penguin Books", date="2003", pages=720,
            series=["Penguin classics deluxe edition"], cover=8479571),
        _work("OL166894W", "Crime and Punishment",
              "The impoverished student Raskolnikov murders a pawnbroker and is consumed by "
              "guilt and the investigator Porfiry.",
              ["Murder", "Russian fiction"]),
        _google("Crime and Punishment", ["Fyodor Dostoyevsky"], publisher="Penguin",
                date="2003-12-30", pages=720),
        None,
        ("Penguin Classics Deluxe Edition is a collection",),
    ),
    Title(
        "anna-karenina",
        {"title": "Anna Karenina", "authors": ["Leo Tolstoy"], "language": "en",
         "isbn13": "9780143035008"},
        {"title": "Anna Karenina", "authors": ["Leo Tolstoy"], "publisher": "Penguin Books",
         "year": 2004, "pages": 864, "series": None, "description": ("Vronsky",)},
        _ol("OL76837W", "Anna Karenina", ["Leo Tolstoy"], publisher="Penguin Books",
            date="2004", pages=864, series=["Penguin classics"], cover=8231854),
        _work("OL76837W", "Anna Karenina",
              "Anna's affair with Count Vronsky sets her against the society of Saint "
              "Petersburg, while Levin seeks meaning on his estate.",
              ["Adultery", "Russia -- Fiction"]),
        _google("Anna Karenina", ["Leo Tolstoy"], publisher="Penguin", date="2004-05-31",
                pages=864,
                description="Anna Karenina leaves her husband for Count Vronsky."),
        None,
    ),
    Title(
        "norwegian-wood",
        {"title": "Norwegian Wood", "authors": ["Haruki Murakami"], "language": "en",
         "isbn13": "9780375704024"},
        {"title": "Norwegian Wood", "authors": ["Haruki Murakami"],
         "publisher": "Vintage International", "year": 2000, "pages": 296, "series": None,
         "description": ("Toru",)},
        _ol("OL2627766W", "Norwegian Wood", ["Haruki Murakami"],
            publisher="Vintage International", date="2000", pages=296,
            series=["Vintage international"], cover=6989823),
        _work("OL2627766W", "Norwegian Wood",
              "Toru Watanabe remembers his student years in Tokyo and his love for the "
              "fragile Naoko.",
              ["Japanese fiction", "Tokyo (Japan)"]),
        _google("Norwegian Wood", ["Haruki Murakami"], publisher="Vintage",
                date="2000-09-12", pages=296,
                description="Toru Watanabe looks back on his college days in 1960s Tokyo."),
        _hc("Norwegian Wood", ["Haruki Murakami", ("Jay Rubin", "Translator")],
            isbn13="9780375704024", pages=296, date="2000-09-12",
            publisher="Vintage International",
            description="Toru Watanabe recalls his days in Tokyo, Naoko and Midori."),
        ("Vintage International is the publisher's own imprint and collection",),
    ),
    Title(
        "remains-of-the-day",
        {"title": "The Remains of the Day", "authors": ["Kazuo Ishiguro"], "language": "en",
         "isbn13": "9780679731726"},
        {"title": "The Remains of the Day", "authors": ["Kazuo Ishiguro"],
         "publisher": "Vintage International", "year": 1990, "pages": 245, "series": None,
         "description": ("Stevens",)},
        _ol("OL2019498W", "The Remains of the Day", ["Kazuo Ishiguro"],
            publisher="Vintage International", date="1990", pages=245,
            series=["Vintage international"], cover=8234193),
        _work("OL2019498W", "The Remains of the Day",
              "Stevens, an English butler, drives to the West Country and reflects on his "
              "years of service at Darlington Hall.",
              ["Butlers", "England -- Fiction"]),
        _google("The Remains of the Day", ["Kazuo Ishiguro"], publisher="Vintage",
                date="1990-09-11", pages=245,
                description="The butler Stevens takes a motoring trip and looks back."),
        None,
    ),
    Title(
        "project-hail-mary",
        {"title": "Project Hail Mary", "authors": ["Andy Weir"], "language": "en",
         "isbn13": "9780593135204"},
        {"title": "Project Hail Mary", "authors": ["Andy Weir"], "publisher": "Ballantine Books",
         "year": 2021, "pages": 476, "series": None, "description": ("Ryland Grace",)},
        _ol("OL21745884W", "Project Hail Mary", ["Andy Weir"], publisher="Ballantine Books",
            date="May 4, 2021", pages=476, cover=11200092),
        _work("OL21745884W", "Project Hail Mary",
              "Ryland Grace wakes alone on a spaceship with no memory, and the survival of "
              "Earth depends on him.",
              ["Science fiction", "Space flight"]),
        _google("Project Hail Mary", ["Andy Weir"], publisher="Ballantine Books",
                date="2021-05-04", pages=496,
                description="Ryland Grace is the sole survivor on a desperate last-chance "
                            "mission."),
        _hc("Project Hail Mary", ["Andy Weir"], isbn13="9780593135204", pages=476,
            date="2021-05-04", publisher="Ballantine Books",
            description="Ryland Grace wakes up alone on a spaceship light-years from home."),
    ),
    Title(
        "klara-and-the-sun",
        {"title": "Klara and the Sun", "authors": ["Kazuo Ishiguro"], "language": "en",
         "isbn13": "9780593318171"},
        {"title": "Klara and the Sun", "authors": ["Kazuo Ishiguro"], "publisher": "Knopf",
         "year": 2021, "pages": 303, "series": None, "description": ("Artificial Friend",)},
        _ol("OL20893680W", "Klara and the Sun", ["Kazuo Ishiguro"], publisher="Knopf",
            date="2021", pages=303, cover=10521270),
        _work("OL20893680W", "Klara and the Sun",
              "Klara, an Artificial Friend, watches from a store window and hopes to be "
              "chosen by a child.",
              ["Artificial intelligence", "Robots"]),
        _google("Klara and the Sun", ["Kazuo Ishiguro"], publisher="Knopf",
                date="2021-03-02", pages=303,
                description="Klara and the Sun by Kazuo Ishiguro."),
        _hc("Klara and the Sun", ["Kazuo Ishiguro"], isbn13="9780593318171", pages=303,
            date="2021-03-02", publisher="Knopf",
            description="Klara, an Artificial Friend, observes the humans around her."),
        ("Google's description is a stub",),
    ),
    Title(
        "dune",
        {"title": "Dune", "authors": ["Frank Herbert"], "language": "en",
         "isbn13": "9780441172719"},
        {"title": "Dune", "authors": ["Frank Herbert"], "publisher": "Ace", "year": 1990,
         "pages": 535, "series": "Dune", "series_index": 1, "description": ("Arrakis",)},
        _ol("OL893415W", "Dune", ["Frank Herbert"], publisher="Ace", date="1990", pages=535,
            series=["Dune chronicles ; bk. 1"], cover=8231856),
        _work("OL893415W", "Dune",
              "On the desert planet Arrakis, Paul Atreides becomes part of a struggle for the "
              "spice that binds an empire.",
              ["Science fiction", "Deserts"]),
        _google("Dune", ["Frank Herbert"], publisher="Ace", date="1990-09-01", pages=535,
                description="Paul Atreides and his family take control of Arrakis."),
        _hc("Dune", ["Frank Herbert"], isbn13="9780441172719", pages=535, date="1990-09-01",
            publisher="Ace", series="Dune", position=1,
            description="Paul Atreides on the desert planet Arrakis."),
    ),
    Title(
        "left-hand-darkness",
        {"title": "The Left Hand of Darkness", "authors": ["Ursula K. Le Guin"],
         "language": "en", "isbn13": "9780441478125"},
        {"title": "The Left Hand of Darkness", "authors": ["Ursula K. Le Guin"],
         "publisher": "Ace", "year": 1987, "pages": 304, "series": "Hainish Cycle",
         "series_index": 4, "description": ("Gethen",)},
        _ol("OL59863W", "The Left Hand of Darkness", ["Ursula K. Le Guin"], publisher="Ace",
            date="1987", pages=304, series=["An Ace science fiction book"], cover=6998576),
        _work("OL59863W", "The Left Hand of Darkness",
              "Genly Ai, envoy to the ice world Gethen, must understand a people who are "
              "neither man nor woman.",
              ["Gender identity", "Science fiction"]),
        _google("The Left Hand of Darkness", ["Ursula K. Le Guin"], publisher="Ace",
                date="1987-03-15", pages=304,
                description="Genly Ai is sent to the planet Gethen, whose people have no "
                            "fixed sex."),
        _hc("The Left Hand of Darkness", ["Ursula K. Le Guin"], isbn13="9780441478125",
            pages=304, date="1987-03-15", publisher="Ace", series="Hainish Cycle",
            position=4, description="Genly Ai, envoy to the planet Gethen."),
        ("'An Ace science fiction book' is the publisher's collection",),
    ),
    Title(
        "neuromancer",
        {"title": "Neuromancer", "authors": ["William Gibson"], "language": "en",
         "isbn13": "9780441569595"},
        {"title": "Neuromancer", "authors": ["William Gibson"], "publisher": "Ace",
         "year": 1984, "pages": 271, "series": "Sprawl", "series_index": 1,
         "description": ("Case",)},
        _ol("OL27258W", "Neuromancer", ["William Gibson"], publisher="Ace", date="1984",
            pages=271, series=["Sprawl trilogy ; 1"], cover=6978424),
        _work("OL27258W", "Neuromancer",
              "Case, a burned-out hacker, is hired for one last run against an artificial "
              "intelligence in orbit.",
              ["Cyberpunk", "Computer hackers"]),
        _google("Neuromancer", ["William Gibson"], publisher="Ace", date="1984-07-01",
                pages=271,
                description="Case was the sharpest data-thief in the Sprawl until he crossed "
                            "his employers."),
        _hc("Neuromancer", ["William Gibson"], isbn13="9780441569595", pages=271,
            date="1984-07-01", publisher="Ace", series="Sprawl", position=1,
            description="Case, a washed-up hacker, gets one last job."),
    ),
    Title(
        "brave-new-world",
        {"title": "Brave New World", "authors": ["Aldous Huxley"], "language": "en",
         "isbn13": "9780060850524"},
        {"title": "Brave New World", "authors": ["Aldous Huxley"],
         "publisher": "Harper Perennial Modern Classics", "year": 2006, "pages": 288,
         "series": None, "description": ("World State",)},
        _ol("OL64468W", "Brave New World", ["Aldous Huxley"],
            publisher="Harper Perennial Modern Classics", date="2006", pages=288,
            series=["Harper Perennial modern classics"], cover=8231823),
        _work("OL64468W", "Brave New World",
              "In the World State, people are made in hatcheries and kept content with soma; "
              "Bernard Marx begins to doubt.",
              ["Dystopias", "Utopias"]),
        _google("Brave New World", ["Aldous Huxley"], publisher="Harper Collins",
                date="2006-10-17", pages=288,
                description="A future World State of engineered contentment."),
        _hc("Brave New World", ["Aldous Huxley"], isbn13="9780060850524", pages=288,
            date="2006-10-17", publisher="Harper Perennial Modern Classics",
            description="The World State keeps its citizens content with soma."),
        ("the collection is named like the publisher",),
    ),
    Title(
        "nineteen-eighty-four",
        {"title": "1984", "authors": ["George Orwell"], "language": "en",
         "isbn13": "9780451524935"},
        {"title": "1984", "authors": ["George Orwell"], "publisher": "Signet Classics",
         "year": 1961, "pages": 328, "series": None, "description": ("Winston",)},
        _ol("OL1168083W", "1984", ["George Orwell"], publisher="Signet Classics",
            date="1961", pages=328, series=["Signet classics"], cover=9267242),
        _work("OL1168083W", "Nineteen Eighty-Four",
              "Winston Smith rewrites history at the Ministry of Truth and dares to keep a "
              "diary under the eye of Big Brother.",
              ["Totalitarianism", "Dystopias"]),
        _google("1984", ["George Orwell"], publisher="Signet Classics", date="1961-01-01",
                pages=328,
                description="Winston Smith works for the Ministry of Truth in Oceania."),
        _hc("1984", ["George Orwell"], isbn13="9780451524935", pages=328, date="1961-01-01",
            publisher="Signet Classics",
            description="Winston Smith struggles against Big Brother."),
    ),
    Title(
        "handmaids-tale",
        {"title": "The Handmaid's Tale", "authors": ["Margaret Atwood"], "language": "en",
         "isbn13": "9780385490818"},
        {"title": "The Handmaid's Tale", "authors": ["Margaret Atwood"], "publisher": "Anchor",
         "year": 1998, "pages": 311, "series": "The Handmaid's Tale", "series_index": 1,
         "description": ("Offred",)},
        _ol("OL675783W", "The Handmaid's Tale", ["Margaret Atwood"], publisher="Anchor",
            date="1998", pages=311, cover=8231890),
        _work("OL675783W", "The Handmaid's Tale",
              "Offred is a Handmaid in the Republic of Gilead, allowed out once a day to the "
              "market.",
              ["Dystopias", "Women"], series=["The Handmaid's Tale ; 1"]),
        _google("The Handmaid's Tale", ["Margaret Atwood"], publisher="Anchor",
                date="1998-03-16", pages=311,
                description="Offred lives in the Republic of Gilead."),
        _hc("The Handmaid's Tale", ["Margaret Atwood"], isbn13="9780385490818", pages=311,
            date="1998-03-16", publisher="Anchor", series="The Handmaid's Tale", position=1,
            description="Offred, a Handmaid in the Republic of Gilead."),
        ("the series is only on the work",),
    ),
    Title(
        "beloved",
        {"title": "Beloved", "authors": ["Toni Morrison"], "language": "en",
         "isbn13": "9781400033416"},
        {"title": "Beloved", "authors": ["Toni Morrison"], "publisher": "Vintage",
         "year": 2004, "pages": 324, "series": None, "description": ("Sethe",)},
        _ol("OL15308W", "Beloved", ["Toni Morrison"], publisher="Vintage", date="2004",
            pages=324, series=["Vintage international"], cover=8231867),
        _work("OL15308W", "Beloved",
              "Sethe, born a slave, escaped to Ohio, but eighteen years later she is still "
              "not free of her memories.",
              ["Slavery", "Ohio -- Fiction"]),
        _google("Beloved", ["Toni Morrison"], publisher="Vintage", date="2004-06-08",
                pages=324),
        _hc("Beloved", ["Toni Morrison"], isbn13="9781400033416", pages=324,
            date="2004-06-08", publisher="Vintage",
            description="Sethe is haunted by the ghost of her daughter."),
    ),
    Title(
        "good-omens",
        {"title": "Good Omens", "authors": ["Terry Pratchett", "Neil Gaiman"],
         "language": "en", "isbn13": "9780060853983"},
        {"title": "Good Omens", "authors": ["Terry Pratchett", "Neil Gaiman"],
         "publisher": "William Morrow", "year": 2006, "pages": 432, "series": None,
         "description": ("Antichrist", "Armageddon", "Apocalypse")},
        _ol("OL453929W", "Good Omens", ["Terry Pratchett", "Neil Gaiman"],
            publisher="William Morrow", date="2006", pages=432, cover=8231873),
        _work("OL453929W", "Good Omens",
              "The Antichrist has been misplaced, and an angel and a demon who like Earth "
              "rather too much try to stop the end of the world.",
              ["Angels", "Demons", "Humorous fiction"]),
        _google("Good Omens", ["Neil Gaiman"], publisher="William Morrow",
                date="2006-11-28", pages=432,
                description="An angel and a demon team up to avert Armageddon."),
        _hc("Good Omens", ["Terry Pratchett", "Neil Gaiman"], isbn13="9780060853983",
            pages=432, date="2006-11-28", publisher="William Morrow",
            description="Aziraphale and Crowley try to stop the Apocalypse."),
        ("Google names one of the two authors",),
    ),
    Title(
        "cien-anos",
        {"title": "Cien años de soledad", "authors": ["Gabriel García Márquez"],
         "language": "es", "isbn13": "9780307474728"},
        {"title": "Cien años de soledad", "authors": ["Gabriel García Márquez"],
         "language": "es", "publisher": "Vintage Español", "year": 2009, "pages": 496,
         "series": None, "description": ("Macondo",)},
        _ol("OL274505W", "Cien años de soledad", ["Gabriel García Márquez"],
            publisher="Vintage Español", date="2009", pages=496, language="spa",
            series=["Vintage español"], cover=6425134),
        _work("OL274505W", "Cien años de soledad",
              "La historia de la familia Buendía a lo largo de siete generaciones en el "
              "pueblo de Macondo.",
              ["Familias", "Novela colombiana"]),
        _google("Cien años de soledad", ["Gabriel García Márquez"], publisher="Vintage Espanol",
                date="2009-03-10", pages=496, language="es",
                description="Siete generaciones de los Buendía en Macondo."),
        None,
    ),
    Title(
        "petit-prince",
        {"title": "Le Petit Prince", "authors": ["Antoine de Saint-Exupéry"],
         "language": "fr", "isbn13": "9782070612758"},
        {"title": "Le Petit Prince", "authors": ["Antoine de Saint-Exupéry"],
         "language": "fr", "publisher": "Gallimard", "year": 2007, "pages": 97,
         "series": None, "description": ("aviateur",)},
        _ol("OL15001052W", "Le Petit Prince", ["Antoine de Saint-Exupéry"],
            publisher="Gallimard", date="2007", pages=97, language="fre",
            series=["Folio junior ; 100"], cover=8281234),
        _work("OL15001052W", "Le Petit Prince",
              "Un aviateur tombé en panne dans le désert rencontre un petit prince venu d'une "
              "autre planète.",
              ["Contes", "Littérature de jeunesse"]),
        _google("Le petit prince", ["Antoine de Saint-Exupéry"], publisher="Gallimard Jeunesse",
                date="2007", pages=97, language="fr",
                description="Un aviateur rencontre un petit prince dans le désert du Sahara."),
        None,
        ("Folio junior is a collection",),
    ),
    Title(
        "steppenwolf",
        {"title": "Der Steppenwolf", "authors": ["Hermann Hesse"], "language": "de",
         "isbn13": "9783518366752"},
        {"title": "Der Steppenwolf", "authors": ["Hermann Hesse"], "language": "de",
         "publisher": "Suhrkamp", "year": 1974, "pages": 288, "series": None,
         "description": ("Harry Haller",)},
        _ol("OL1100486W", "Der Steppenwolf", ["Hermann Hesse"], publisher="Suhrkamp",
            date="1974", pages=288, language="ger",
            series=["Suhrkamp Taschenbuch ; 175"], cover=8231999),
        _work("OL1100486W", "Der Steppenwolf",
              "Harry Haller, ein einsamer Intellektueller, zerrissen zwischen Bürgerlichkeit "
              "und dem Wolf in sich.",
              ["Deutsche Literatur"]),
        _google("Der Steppenwolf", ["Hermann Hesse"], publisher="Suhrkamp Verlag",
                date="1974", pages=288, language="de",
                description="Harry Haller, der Steppenwolf, sucht seinen Weg."),
        None,
        ("Suhrkamp Taschenbuch is a collection",),
    ),
    Title(
        "philosophers-stone",
        {"title": "Harry Potter and the Philosopher's Stone", "authors": ["J. K. Rowling"],
         "language": "en", "isbn13": "9780747532699"},
        {"title": "Harry Potter and the Philosopher's Stone", "publisher": "Bloomsbury",
         "year": 1997, "pages": 223, "series": "Harry Potter", "series_index": 1,
         "description": ("Hogwarts",)},
        _ol("OL82563W", "Harry Potter and the Philosopher's Stone", ["J. K. Rowling"],
            publisher="Bloomsbury", date="1997", pages=223, series=["Harry Potter (1)"],
            cover=10521268),
        _work("OL82563W", "Harry Potter and the Philosopher's Stone",
              "On his eleventh birthday Harry Potter learns he is a wizard and goes to "
              "Hogwarts School of Witchcraft and Wizardry.",
              ["Wizards", "Schools", "Magic"]),
        _google("Harry Potter and the Philosopher's Stone", ["J. K. Rowling"],
                publisher="Bloomsbury", date="1997-06-26", pages=223,
                description="Harry Potter discovers he is a wizard and begins at Hogwarts."),
        _hc("Harry Potter and the Philosopher's Stone", ["J.K. Rowling"],
            isbn13="9780747532699", pages=223, date="1997-06-26", publisher="Bloomsbury",
            series="Harry Potter", position=1,
            description="Harry Potter learns he is a wizard and goes to Hogwarts."),
    ),
    Title(
        "convenience-en",
        {"title": "Convenience Store Woman", "authors": ["Sayaka Murata"], "language": "en",
         "isbn13": KONBINI_EN},
        {"title": "Convenience Store Woman", "authors": ["Sayaka Murata"],
         "publisher": "Grove Press", "year": 2018, "pages": 163, "series": None,
         "description": ("Keiko", "convenience store")},
        None,  # shares the records of konbini-ja: the same ISBN
        None,
        None,
        None,
        ("the English edition itself: the same records are right for it",),
    ),
)
# fmt: on
