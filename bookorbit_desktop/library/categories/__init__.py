"""The library's categories for the window's browser: authors, series, publishers, languages,
formats, ratings and tags, each value with how many books it has (`counts`, SQL aggregates),
the tags as a tree of their dotted names (`tree`, pure; the paths a name stands under,
`paths`, the same rule in SQL), the search of the filter box's language that finds a value's
books (`terms`, pure), and the renames and merges of authors, series and publishers
(`renames`), each one undoable step of the change journal; then the custom columns of shared
values (`custom`), their values renamed and merged the same way (`custom_renames`).
Imports only `library`.
"""
