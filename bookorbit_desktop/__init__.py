"""BookOrbit Desktop: ebook library, KOReader sync server and Hardcover tracking."""

__version__ = "0.1.0"
APP_NAME = "bookorbit-desktop"
APP_DISPLAY_NAME = "BookOrbit Desktop"
