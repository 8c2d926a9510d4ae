"""The wireless device server: the TCP port KOReader connects to, and its discovery responder.

Off until the user switches it on, and never without a password (KOReader proves it knows it).
It listens on the same address as the sync server (all of them, or the one the user chose), and
so does its discovery responder, which answers only the local network. One device at a time:
while one is connected, another hears CALIBRE_BUSY and is closed. Connections that have not
passed the handshake never hold that place, so a bare TCP probe (older KOReader opens and closes
one before connecting) blocks nobody, and they count in the port's own small caps (a few per
address, `connections.DEVICE_CONNECTIONS` in all, the oldest closed to make room), so silent
strangers on the Wi-Fi cannot take the descriptors the sync server needs. The connected device
itself coming back (same address, then the same store uuid: it slept and the Wi-Fi dropped the
old connection without a word) takes over at once instead of hearing "busy" until the dead
connection times out.

Once a device is in, queued books go at once; then the session idles with a keep-alive NOOP
every few seconds and runs what the window or the command line asks (`send_queued`, `delete`,
`eject`) one at a time, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bookorbit_desktop.devices.discovery import BROADCAST_PORTS, Discovery
from bookorbit_desktop.devices.records import DeviceRecords
from bookorbit_desktop.devices.session import Session, SessionEnded, Timing
from bookorbit_desktop.devices.transfer import Progress, send_queue
from bookorbit_desktop.errors import SET_DEVICE_PASSWORD, BookOrbitError
from bookorbit_desktop.guards.connections import (
    DEVICE_CONNECTIONS,
    ConnectionLimits,
    accept_backlog,
    peer_address,
    queue_deeper,
)
from bookorbit_desktop.guards.log_budget import BudgetedLog, LineBudget
from bookorbit_desktop.guards.throttle import LoginThrottle
from bookorbit_desktop.log_text import for_log

log = logging.getLogger(__name__)

CALIBRE_PORT = 9090
DEVICE_PER_ADDRESS = 4  # a device opens one connection (older KOReader: a probe first)
# When 9090 is taken: the next few (KOReader up to 2025.10 replaces a typed port above 65355).
FALLBACK_PORTS = tuple(range(9091, 9100))
# Lines about sessions a client ended or broke (a wrong password, a broken frame, a goodbye),
# per address a minute: a device connects a few times a minute at most; a flood is summed up.
SESSION_LINES_PER_MINUTE = 2


def _session_lines() -> BudgetedLog:
    return BudgetedLog(
        log,
        logging.INFO,
        "%d more device sessions from %s ended in the last minute (the first "
        f"{SESSION_LINES_PER_MINUTE} a minute are logged one by one)",
        LineBudget(burst=SESSION_LINES_PER_MINUTE),
    )


class DeviceServerError(BookOrbitError):
    title = "Cannot start the device connection"


class NoDevicePasswordError(DeviceServerError):
    """No password saved: each front end says how to set one (its remedy)."""

    remedy = SET_DEVICE_PASSWORD


@dataclass
class DeviceStatus:
    """What the window shows: where to connect, who is connected, what is happening."""

    host: str = ""
    port: int = 0
    discovery_port: int | None = None
    device: str | None = None
    device_uuid: str | None = None
    address: str | None = None
    progress: Progress | None = None
    problems: list[str] = field(default_factory=list)


Command = Callable[[Session], Awaitable[None]]


class DeviceServer:
    def __init__(
        self,
        password: str | None,
        records: DeviceRecords,
        host: str = "0.0.0.0",
        port: int | None = None,
        *,
        discovery: bool = True,
        content_port: Callable[[], int] = lambda: 0,
        discovery_ports: tuple[int, ...] = BROADCAST_PORTS,
        timing: Timing | None = None,
        on_change: Callable[[], None] | None = None,
        throttle: LoginThrottle | None = None,
    ) -> None:
        self.password = password
        # Every answer to the challenge is a guess: a few per address, then refused unchecked.
        self.throttle = throttle or LoginThrottle()
        self.records = records
        self.host = host
        self.wanted_port = port  # None: calibre's 9090 when free, else 9091-9099
        self.timing = timing or Timing()
        self.status = DeviceStatus(host=host)
        self.session_lines = _session_lines()
        self._on_change = on_change
        self._server: asyncio.Server | None = None
        self._discovery = (
            Discovery(lambda: self.status.port, content_port, discovery_ports, host=host)
            if discovery
            else None
        )
        self._active: Session | None = None
        self._commands: asyncio.Queue[tuple[Command, asyncio.Future[None]]] = asyncio.Queue()
        self._connections: set[asyncio.Task[None]] = set()
        # Connections that have not become the active device are the first closed to make room,
        # so silent or slow strangers never hold more than this port's share of descriptors.
        self._limits = ConnectionLimits(
            DEVICE_CONNECTIONS,
            DEVICE_PER_ADDRESS,
            is_idle=lambda writer: self._active is None or self._active.writer is not writer,
            close=lambda writer: writer.transport.abort(),
        )

    @property
    def running(self) -> bool:
        return self._server is not None

    def _changed(self) -> None:
        if self._on_change is not None:
            try:
                self._on_change()
            except Exception:  # a view's mistake must not end a device's session
                log.exception("The device status listener failed")

    async def start(self) -> None:
        if self._server is not None:
            return
        if not self.password:
            raise NoDevicePasswordError(
                "It needs the password KOReader will use (Calibre > Wireless settings > "
                "Set password), and none is saved."
            )
        ports = (CALIBRE_PORT, *FALLBACK_PORTS) if self.wanted_port is None else (self.wanted_port,)
        for port in ports:
            try:
                self._server = await self._listen(port)
                break
            except OSError as error:
                if port == ports[-1] or error.errno != errno.EADDRINUSE:
                    raise DeviceServerError(
                        f"Could not listen for KOReader on port {port} ({error.strerror}). "
                        "Choose another port with --calibre-port (and type it in KOReader)."
                    ) from None
        assert self._server is not None
        sockets = self._server.sockets
        self.status.port = int(sockets[0].getsockname()[1]) if sockets else port
        if self._discovery is not None:
            self.status.discovery_port = await self._discovery.start()
        log.info("Waiting for KOReader devices on %s port %d", self.host, self.status.port)
        self._changed()

    async def _listen(self, port: int) -> asyncio.Server:
        server = await asyncio.start_server(
            self._accept, self.host, port, reuse_address=True, backlog=accept_backlog()
        )
        queue_deeper(server)
        return server

    async def stop(self) -> None:
        if self._discovery is not None:
            self._discovery.stop()
        server, self._server = self._server, None
        if server is not None:
            server.close()
        if self._active is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.timing.goodbye):
                    await self.eject()
        for task in list(self._connections):
            task.cancel()
        for task in list(self._connections):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if server is not None:
            await server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self._limits.opened(writer, peer_address(writer) or "unknown"):
            writer.transport.abort()
            return
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            await self._connection(reader, writer)
        except asyncio.CancelledError:
            # `stop` ended it; the task ends normally, the last thing it does (asyncio's
            # server on Python 3.11 logs a connection task that ends cancelled as an error).
            pass
        finally:
            self._connections.discard(task)
            self._limits.closed(writer)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = Session(
            reader,
            writer,
            self.password or "",
            self.records,
            self.timing,
            self.throttle.admit,
            self.throttle.checked,
            note=self.session_lines.line,
        )
        try:
            if self._active is not None and self._active.info.address != session.info.address:
                await self._busy(session)
                return
            if not await session.handshake():
                return
            if self._active is not None:
                if self._active.info.store_uuid != session.info.store_uuid:
                    await self._busy(session)
                    return
                await self._active.close()  # the same device is back: its old line is dead
            self._active = session
            self.status.device, self.status.address = session.info.name, session.info.address
            self.status.device_uuid = session.info.store_uuid
            self.status.problems = []
            self._changed()
            await session.sync()
            self._changed()
            await self._run_send(session)
            await self._idle(session)
        except SessionEnded as reason:
            who = for_log(session.info.name) if session.info.name else session.info.address
            self.session_lines.line(session.info.address or "", f"Device {who}: {reason}")
        except Exception:  # a library error (locked, full disk): end this session, keep serving
            log.exception("The session with %s failed", session.info.address)
            self.status.problems = ["The library could not record the device's books; see the log."]
        finally:
            # The place is given up before anything else can fail: a device that broke the
            # protocol never leaves the port "busy" for the next one.
            if self._active is session:
                self._active = None
                self.status.device = self.status.address = self.status.device_uuid = None
                self.status.progress = None
                self._fail_pending()
                self._changed()
            await session.close()

    async def _busy(self, session: Session) -> None:
        await session.busy(self._active.info.name if self._active is not None else "")

    async def _idle(self, session: Session) -> None:
        while True:
            command = asyncio.create_task(self._commands.get())
            heard = asyncio.create_task(session.next_unsolicited())
            done, _ = await asyncio.wait(
                {command, heard},
                timeout=self.timing.keepalive,
                return_when=asyncio.FIRST_COMPLETED,
            )
            for task in (command, heard):
                if task not in done:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            if heard in done:
                frame = heard.result()  # a goodbye raises SessionEnded
                log.debug("Device %s sent %s on its own", for_log(session.info.name), frame.op.name)
            if command in done:
                action, future = command.result()
                try:
                    await action(session)
                except BaseException as error:
                    if not future.done():
                        future.set_exception(error)
                    raise
                if not future.done():
                    future.set_result(None)
                continue
            if not done:
                await session.keepalive()

    def _fail_pending(self) -> None:
        while not self._commands.empty():
            _, future = self._commands.get_nowait()
            if not future.done():
                future.set_exception(SessionEnded("the device disconnected"))

    async def _run_send(self, session: Session) -> None:
        def progress(step: Progress) -> None:
            self.status.progress = step if step.done < step.total else None
            self._changed()

        result = await send_queue(session, progress)
        self.status.problems = result.problems
        self._changed()

    def _submit(self, action: Command) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self._active is None:
            future.set_exception(SessionEnded("no device is connected"))
        else:
            self._commands.put_nowait((action, future))
        return future

    def send_queued(self) -> bool:
        """Send the queue now if a device is connected (else it waits); True when one is."""
        if self._active is None:
            return False
        future = self._submit(self._run_send)
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        return True

    async def delete(self, lpaths: list[str]) -> None:
        """Delete books from the connected device; SessionEnded when none is connected."""

        async def action(session: Session) -> None:
            await session.delete(lpaths)
            self._changed()

        await self._submit(action)

    async def eject(self) -> None:
        async def action(session: Session) -> None:
            await session.eject()
            raise SessionEnded("ejected")

        with contextlib.suppress(SessionEnded):
            await self._submit(action)
