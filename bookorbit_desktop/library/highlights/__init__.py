"""Highlights and notes made in KOReader, and what its exports propose about a book.

`rules` (identity and merge of highlights, status/rating proposals) and `lua_table` (reading a
Lua table as data) are pure; `sidecar` turns a KOReader `metadata.*.lua` into highlights;
`store` records them (never deleting what an export no longer carries), `proposals` keeps the
status and rating changes that wait for the user, `export` writes Markdown and JSON rows.
Imports neither `server` nor `hardcover`, no Qt and no aiohttp.
"""
