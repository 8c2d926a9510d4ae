"""The Settings dialog: the server address and port, OPDS, the KOReader account, reading rules.

Reads and saves through `services.settings`.
"""
