"""Linking local books to Hardcover books and editions, carefully.

Pure scoring rules (`normalize`, `volumes`, `penalties`, `scoring`, `editions`, `catalog`)
decide, and `revisit` says when a book is looked at again; `local` reads a library book as
matching sees it; `matcher` fetches candidates through the API (`fetched` keeps the books a run
fetched); `store` and `actions` keep each book's link and the user's corrections (Pick,
Re-match, Exclude). The pure modules import no Qt, aiohttp or peewee.
"""
