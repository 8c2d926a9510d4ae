"""The window's side of metadata from Hardcover, Open Library and Google Books: the "Fetch
Metadata…" action, the one-book dialog that shows every source's values beside the book's own
and applies the ones the user ticks, and the dialog that fetches many books in the background
and reviews them one by one. Modules here may import Qt, `ui` helpers, `services` (above all
`services.metadata`, which does every fetch and every apply) and the pure records and rule of
`metadata_sources` (`records`, `compare`); never the database or the network directly.
"""
