"""The Hardcover screen: connecting the account, reviewing matches, and the Pick dialog.

`page` is the tab, `controller` runs its actions one at a time off the UI thread, and
`pick_dialog` compares candidates with the book.
"""
