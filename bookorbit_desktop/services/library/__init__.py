"""What the Library screen asks of the core (`ui.library`), answered with plain data: the
table's rows, order and counts (`rows`, `table_window`), one book's details and imports
(`service`), edits one book or many at a time (`edits`, `bulk_edits`, `authors`, `tags`), Find
Duplicates and Merge, opening a book's files, tidy file names and writing metadata into a file,
covers for lists, the Inbox, saved searches, watched folders, devices' positions, a book's
position history and Restore, and KOReader documents linked to no book.

Modules here may import the base, `library`, `metadata_sources` (the title rule a merge uses),
`hardcover` (the pages rule and a name's parsing, never the client) and
`services.shelves` (Want to Read); never Qt, `ui` or `cli`.
"""
