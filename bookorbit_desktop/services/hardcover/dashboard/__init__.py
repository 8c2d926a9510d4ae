"""The Hardcover page's rows, read a window at a time: `order` walks the shown books in the
page's order and groups them (series, copies of one Hardcover book), `rows` reads the books on
screen with their match and state and the counts per state, and `unchanged` keeps counts over
the whole library until something is written. Modules here may import `library` (its store
and search), the library table's rows and shapes (`services.library.rows`, `.records`) and the
stored matches in words (`services.hardcover.matches`), never Qt, the `hardcover` package or
`ui`.
"""
