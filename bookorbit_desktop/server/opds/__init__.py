"""The catalog KOReader browses and downloads books from: OPDS 1.2 (Atom) and OPDS 2.0 (JSON).

`routes` mounts it; `catalog` makes each page as plain data (`model`) from the library
(`queries`, `search`, `paging`), `feeds` writes it as Atom and the `opds2` package as JSON;
`negotiation` picks one of the two for a request's `Accept` header; `downloads` and
`thumbnails` serve files, `auth` checks the shared account, and `formats`, `koreader_names` and
`text` hold the small rules they share.
"""
