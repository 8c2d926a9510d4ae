"""Metadata sources: Hardcover, Open Library and Google Books behind one interface.

Each source is one small module (`hardcover`, `openlibrary`, `googlebooks`) with its own pacing
and a 10 s timeout on every request, answering a `records.Lookup` (a book's ISBN, title and
authors, its Hardcover link) with plain `records.Candidate` values or a `SourceError` naming
what went wrong. `gather.ask` turns any outcome of one source into a status (the service asks
each source on its own, so one failing or slow never blocks the others);
`compare` holds the pure per-field comparison and the "best value" rule, `editions` the rule
that tells a record of another edition (`placeholders`: which values count as none); `keys`
keeps the optional Google Books API key in the OS keyring; `outside` is the one door every
GET to the sources and to cover addresses goes through (public addresses only, every
redirect checked); `chunk` is how a few books share one request (Open Library's Books API,
Hardcover's editions batch).
May import `library` (values only) and `hardcover.api`; never `ui`, `server`, `services` or
`cli`. Nothing here writes to a book.
"""
