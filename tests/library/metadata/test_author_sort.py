"""The author sort rule, name by name (`library.metadata.author_sort`)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.metadata.author_sort import author_sort


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Last word first.
        ("Albert Camus", "Camus, Albert"),
        ("Alexandre Dumas", "Dumas, Alexandre"),
        ("Andy Weir", "Weir, Andy"),
        ("Frank Herbert", "Herbert, Frank"),
        ("J. R. R. Tolkien", "Tolkien, J. R. R."),
        ("J.K. Rowling", "Rowling, J.K."),
        ("Mary Wollstonecraft Shelley", "Shelley, Mary Wollstonecraft"),
        ("Fyodor Dostoevsky", "Dostoevsky, Fyodor"),
        ("Лев Толстой", "Толстой, Лев"),
        ("Émile Zola", "Zola, Émile"),
        ("Jean-Paul Sartre", "Sartre, Jean-Paul"),
        ("Chimamanda Ngozi Adichie", "Adichie, Chimamanda Ngozi"),
        ("Haruki Murakami", "Murakami, Haruki"),  # written in Latin letters: given name first
        ("Gabriel García Márquez", "Márquez, Gabriel García"),  # as calibre: file it by hand
        # A particle stays with the surname.
        ("Ursula K. Le Guin", "Le Guin, Ursula K."),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Antoine de Saint-Exupéry", "de Saint-Exupéry, Antoine"),
        ("Leonardo da Vinci", "da Vinci, Leonardo"),
        ("Johann Wolfgang von Goethe", "von Goethe, Johann Wolfgang"),
        ("Daphne du Maurier", "du Maurier, Daphne"),
        ("Walter de la Mare", "de la Mare, Walter"),
        ("Giuseppe Tomasi di Lampedusa", "di Lampedusa, Giuseppe Tomasi"),
        ("John le Carré", "le Carré, John"),
        ("Le Corbusier", "Le Corbusier"),  # a particle and one word: a surname alone
        ("de la Mare", "de la Mare"),  # nothing but the surname: never an empty given name
        # A suffix stays at the end, with or without its full stop.
        ("Martin Luther King Jr.", "King, Martin Luther Jr."),
        ("Martin Luther King Jr", "King, Martin Luther Jr"),
        ("Sammy Davis Jr.", "Davis, Sammy Jr."),
        ("Kurt Vonnegut Jr.", "Vonnegut, Kurt Jr."),
        ("John Smith III", "Smith, John III"),
        ("Jane Doe PhD", "Doe, Jane PhD"),
        ("Jane Doe Ph.D.", "Doe, Jane Ph.D."),
        ("Robert Downey Sr.", "Downey, Robert Sr."),
        ("Alfred Kinsey Jr. M.D.", "Kinsey, Alfred Jr. M.D."),
        # A title before the name is dropped.
        ("Dr. Seuss", "Seuss"),
        ("Dr Oliver Sacks", "Sacks, Oliver"),
        ("Prof. Brian Cox", "Cox, Brian"),
        ("Mrs. Dalloway", "Dalloway"),
        ("Dr. Jr.", "Dr. Jr."),  # nothing but a title and a suffix: as it is
        # One word: as it is.
        ("Homer", "Homer"),
        ("Plato", "Plato"),
        ("Voltaire", "Voltaire"),
        ("Colette", "Colette"),
        # Already filed.
        ("Camus, Albert", "Camus, Albert"),
        ("Tolkien, J. R. R.", "Tolkien, J. R. R."),
        # Family name first: Chinese, Japanese and Korean scripts.
        ("村上春樹", "村上春樹"),
        ("村上 春樹", "村上 春樹"),
        ("莫言", "莫言"),
        ("한 강", "한 강"),
        ("東野 圭吾", "東野 圭吾"),
        # An organisation: as it is.
        ("Acme Publishing Company", "Acme Publishing Company"),
        ("Royal Society", "Royal Society"),
        ("The Linux Foundation", "The Linux Foundation"),
        ("Free Software Foundation", "Free Software Foundation"),
        ("Mozilla Corporation", "Mozilla Corporation"),
        # Brackets are not part of the order; whitespace is collapsed.
        ("Jay Rubin (Translator)", "Rubin, Jay"),
        ("  Andy   Weir ", "Weir, Andy"),
        ("", ""),
    ],
)
def test_author_sort(name, expected):
    assert author_sort(name) == expected
