"""Search over the library: the folding that makes text comparable, the query that finds books
by title, series and authors in the `book_search` index the database keeps up to date, and the
listed books it finds a page at a time in title order; the search language (`grammar`, parsed
to a tree, and `compiler`, the tree as one SQL condition) with its dates and patterns."""
