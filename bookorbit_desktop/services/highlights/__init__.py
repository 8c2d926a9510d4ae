"""What the Highlights screen asks of the core (`ui.highlights`), answered with plain data: a
book's highlights, search, export and import, the receiver's settings and what waits for the
user (`service`), and the searches the window runs in a worker thread (`off_loop`).

Modules here may import the base, `library` and `services.hardcover.journal` (the quotes sent
to Hardcover); never Qt, `ui` or `cli`.
"""
