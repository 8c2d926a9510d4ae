"""Who owns a library: the window takes the same lock as `serve` and `restore` through here
(the rule and the lock file live in `library.store.owner`)."""

from __future__ import annotations

from bookorbit_desktop.library.store.owner import LibraryInUseError, LibraryLock, Owner

__all__ = ["LibraryInUseError", "LibraryLock", "Owner"]
