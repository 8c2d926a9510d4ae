"""Pushing reading state to the user's Hardcover profile.

A pure reconciler decides what to send, and `waiting` what a pass would do (Sync Now is offered
only then); the outbox, worker and log around them are the I/O.
May import `library`, `hardcover.api` and `hardcover.matching`; never `server` or `ui`.
"""
