"""The OPDS 2.0 rendering of the catalog: the same `model.Feed` pages the Atom feeds show,
written as `application/opds+json` (the Readium Web Publication Manifest's links and metadata,
as the OPDS 2.0 JSON Schemas define them). `writer` writes a feed, `publication` one book.
Modules here import the catalog's plain data and rules (`model`, `formats`, `text`, the
dataclasses of `queries`) and the standard library; never aiohttp, peewee or lxml themselves.
"""
