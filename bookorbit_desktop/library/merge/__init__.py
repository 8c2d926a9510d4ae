"""Merging two copies of one book (an EPUB and a PDF imported apart, or two editions).

`candidates` finds the groups of likely copies (same ISBN, or same title and author once
folded); `fields` and `reading` are the pure rules that decide the merged book's values and
reading state; `tables` says how every table that names a book follows a merge; `store` is the
transaction that re-points the rows; `journal` makes a merge one undoable step.
"""
