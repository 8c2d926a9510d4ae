"""The PySide6 desktop app: a thin shell over `services`.

The shell (main window, tray, controller, single instance, qasync glue) lives here; each screen
has its folder (`library`, `hardcover`, `settings`). No SQL and no HTTP: `ui` imports neither
peewee nor aiohttp and never touches the core except through `services`.
"""
