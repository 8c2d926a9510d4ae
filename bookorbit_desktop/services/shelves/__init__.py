"""What the Shelves screen asks of the core (`ui.shelves`), answered with plain data: the user's
Hardcover shelves with each entry's library copy, linked, likely (`links`: which book and why)
or missing, and Link and Want to Read (`service`).

Modules here may import the base, `library`, `hardcover` (matching's rules and store, the
pull's store and conflicts) and `services.library`; never Qt, `ui` or `cli`.
"""
