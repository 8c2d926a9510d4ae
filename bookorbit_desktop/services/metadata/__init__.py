"""What the Fetch Metadata and Pick dialogs ask of the core (`ui.metadata`), answered with plain
data: a fetch that asks every source about every book at its own pace (`fetch_run`), the
library's side of it (`books`: lookups, stored answers, the comparison), applying a
candidate's values through the one edit path (`apply`), candidates' covers for the previews
(`remote_covers`), and the facade over them (`service`).

Modules here may import the base, `library`, `metadata_sources`, `hardcover` (its client, for
Hardcover as a source), `services.hardcover.account` (the saved token) and the flat
`services.settings`; never Qt, `ui` or `cli`.
"""
