"""The KOReader progress-sync protocol (kosync), byte-exact.

`protocol` is the wire format without HTTP (validation, reference error codes); `routes` are
the aiohttp handlers that store pushes through `library.reading`.
"""
