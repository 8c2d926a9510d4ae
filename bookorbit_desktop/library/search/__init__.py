"""Search over the library: the folding that makes text comparable, and the query that finds
books by title, series and authors in the `book_search` index the database keeps up to date."""
