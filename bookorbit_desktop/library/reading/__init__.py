"""Reading state: the pure rules and the recording of what devices push.

`rules` (how a pushed position changes a book's status) and `values` (validating what a user
types) are pure; `pushes` records KOReader pushes and links documents to books, with `rows`
as its SQL and `document_match` finding a book from KOReader's metadata.
"""
