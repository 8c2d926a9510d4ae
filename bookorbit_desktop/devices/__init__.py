"""calibre's wireless ("smart device") protocol, played from the desktop's side.

KOReader's Calibre > Connect finds the desktop with a UDP broadcast (`discovery`), and the
desktop then drives one TCP session per device (`session`, framed by `protocol`): it checks
the password, reads the device's book list, sends queued books with their library bytes under
a safe path (`lpath`) and slim metadata (`metadata`), deletes books and keeps the line alive.
Every value a device sends passes `checks` (names, paths, numbers) before a session keeps it.
`server` accepts connections (one device at a time; others hear "busy"); `password` keeps the
password in the OS keyring. This package imports the library store, never `hardcover`, `ui` or
`cli`.
"""
