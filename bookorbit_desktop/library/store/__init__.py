"""The library database: peewee models, opening and migrating it, queries and settings.

One SQLite file in WAL mode; `migrations` holds frozen SQL per schema version and a test
keeps `models` in step with it. `backup` copies the database and covers to one zip file while
the app runs, and restores one. `links` reads each book's Hardcover link for listings and
scripts without loading any Hardcover code.
"""
