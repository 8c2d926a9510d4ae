"""KOReader highlights in the window: a book's highlights in its panel (`book_box`) and a page
that searches every highlight (`page`). Passive views over `services.highlights`; no SQL."""
