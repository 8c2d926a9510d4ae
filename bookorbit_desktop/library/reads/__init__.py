"""A book's reads: every time through it, re-reads included, with where each came from.

`counting` holds the pure rules of which reads count between two dates, each read once (goals
and the year in review count with it); `gather` reads every read the library knows (its own
`book_read` rows and the user's reads pulled from hardcover.app) in two queries. Imports no
Qt, aiohttp or hardcover.
"""
