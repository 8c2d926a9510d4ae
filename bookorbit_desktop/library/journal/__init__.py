"""The change journal: every write the user asks of the library (an edit, a metadata apply or
bulk fill, a reading-state change, a removal) is one undoable step.

`rules` decides, in plain functions, what an undo or a redo writes back and which fields it
leaves because something else changed them since; `book_values` reads and writes a book's
journaled values; `steps` keeps the steps (the last `steps.KEEP`); `record` wraps an action
so that it becomes a step; `kinds` maps a step's kind to its undo, redo and description, so
that other journals (the file tidying) can join; `run` undoes and redoes the latest step;
`removed` keeps a removed book whole so that undo can bring it back, and `restore` brings one
back out of turn when its file is imported again.
"""
