"""Title, volume, author and language normalisation for matching."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookorbit_desktop.hardcover.matching.normalize import (
    fold,
    normalize_language,
    parse_person,
    parse_title,
    person_similarity,
    spell_numbers_as_digits,
    split_authors,
    title_similarity,
)
from bookorbit_desktop.hardcover.matching.volumes import (
    FORMAT_AUDIO,
    FORMAT_COMIC,
    FORMAT_PROSE,
    extract_volume,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ender's Game", "enders game"),
        ("L’Étranger", "letranger"),
        ("Crème Brûlée & Co.", "creme brulee and co"),
        ("ＦＵＬＬ　ＷＩＤＴＨ", "full width"),
        ("Straße", "strasse"),
        ("Ærø Łódź", "aero lodz"),
        ("Война и мир", "война и мир"),
        ("Ёлка", "елка"),
        ("채식주의자", "채식주의자"),
        ("ノルウェイの森", "ノルウェイの森"),
        ("ガンダム", "ガンダム"),  # Japanese voiced marks are letters there, not accents
        ("ആടുജീവിതം", "ആടുജീവിതം"),
        ("Tiếng Việt", "tieng viet"),
        ("!!!", "!!!"),
        ("  many   spaces\t", "many spaces"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


@given(st.text(min_size=1))
def test_fold_never_empties_a_title_that_has_letters_or_digits(text):
    folded = fold(text)
    if any(ch.isalnum() for ch in text):
        assert folded
    assert fold(folded) == folded


@pytest.mark.parametrize(
    "title",
    ["채식주의자", "ノルウェイの森", "Война и мир", "ആടുജീവിതം", "进击的巨人", "《三体》", "？？"],
)
def test_non_latin_titles_keep_a_core(title):
    assert parse_title(title).core


@pytest.mark.parametrize(
    ("title", "core", "subtitle", "volume"),
    [
        ("The Name of the Wind", "name of the wind", "", None),
        ("Hobbit, The", "hobbit", "", None),
        ("Die Verwandlung", "verwandlung", "", None),
        ("L'Étranger", "etranger", "", None),
        ("Le Petit Prince", "petit prince", "", None),
        ("Sapiens: A Brief History of Humankind", "sapiens", "brief history of humankind", None),
        ("Educated: A Memoir", "educated", "", None),
        ("Where the Crawdads Sing: A Novel", "where the crawdads sing", "", None),
        ("Der Name des Windes: Roman", "name des windes", "", None),
        ("Leviathan Wakes (The Expanse #1)", "leviathan wakes", "", 1),
        ("A Game of Thrones (A Song of Ice and Fire, Book 1)", "game of thrones", "", 1),
        ("Sword Art Online, Vol. 2 (light novel)", "sword art online", "", 2),
        ("Naruto, Vol. 3: The Worst Client", "naruto", "worst client", 3),
        ("Vol. 2: The Real Title", "real title", "", 2),
        ("Berserk Volume II", "berserk", "", 2),
        ("Book Two of the Expanse", "expanse", "", 2),
        ("進撃の巨人（２）", "進撃の巨人", "", 2),
        ("進撃の巨人 2巻", "進撃の巨人", "", 2),
        ("第3巻 ワンピース", "ワンピース", "", 3),
        ("나 혼자만 레벨업 3권", "나 혼자만 레벨업", "", 3),
        ("Мастер и Маргарита. Том 2", "мастер и маргарита", "", 2),
        ("Asterix Band 4", "asterix", "", 4),
        ("Les Misérables, Tome 1", "miserables", "", 1),
        ("Mistborn, Part Three", "mistborn", "", 3),
        ("Dune Messiah", "dune messiah", "", None),
        ("Fahrenheit 451", "fahrenheit 451", "", None),
        ("Catch-22", "catch 22", "", None),
        ("The Book Thief", "book thief", "", None),
        ("Henry V", "henry v", "", None),
        ("Book 2", "book 2", "", 2),
        ("Star Wars: Episode IV - A New Hope", "star wars", "episode iv a new hope", None),
    ],
)
def test_parse_title(title, core, subtitle, volume):
    parts = parse_title(title)
    assert parts.core == core
    assert parts.subtitle == subtitle
    assert (parts.volume.number if parts.volume else None) == volume


def test_separate_subtitle_joins_the_title():
    parts = parse_title("Sapiens", "A Brief History of Humankind")
    assert (parts.core, parts.subtitle) == ("sapiens", "brief history of humankind")


@pytest.mark.parametrize(
    ("title", "series_hint"),
    [
        ("Leviathan Wakes (The Expanse #1)", "the expanse"),
        ("Caliban's War (Expanse, #2)", "expanse"),
        ("A Game of Thrones (A Song of Ice and Fire, Book 1)", "a song of ice and fire"),
        ("Plain Title", ""),
    ],
)
def test_series_suffix_names_the_series(title, series_hint):
    assert parse_title(title).series_hint == series_hint


@pytest.mark.parametrize(
    ("title", "omnibus"),
    [
        ("Harry Potter Books 1-7 Box Set", True),
        ("The Hunger Games Trilogy", True),
        ("Berserk Deluxe Edition Omnibus", True),
        ("Sword Art Online, Vol. 1-3", True),
        ("Naruto 3-in-1 Edition", True),
        ("Sherlock Holmes: The Complete Collection", True),
        ("Dubliners (Penguin Classics Collection)", False),  # a publisher's line, not a bundle
        ("The Broken Earth (The Broken Earth Trilogy #2)", False),  # the series name says trilogy
        ("The Hunger Games", False),
        ("Legends: Story Collection", False),  # a subtitle's "Collection" is no bundle
        ("The Collection", True),
    ],
)
def test_omnibus(title, omnibus):
    assert parse_title(title).omnibus is omnibus


@pytest.mark.parametrize(
    ("title", "formats"),
    [
        ("Spice and Wolf, Vol. 1 (light novel)", {FORMAT_PROSE}),
        ("Spice and Wolf, Vol. 1 (manga)", {FORMAT_COMIC}),
        ("Dune: The Graphic Novel, Book 1", {FORMAT_COMIC}),
        ("Where the Crawdads Sing: A Novel", {FORMAT_PROSE}),
        ("The Hobbit (Unabridged)", {FORMAT_AUDIO}),
        ("Dune (Audiobook)", {FORMAT_AUDIO}),
        ("鬼滅の刃 (コミックス)", {FORMAT_COMIC}),
        ("Dune", set()),
    ],
)
def test_format_words(title, formats):
    assert parse_title(title).formats == frozenset(formats)


def test_format_words_do_not_stay_in_the_title():
    assert parse_title("Dune: The Graphic Novel").core == "dune"
    assert parse_title("Dune: The Graphic Novel").subtitle == ""


NUMBERS = [
    ("2", 2.0), ("02", 2.0), ("2.5", 2.5), ("2,5", 2.5), ("IV", 4.0), ("xii", 12.0),
    ("two", 2.0), ("Twenty", 20.0), ("ic", None), ("mix", None), ("", None), ("x1", None),
]  # fmt: skip


@pytest.mark.parametrize(("token", "value"), NUMBERS)
def test_parse_number(token, value):
    assert parse_number(token) == value


@pytest.mark.parametrize(
    ("text", "number", "end"),
    [("Vol. 1-3", 1, 3), ("Books 4 to 6", 4, 6), ("#2.5", 2.5, None), ("v.12", 12, None),
     ("#7", 7, None)],
)  # fmt: skip
def test_volume_numbers_and_ranges(text, number, end):
    volume, _rest = extract_volume(text)
    assert volume is not None and (volume.number, volume.end) == (number, end)


@pytest.mark.parametrize(
    ("a", "b", "at_least", "below"),
    [
        ("The Hobbit", "Hobbit, The", 1.0, None),
        ("Ender's Game", "Enders Game", 1.0, None),
        ("Sapiens", "Sapiens: A Brief History of Humankind", 0.95, None),
        ("Mistborn: The Final Empire", "The Final Empire", 0.9, None),
        ("Berserk 2", "Berserk, Vol. 2", 1.0, None),
        ("Sword Art Online 1: Aincrad", "Sword Art Online, Vol. 1 (light novel)", 0.95, None),
        ("ノルウェイの森", "ノルウェイ の 森", 1.0, None),
        ("Dune", "Dune Messiah", None, 0.6),
        (
            "Harry Potter and the Chamber of Secrets",
            "Harry Potter and the Goblet of Fire",
            None,
            0.8,
        ),
        ("Sapiens: A Brief History", "Sapiens: A Graphic History", None, 0.95),
        ("The Name of the Wind", "The Wise Man's Fear", None, 0.5),
        # Spelling conventions only: number words and digits, "&" and "and", articles.
        ("Nineteen Eighty-Four", "1984", 1.0, None),
        ("Twenty Thousand Leagues Under the Sea", "20000 Leagues Under the Sea", 1.0, None),
        ("One Hundred Years of Solitude", "100 Years of Solitude", 1.0, None),
        ("Pride & Prejudice", "Pride and Prejudice", 1.0, None),
        ("A Game of Thrones", "Game of Thrones", 1.0, None),
        ("The Three-Body Problem", "3 Body Problem", 1.0, None),
        ("Ocean's Eleven", "Ocean's Twelve", None, 0.9),
    ],
)
def test_title_similarity(a, b, at_least, below):
    score = title_similarity(parse_title(a), parse_title(b))
    assert score == title_similarity(parse_title(b), parse_title(a))
    if at_least is not None:
        assert score >= at_least
    if below is not None:
        assert score < below


@pytest.mark.parametrize(
    ("name", "given", "family"),
    [
        ("Tolkien, J.R.R.", ("j", "r", "r"), "tolkien"),
        ("J. R. R. Tolkien", ("j", "r", "r"), "tolkien"),
        ("JRR Tolkien", ("j", "r", "r"), "tolkien"),
        ("Le Guin, Ursula K.", ("ursula", "k"), "le guin"),
        ("Daphne du Maurier", ("daphne",), "du maurier"),
        ("Martin Luther King, Jr.", ("martin", "luther"), "king"),
        ("Gabriel García Márquez", ("gabriel", "garcia"), "marquez"),
        ("村上春樹", (), "村上春樹"),
        ("Лев Толстой", ("лев",), "толстой"),
    ],
)
def test_parse_person(name, given, family):
    person = parse_person(name)
    assert person is not None
    assert (person.given, person.family) == (given, family)


def test_parse_person_rejects_empty_names():
    assert parse_person("") is None
    assert parse_person(" , ") is None


SAME_PERSON = [
    ("Tolkien, J.R.R.", "J. R. R. Tolkien"),
    ("JRR Tolkien", "John Ronald Reuel Tolkien"),
    ("George R. R. Martin", "George Martin"),
    ("Ursula K. Le Guin", "Le Guin, Ursula"),
    ("Murakami Haruki", "Haruki Murakami"),
    ("Fyodor Dostoevsky", "Dostoyevsky, Fyodor"),
    ("村上 春樹", "村上春樹"),
    ("du Maurier, Daphne", "Daphne Du Maurier"),
]
DIFFERENT_PEOPLE = [
    ("Frank Herbert", "Brian Herbert"),
    ("Stephen King", "Stephen Kingsley"),
    ("Patrick Rothfuss", "Patrick O'Brian"),
    ("Haruki Murakami", "Ryu Murakami"),
    ("Anne Rice", "Anne Perry"),
]


@pytest.mark.parametrize(("a", "b"), SAME_PERSON)
def test_same_person(a, b):
    pa, pb = parse_person(a), parse_person(b)
    assert pa is not None and pb is not None
    assert person_similarity(pa, pb) >= 0.85
    assert person_similarity(pa, pb) == person_similarity(pb, pa)


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PEOPLE)
def test_different_people(a, b):
    pa, pb = parse_person(a), parse_person(b)
    assert pa is not None and pb is not None
    assert person_similarity(pa, pb) < 0.85


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Neil Gaiman & Terry Pratchett", ["Neil Gaiman", "Terry Pratchett"]),
        ("Neil Gaiman and Terry Pratchett", ["Neil Gaiman", "Terry Pratchett"]),
        ("Neil Gaiman, Terry Pratchett", ["Neil Gaiman", "Terry Pratchett"]),
        ("King, Stephen; Straub, Peter", ["King, Stephen", "Straub, Peter"]),
        ("Tolkien, J.R.R.", ["Tolkien, J.R.R."]),
        ("Martin Luther King, Jr.", ["Martin Luther King, Jr."]),
        ("", []),
    ],
)
def test_split_authors(text, names):
    assert split_authors(text) == names


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("en", "en"),
        ("en-US", "en"),
        ("eng", "en"),
        ("EN_us", "en"),
        ("pt_BR", "pt"),
        ("ger", "de"),
        ("deu", "de"),
        ("English", "en"),
        ("jpn", "ja"),
        ("mal", "ml"),
        ("und", None),
        ("", None),
        (None, None),
        ("not a language!!", None),
    ],
)
def test_normalize_language(value, code):
    assert normalize_language(value) == code


@pytest.mark.parametrize(
    ("folded", "expected"),
    [
        ("nineteen eighty four", "1984"),
        ("twenty twenty", "2020"),
        ("one hundred years of solitude", "100 years of solitude"),
        ("twenty thousand leagues", "20000 leagues"),
        ("seven hundred thirty one", "731"),
        ("the three musketeers", "the 3 musketeers"),
        ("catch 22", "catch 22"),
        ("one two three", "one two three"),  # a list of words, not a number
        ("hundred acre wood", "hundred acre wood"),  # a scale word alone is a word
        ("", ""),
    ],
)
def test_spell_numbers_as_digits(folded, expected):
    assert spell_numbers_as_digits(folded) == expected
