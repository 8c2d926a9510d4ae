"""The OPDS 1.2 catalog KOReader browses and downloads books from.

`routes` mounts it; `feeds` writes the Atom documents, `queries` and `search` read the
library, `downloads` and `thumbnails` serve files, `auth` checks the shared account, and
`formats`, `koreader_names` and `text` hold the small rules they share.
"""
