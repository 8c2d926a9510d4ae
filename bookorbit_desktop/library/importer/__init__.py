"""Files and folders into books: find the ebooks, read them, write one book per file.

`scan` finds the files, `run` drives an import (idempotent, cancellable between files),
`prepare` and `pool` read files in worker processes, `batch` commits many files at once and
`writer` stores each result in its own savepoint. Uses `metadata` and `store`.
"""
