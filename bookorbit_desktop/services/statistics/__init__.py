"""What the Statistics screen asks of the core (`ui.statistics`), answered with plain data:
the reading totals, books and sessions, and importing KOReader's statistics file (`service`).

Modules here may import the base and `library` (its `history` rules and queries); never Qt,
`ui` or `cli`.
"""
