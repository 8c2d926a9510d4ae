"""Pushing reading state to the user's Hardcover profile.

A pure reconciler decides what to send, and `waiting` what a pass would do (Sync Now is offered
only then); the outbox, worker and log around them are the I/O.
May import `library`, `hardcover.api` and `hardcover.matching`; never `server` or `ui`.
`candidate`, the plain value the push sends for one Hardcover book, stands below `store`, which
makes the candidates, and below the pull's hold on a field in conflict (`hardcover.pull.held`),
which `store` passes them through: the hold takes the value and never the store.
"""
