"""A user's edits of a book's metadata (title, subtitle, authors, series, language, publisher,
release date, pages, identifiers with the ISBN, description, cover) and the "edited by the user"
marks that imports respect.

`values` checks what the user typed (plain functions); `apply` writes the checked changes to
one book or many, in one transaction, and marks the fields. The window, the command line and
metadata sources all edit through `apply.edit_books`, which never rewrites the book's file;
`file_write` writes the library's metadata into an EPUB, with a backup, only when the user asks.
"""
