"""The schema version of the libraries this release writes: one more with each migration.

`migrations.MIGRATIONS` holds them, and refuses to load when their number is not this. Kept
apart from them so that a command opening a library already at this version (nearly every
command, nearly every time) loads no migration: they and what they import were a tenth of
the start of a short command.
"""

SCHEMA_VERSION = 52
