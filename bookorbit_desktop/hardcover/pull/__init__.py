"""The pull from Hardcover: what the user changed on hardcover.app comes back to the library.

`fetch` reads the user's entries and lists in pages (aiohttp through the client), `checked`
takes each value of them only once it passes the library's own checks, `rule` is the
pure three-way decision per field (follow Hardcover, keep the library's edit, or a conflict),
`store` keeps what was read and decided (SQLite), `conflicts` lets the user pick a side, and
`run` ties one pass together. Modules here may import `hardcover.api`, `hardcover.sync`,
`library` and `log_text`; `rule` imports nothing outside the standard library and
`hardcover.sync.model`.
"""
