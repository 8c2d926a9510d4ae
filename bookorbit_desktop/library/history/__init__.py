"""Reading history from KOReader's `statistics.sqlite3`: what the reader read, when, how long.

`source` reads a copy of a statistics file (KOReader's schema, any journal mode); `rules` holds
the pure definitions every number uses (page rescaling, sessions split on 300 s gaps, per-day
totals in local dates, streaks, pace, read dates); `importer` merges a file into the library
idempotently (a book is (title, authors, md5), a row is (book, page, start_time), the same row
twice keeps its largest duration, nothing is ever removed) and stores each book's sessions and
days; `queries` answers the CLI and the window with plain values, joining history to library
books through the KOReader document ids the library already knows. Imports no Qt, aiohttp or
hardcover.

It stands above the pure reading rules (`reading.rules`: what "read" is and the finish
threshold; `reading.resolution`: which book a document is) and below the recording of reading
state, which dates a finish by the history's reads (`reading.finish_evidence`, `reading.edits`).
Only `importer` calls that recording, to settle those dates once new statistics arrive.
"""
