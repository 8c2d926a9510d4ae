"""`bookorbit-desktop hardcover ...`: the account, matching and sync commands.

Each module registers its sub-commands on the `hardcover` parser. Like the rest of `cli`, it
calls `services` and the core packages and never imports `ui`.
"""
