"""What a page or action mounted in the main window is given by the window's controller.

The Inbox and Shelves tabs and the Tidy File Names and Find Duplicates actions are put in the
window by small `add_…` functions. They take this protocol, not the controller: the controller
imports them, and none of them imports it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bookorbit_desktop.services.library.service import LibraryService
    from bookorbit_desktop.ui.folder_watcher import FolderWatcher
    from bookorbit_desktop.ui.library.background_reload import BackgroundReload
    from bookorbit_desktop.ui.library.import_runner import ImportRunner
    from bookorbit_desktop.ui.main_window import MainWindow
    from bookorbit_desktop.ui.status import StatusHub


class PageHost(Protocol):
    """The window and the parts of the app a mounted page follows or tells."""

    window: MainWindow
    hub: StatusHub
    library: LibraryService
    background: BackgroundReload
    importer: ImportRunner
    watcher: FolderWatcher | None

    def follow_changes(self) -> None:
        """Another connection wrote to the library: reload it without freezing the window."""
