"""What the Hardcover page, the sync window and the tray ask of the core (`ui.hardcover`,
`ui.sync`), answered with plain data: the account and its token (`account`, `token_health`),
matches and the page (`service`, the page's rows in `dashboard/`), a sync pass and the
background push (`sync`, `sync_gate`, `sync_worker`), what came back from Hardcover and the
pull between passes (`pulled`, `pull_schedule`), every open conflict at once (`conflicts`), and
highlights sent as reading-journal quotes (`journal`).

Modules here may import the base, `library`, `hardcover` and `services.library`; never Qt,
`ui` or `cli`.
"""
