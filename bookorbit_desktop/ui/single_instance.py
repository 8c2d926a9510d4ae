"""One running app per library: a second launch brings the first window forward and exits.

Two instances would fight over the server port and write the same SQLite file. The library's
lock (`services.ownership`, shared with `serve` and `restore`) decides who runs (the OS
releases it if the process dies); a local socket lets the second launch ask the first one to
show its window.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from bookorbit_desktop.services.ownership import LibraryInUseError, LibraryLock

log = logging.getLogger(__name__)

SHOW_MESSAGE = b"show\n"
_TIMEOUT_MS = 1500


def server_name(data_dir: Path) -> str:
    """A socket name unique to this user and library folder."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"bookorbit-desktop-{getpass.getuser()}-{digest}"


class SingleInstance(QObject):
    """`acquire()` once at start; `activated` fires when another launch wants the window."""

    activated = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self._lock = LibraryLock(data_dir, "window")
        self._server: QLocalServer | None = None
        # Why `acquire` said no: the process that owns the library (a window, `serve`, ...).
        self.refused: LibraryInUseError | None = None

    @property
    def lock(self) -> LibraryLock:
        """The library's lock this instance takes (a restore runs under it)."""
        return self._lock

    def acquire(self) -> bool:
        """True if this process is the one that runs; False if another process owns the
        library (`refused` says which)."""
        try:
            self._lock.acquire()
        except LibraryInUseError as error:
            self.refused = error
            return False
        # A socket file left by a crashed instance would make listen() fail.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            log.warning("Could not listen for other launches: %s", server.errorString())
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def activate_running(self) -> bool:
        """Ask the running instance to show its window; True if it acknowledged."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(_TIMEOUT_MS):
            return False
        socket.write(SHOW_MESSAGE)
        sent = socket.waitForBytesWritten(_TIMEOUT_MS)
        acknowledged = sent and socket.waitForReadyRead(_TIMEOUT_MS)
        socket.disconnectFromServer()
        return bool(acknowledged)

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(socket.deleteLater)

    def _read(self) -> None:
        socket = self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        if bytes(socket.readAll().data()).strip() == SHOW_MESSAGE.strip():
            socket.write(b"ok\n")
            socket.flush()
            log.info("Another launch asked for the window")
            self.activated.emit()
        socket.disconnectFromServer()

    def release(self) -> None:
        """Stop answering other launches and give up the lock (at exit)."""
        if self._server is not None:
            self._server.close()
            for socket in self._server.findChildren(QLocalSocket):
                socket.abort()
                socket.deleteLater()
        self._lock.release()
