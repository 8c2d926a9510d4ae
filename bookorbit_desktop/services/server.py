"""The LAN server as the window runs it: start with the saved settings, restart, stop.

The server itself (`server.app.LanServer`) runs on the GUI's qasync loop. A failure to bind
(port taken, address gone) is not an exception here but a `ServerInfo` with the problem in
the user's words, because the app must keep running and let the user fix it in Settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.library.store.settings import get_setting
from bookorbit_desktop.server import ServerContext
from bookorbit_desktop.server.lan import addresses_for_host, lan_addresses, preferred, server_url
from bookorbit_desktop.services.settings import load_settings

if TYPE_CHECKING:
    from bookorbit_desktop.server.app import LanServer
    from bookorbit_desktop.server.highlights.receiver import HighlightsReceiver

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerInfo:
    running: bool
    host: str
    port: int
    opds_enabled: bool
    base_urls: tuple[str, ...] = ()  # "http://192.168.1.20:8765", best first
    problem_title: str | None = None
    problem: str | None = None
    # Running, but on loopback only until a sync account exists: why, and how to open it.
    notice: str | None = None
    # HTTPS next to HTTP (setting "server.https_port"): its port, addresses and the SHA-256
    # fingerprint of the self-signed certificate ("AB:CD:..."), for Settings to show.
    https_port: int | None = None
    https_urls: tuple[str, ...] = ()
    certificate_fingerprint: str | None = None
    # KOReader's highlight exports (setting "highlights.receiver"): the port they arrive on,
    # or why the receiver could not start (the server itself still runs).
    highlights_port: int | None = None
    highlights_problem: str | None = None


def choosable_addresses() -> list[str]:
    """This computer's LAN addresses, best first, for the "Listen on" choice in Settings."""
    return [address.address for address in preferred(lan_addresses())]


class DesktopServer:
    """Owns the running `LanServer`; every method runs on the event loop."""

    def __init__(
        self,
        paths: Paths,
        *,
        on_reading_changed: Callable[[int], None] | None = None,
        addresses: Callable[[str], list[str]] = addresses_for_host,
        on_info_changed: Callable[[ServerInfo], None] | None = None,
        on_login: Callable[[str, str], None] | None = None,
        on_highlights: Callable[[str], None] | None = None,
        on_guessing: Callable[[int], None] | None = None,
    ) -> None:
        self._paths = paths
        self._on_highlights = on_highlights  # "12 highlights for Dune from 192.168.1.23"
        self._receiver: HighlightsReceiver | None = None
        self._on_login = on_login
        self._on_guessing = on_guessing  # someone guesses the password from N addresses; 0: over
        self._on_reading_changed = on_reading_changed
        self._on_info_changed = on_info_changed
        self._addresses = addresses
        self._server: LanServer | None = None
        self.info = ServerInfo(running=False, host="", port=0, opds_enabled=False)

    @staticmethod
    def load() -> None:
        """Load the server's modules (aiohttp with them) ahead of `start`, which then finds
        them loaded: the app does while its library file is checked in another thread."""
        from bookorbit_desktop.server.app import LanServer
        from bookorbit_desktop.server.workers import DbWorkers

        del LanServer, DbWorkers

    async def start(self) -> ServerInfo:
        """Start with the saved settings (a no-op when already running)."""
        # aiohttp loads here, after the window is up, not when the app starts.
        from bookorbit_desktop.server.app import LanServer, PortInUseError, ServerStartError
        from bookorbit_desktop.server.workers import DbWorkers

        if self._server is not None and self._server.running:
            return self.info
        settings = load_settings()
        context = ServerContext(
            paths=self._paths,
            opds_enabled=settings.opds_enabled,
            on_reading_changed=self._on_reading_changed,
            on_login=self._on_login,
            on_guessing=self._on_guessing,
            workers=DbWorkers(checkpoints=False),  # the app runs the Checkpointer
        )
        server = LanServer(
            context,
            settings.host,
            settings.port,
            guard_exposure=True,
            on_opened=lambda _host: self._opened(server),
            https_port=get_setting("server.https_port"),
        )
        try:
            await server.start()
        except ServerStartError as error:
            log.warning("Server not started: %s", error.message)
            message = error.message
            if isinstance(error, PortInUseError):
                # The server's own wording suggests the command line; here Settings is at hand.
                message = (
                    f"Port {settings.port} is already in use on this computer, probably by "
                    "another copy of BookOrbit or another sync server. Stop that program, or "
                    "choose another port in Settings and type the new address into KOReader."
                )
            self.info = ServerInfo(
                running=False,
                host=settings.host,
                port=settings.port,
                opds_enabled=settings.opds_enabled,
                problem_title=error.title,
                problem=message,
            )
            return self.info
        self._server = server
        self.info = self._running_info(server)
        if get_setting("highlights.receiver"):
            self.info = await self._start_receiver(server, self.info)
        return self.info

    async def _start_receiver(self, server: LanServer, info: ServerInfo) -> ServerInfo:
        from bookorbit_desktop.server.highlights.receiver import (
            HighlightsReceiver,
            ReceiverOptions,
            ReceiverStartError,
            describe,
        )

        def arrived(received: Any, origin: str) -> None:
            if self._on_highlights is not None:
                self._on_highlights(describe(received, origin))

        options = ReceiverOptions(
            workers=server.ctx.workers,
            secret=get_setting("highlights.secret"),
            limits=server.limits,
            on_received=arrived,
        )
        receiver = HighlightsReceiver(options, server.wanted_host, get_setting("highlights.port"))
        try:
            await receiver.start()
        except ReceiverStartError as error:
            log.warning("Highlights receiver not started: %s", error.message)
            return replace(info, highlights_problem=error.message)
        self._receiver = receiver
        return replace(info, highlights_port=receiver.port)

    def certificate_fingerprint(self) -> str:
        """The SHA-256 fingerprint of the HTTPS certificate, made now if there is none yet."""
        from bookorbit_desktop.server.tls import ensure_certificate, tls_folder

        return ensure_certificate(tls_folder(self._paths.data_dir)).fingerprint

    def _running_info(self, server: LanServer) -> ServerInfo:
        addresses = self._addresses(server.host)
        urls = tuple(server_url(address, server.port) for address in addresses)
        https_port = server.https_port if server.certificate is not None else None
        https_urls = (
            ()
            if https_port is None
            else tuple(server_url(address, https_port, scheme="https") for address in addresses)
        )
        return ServerInfo(
            running=True,
            host=server.host,
            port=server.port,
            opds_enabled=server.ctx.opds_enabled,
            base_urls=urls,
            notice=server.notice,
            https_port=https_port,
            https_urls=https_urls,
            certificate_fingerprint=server.certificate.fingerprint if server.certificate else None,
        )

    def _opened(self, server: LanServer) -> None:
        """The server moved from loopback to the network: new addresses to show."""
        if server is not self._server:
            return
        self.info = replace(
            self._running_info(server),
            highlights_port=self.info.highlights_port,
            highlights_problem=self.info.highlights_problem,
        )
        if self._on_info_changed is not None:
            self._on_info_changed(self.info)

    async def stop(self) -> None:
        receiver, self._receiver = self._receiver, None
        if receiver is not None:
            await receiver.stop()
        server, self._server = self._server, None
        if server is not None:
            await server.stop()
        self.info = ServerInfo(
            running=False, host=self.info.host, port=self.info.port, opds_enabled=False
        )

    async def restart(self) -> ServerInfo:
        """Apply changed settings: stop, then start with what is saved now."""
        await self.stop()
        return await self.start()
