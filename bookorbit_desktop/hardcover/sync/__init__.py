"""Pushing reading state to the user's Hardcover profile.

A pure reconciler decides what to send; the outbox, worker and log around it are the I/O.
May import `library`, `hardcover.api` and `hardcover.matching`; never `server` or `ui`.
"""
