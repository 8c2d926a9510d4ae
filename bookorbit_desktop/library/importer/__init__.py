"""Files and folders into books: find the ebooks, read them, write one book per file.

`scan` finds the files, `run` drives an import (idempotent, cancellable between files) and
`writer` stores each result in its own transaction. Uses `metadata` and `store`.
"""
