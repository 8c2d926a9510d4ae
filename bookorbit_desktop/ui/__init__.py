"""The PySide6 desktop app: a thin shell over `services`.

The shell (main window, tray, controller, single instance, qasync glue) lives here; each screen
has its folder (`library`, `hardcover`, `settings`). What the screens share sits beside the
shell: widget recipes (`widgets`), menu actions (`actions`), questions whose default is Cancel
(`questions`), the flat table models' columns (`table_model`), the conflict choice
(`keep_choice`) and what a page mounted in the window is given instead of the controller
(`page_host`). No SQL and no HTTP: `ui` imports neither peewee nor aiohttp and never touches
the core except through `services`.
"""
