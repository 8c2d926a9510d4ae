"""Custom columns: the user's own fields of calibre's kinds (`kinds`), kept with their values
(`store`), added, renamed and deleted as steps of the change journal (`columns`), and a book's
values set as one (`values`). A book's values are journaled with its other fields
(`journal.book_values`), so an edit, a merge and an undo carry them.
"""
