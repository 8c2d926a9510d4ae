"""The manual sync as the window shows it: the delayed progress dialog with its report, and
the review of a big sync before it reaches the profile.

Widgets and the run's orchestration only; what a pass does lives in `services.hardcover.sync` and
`hardcover.sync`, and the wording rules in the Qt-free `progress_text`.
"""
