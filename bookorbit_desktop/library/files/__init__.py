"""Tidy file names: moving each book's file into the library folder under a name made from
its metadata (`Author/Series 01 - Title.epub`), and undoing the last such batch.

`plan` is pure (a pattern and the books' facts -> target paths; no file system, no database);
`journal` records each batch and move in the library database (`store.tidy_schema`) and points
the library's records at the new paths; `mover` moves the files and drives the journal. May
import `library.store` and `library.metadata`, never Qt, aiohttp, `server` or `hardcover`.
"""
