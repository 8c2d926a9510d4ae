"""Highlights to Hardcover's reading journal, when the user asks (per book or for all books).

`plan` (pure) decides what to insert, update or leave alone; `store` keeps the local
highlight -> journal id map; `send` talks to Hardcover through the shared client. Nothing is
ever deleted on Hardcover (no bulk delete, no delete at all); the first batch waits for the
user's review; an insert whose answer was lost is confirmed by reading the journal back
(`read:journal`) before anything is sent again. One sender per library: whoever holds the
sync lease (`hardcover.sync.lease`). A refused entry, or one that cannot be checked, waits
longer after each failure (`plan.retry_delay`) and keeps Hardcover's reason to be shown.
"""
