"""The library screen: the book table, the book panel, imports and unlinked documents.

`model` and `view` are the table (`lazy_model` shows any size of library, reading what
`table_reads` reads in worker threads), `book_panel` with `reading_edits` edits one book,
`import_runner` imports off the UI thread, `unlinked_view` and `book_chooser` link KOReader
documents to books.
"""
