"""Reading state: the pure rules, the recording of what devices push, and edits by hand.

`rules` (how a pushed position changes a book's status) and `values` (validating what a user
types) are pure; `event_run` runs pushed events through the rules. `pushes` records KOReader
pushes and links documents to books (`batched_pushes` records a batch at once, the same way),
`document_match` finds a book from KOReader's metadata, and `edits` saves a user's edit. The
SQL of the hot paths is in `rows` (pushes, pulls) and `waiting` (documents waiting for their
book); the rest goes through the models of `store`, which knows nothing of reading.
"""
