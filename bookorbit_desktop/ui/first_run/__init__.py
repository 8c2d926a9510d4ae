"""The guided set-up shown instead of an empty library: books folder, KOReader, Hardcover.

Imports only `services` and the rest of `ui`, like every screen.
"""
