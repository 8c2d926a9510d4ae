"""The library screen: the book table, the book panel, imports and unlinked documents.

`model` and `view` are the table, `book_panel` with `reading_edits` edits one book,
`import_runner` imports off the UI thread, `unlinked_view` and `book_chooser` link KOReader
documents to books.
"""
