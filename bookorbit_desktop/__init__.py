"""BookOrbit Desktop: ebook library, KOReader sync server and Hardcover tracking.

`library` holds the books, `server` is what KOReader talks to on the LAN, `hardcover` is the
user's Hardcover account, `services` is the facade the window and the command line call, and
`ui` and `cli` are those two front doors. `app` wires the desktop app together;
`app_library` opens its library and checks the file once the window shows it.
"""

__version__ = "0.1.0"
APP_NAME = "bookorbit-desktop"
APP_DISPLAY_NAME = "BookOrbit Desktop"
