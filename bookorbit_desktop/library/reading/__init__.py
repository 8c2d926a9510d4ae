"""Reading state: the pure rules, the recording of what devices push, and edits by hand.

`rules` (how a pushed position changes a book's status), `values` (validating what a user
types), `resolution` (which book a document is) and `jump_back` (which push is a jump back the
book's progress ignores) are pure; `event_run` runs pushed events through the rules,
`jump_marks` reads and marks what the guard needs. `position_history` lists a book's positions
and `position_restore` makes an earlier one current again, as a step of the change journal.
`pushes` records KOReader pushes and links documents to books (`batched_pushes` records a
batch at once, the same way), `document_match` finds a book from
KOReader's metadata, and `edits` saves a user's edit. The SQL of the hot paths is in `rows`
(pushes, pulls) and `waiting` (documents waiting for their book); the rest goes through the
models of `store`, which knows nothing of reading.

The reading history (`library.history`) stands between the two halves: it names its books and
reads by `rules` and `resolution`, and the recording takes a finish's date from it
(`finish_evidence`, `edits`). So `rules`, `values` and `resolution` never import the history.
"""
