"""The Shelves tab: the user's Hardcover shelves (Want to Read, Currently Reading, each list)
with every book marked in the library, likely in it (with why, and Link) or missing (Open on
Hardcover), and Add to Want to Read on library books. Imports Qt, `services` (never
`hardcover` or the database) and the window's shared widgets.
"""
