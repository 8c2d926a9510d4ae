"""The books on this computer: storage, metadata, import and reading state.

`store` is the SQLite database (models, migrations, queries, settings), `metadata` reads each
ebook format, `importer` turns files into books, `reading` holds the reading-state rules and
records device pushes; `own_shelves` makes each saved search, tag and series a shelf the
catalog offers for syncing. Imports no Qt and no aiohttp, and neither `server` nor `hardcover`.
"""
