"""The OPDS 2.0 rendering of the catalog: the same `model.Feed` pages the Atom feeds show,
written as `application/opds+json` (the Readium Web Publication Manifest's links and metadata,
as the OPDS 2.0 JSON Schemas define them). `writer` writes a feed, `publication` one book.
Modules here import only the catalog's plain modules (`model`, `formats`, `text`, `queries`'
dataclasses) and the standard library: never aiohttp, peewee or lxml.
"""
