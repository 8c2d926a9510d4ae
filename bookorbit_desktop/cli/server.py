"""`serve`: the KOReader sync server (and the OPDS catalog, the highlights receiver and the
wireless device server when switched on) without a window, until Ctrl-C or SIGTERM.

A stop asked for by a signal is orderly (imports stop, queued writes finish, ports close), but
it never takes more than `STOP_SECONDS`: a service manager sends SIGKILL a little later, and a
user pressing Ctrl-C expects the prompt back. After that the process ends at once, which SQLite
survives: every write is a transaction, and the library's lock goes with the process.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import threading
from typing import Any

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.words import NO_ACCOUNT_HINT
from bookorbit_desktop.config import DEFAULT_SETTINGS
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.gc_pause import freeze_long_lived
from bookorbit_desktop.library.store.owner import LibraryLock
from bookorbit_desktop.library.store.settings import get_setting
from bookorbit_desktop.server import ServerContext, accounts
from bookorbit_desktop.server.lan import addresses_for_host, server_url

STOP_SECONDS = 4.0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-commands to the parser."""
    serve = add_command(
        commands,
        "serve",
        _serve,
        library=False,  # opened once the library's lock is held
    )
    serve.add_argument(
        "--host", help=f"address to listen on (default {DEFAULT_SETTINGS['server.host']}: all)"
    )
    serve.add_argument(
        "--port",
        type=int,
        help=f"port to listen on (default {DEFAULT_SETTINGS['server.port']}; 0 picks a free one)",
    )
    serve.add_argument(
        "--https-port",
        type=int,
        help="also serve HTTPS on this port, with a self-signed certificate made on first use "
        "(0 picks a free one; default: the saved setting, normally off)",
    )
    serve.add_argument("--no-opds", action="store_true", help="do not serve the OPDS catalog")
    serve.add_argument(
        "--highlights-port",
        type=int,
        metavar="N",
        help="also receive KOReader's highlight exports (Export highlights > XMNote) on port N "
        "(KOReader posts to 8080; default: the saved setting, when switched on)",
    )
    serve.add_argument(
        "--calibre-port",
        type=int,
        help="answer KOReader's Calibre > Connect on this port (default: calibre's 9090 when "
        "free, if `device wireless on`); needs `device set-password`",
    )
    serve.add_argument(
        "--no-calibre-discovery",
        action="store_true",
        help="do not answer KOReader's search for calibre (type the address in KOReader)",
    )


def _serve(ctx: CliContext, args: argparse.Namespace) -> int:
    """run the KOReader sync server and OPDS catalog without a window

    Run the KOReader sync server (and the OPDS catalog) until Ctrl-C."""
    with LibraryLock(ctx.paths.data_dir, "serve"):  # one process serves a library
        return _serve_owned(ctx, args)


def _serve_owned(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.open_library()
    host = args.host or get_setting("server.host")
    port = get_setting("server.port") if args.port is None else args.port
    if not isinstance(port, int) or not 0 <= port <= 65535:
        raise InvalidValueError(
            f"The port must be a number from 1 to 65535 (or 0 for any free port), not {port}."
        )
    https_port = get_setting("server.https_port") if args.https_port is None else args.https_port
    if https_port is not None and (not isinstance(https_port, int) or not 0 <= https_port <= 65535):
        raise InvalidValueError(
            "The HTTPS port must be a number from 1 to 65535 (or 0 for any free port), "
            f"not {https_port}."
        )
    from bookorbit_desktop.services.settings import check_port_pair  # the settings' rule

    check_port_pair(port, https_port)
    opds = bool(get_setting("server.opds_enabled")) and not args.no_opds
    from bookorbit_desktop.server.app import LanServer  # aiohttp only when serving

    server = LanServer(
        ServerContext(ctx.paths, opds_enabled=opds),
        host,
        port,
        guard_exposure=True,
        on_opened=lambda now: _print_opened(server, now, opds),
        https_port=https_port,
        on_closed=lambda now: print(
            f"The sync account was removed: listening on {now} only until one exists.",
            flush=True,
        ),
    )
    if args.calibre_port is not None and not 0 <= args.calibre_port <= 65535:
        raise InvalidValueError(
            f"The calibre port must be from 1 to 65535 (0: any free port), not {args.calibre_port}."
        )
    asyncio.run(_serve_until_stopped(server, args, host))
    return 0


def _highlights_port(args: argparse.Namespace) -> int | None:
    """The receiver's port when it should run: given on the command line, or switched on."""
    port = args.highlights_port
    if port is None and get_setting("highlights.receiver"):
        port = get_setting("highlights.port")
    if port is not None and (not isinstance(port, int) or not 0 <= port <= 65535):
        raise InvalidValueError(
            f"The highlights port must be a number from 1 to 65535 (or 0 for any free port), "
            f"not {port}."
        )
    return port


async def _serve_until_stopped(server: Any, args: argparse.Namespace, host: str) -> None:
    highlights_port = _highlights_port(args)
    await server.start()
    receiver = None
    if highlights_port is not None:
        receiver = await _start_receiver(server, highlights_port)
    from bookorbit_desktop.cli.devices import print_device_state
    from bookorbit_desktop.services.devices.service import DeviceService

    devices = DeviceService(server.ctx.paths, content_port=lambda: server.port)
    state = await devices.start(
        host,
        args.calibre_port,
        discovery=False if args.no_calibre_discovery else None,
        force=args.calibre_port is not None,
    )
    from bookorbit_desktop.services.hardcover.sync import SyncService
    from bookorbit_desktop.services.hardcover.sync_worker import SyncWorker

    worker = SyncWorker(SyncService())  # pushes queued changes to Hardcover while serving
    worker.start()
    freeze_long_lived()  # everything started: no full collection scans it again
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not available on Windows: there Ctrl-C ends the process through KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, _stopping, stop)
    try:
        _print_banner(server.host, server.port, server.ctx.opds_enabled, server.notice)
        _print_https(server, server.ctx.opds_enabled)
        if receiver is not None:
            _print_receiver(server.host, receiver.port)
        print_device_state(state)
        await stop.wait()
    finally:
        await worker.stop()
        await devices.stop()
        if receiver is not None:
            await receiver.stop()
        await server.stop()
        print("Stopped.", flush=True)


def _stopping(stop: asyncio.Event) -> None:
    """A signal asked the server to stop: stop in order, or at once after `STOP_SECONDS`."""
    if stop.is_set():
        return
    stop.set()
    deadline = threading.Timer(STOP_SECONDS, _stop_now)
    deadline.daemon = True
    deadline.start()


def _stop_now() -> None:
    print(
        f"Stopping took longer than {STOP_SECONDS:g} s; stopped at once (the library is safe).",
        file=sys.stderr,
        flush=True,
    )
    os._exit(1)


async def _start_receiver(server: Any, port: int) -> Any:
    from bookorbit_desktop.server.highlights.receiver import (
        HighlightsReceiver,
        ReceiverOptions,
        describe,
    )

    options = ReceiverOptions(
        workers=server.ctx.workers,
        secret=get_setting("highlights.secret"),
        limits=server.limits,
        on_received=lambda received, origin: print(describe(received, origin), flush=True),
    )
    receiver = HighlightsReceiver(options, server.wanted_host, port)
    try:
        await receiver.start()
    except BaseException:
        await server.stop()
        raise
    return receiver


def _print_receiver(host: str, port: int) -> None:
    from bookorbit_desktop.services.highlights.service import exporter_addresses

    secret = get_setting("highlights.secret")
    lines = [
        "",
        f"Highlights receiver on port {port}. In KOReader: open a book, Tools > Export "
        "highlights > Choose formats and services > XMNote > Set XMNote IP, and type:",
        *(f"  {address}" for address in exporter_addresses(addresses_for_host(host), port, secret)),
        "then tick Export to XMNote, and Export highlights > Export all notes in current book.",
    ]
    print("\n".join(lines), flush=True)


def _print_opened(server: Any, host: str, opds: bool) -> None:
    print(f"A sync account exists now: listening on {host} port {server.port}.", flush=True)
    _print_addresses(host, server.port, opds, [])
    _print_https(server, opds)


def _print_https(server: Any, opds: bool) -> None:
    if server.certificate is None or server.notice:
        return
    addresses = addresses_for_host(server.host)
    port = server.https_port
    lines = [
        "",
        f"HTTPS on port {port} (keeps the password and sync key private on the Wi-Fi):",
        *(f"  {server_url(a, port, '/kosync', scheme='https')}" for a in addresses),
        *((f"  {server_url(a, port, '/opds', scheme='https')}" for a in addresses) if opds else ()),
        f"Certificate (self-signed) SHA-256 fingerprint: {server.certificate.fingerprint}",
    ]
    print("\n".join(lines), flush=True)


def _print_banner(host: str, port: int, opds: bool, notice: str | None = None) -> None:
    lines = [f"Listening on {host} port {port}. Press Ctrl-C to stop.", ""]
    if notice:
        print("\n".join([*lines, notice, ""]), flush=True)
        return
    _print_addresses(host, port, opds, lines)


def _print_addresses(host: str, port: int, opds: bool, lines: list[str]) -> None:
    addresses = addresses_for_host(host)
    lines.append("In KOReader: open a book, Tools > Progress sync > Custom sync server, and type:")
    lines += [f"  {server_url(address, port, '/kosync')}" for address in addresses]
    if opds:
        lines.append("OPDS catalog (KOReader: Search > OPDS catalog > +):")
        lines += [f"  {server_url(address, port, '/opds')}" for address in addresses]
        lines.append("The same catalog as OPDS 2.0 (JSON), for clients that read it:")
        lines += [f"  {server_url(address, port, '/opds/v2')}" for address in addresses]
    if host.startswith("127.") or host in ("localhost", "::1"):
        lines.append("Only this computer can connect; use --host 0.0.0.0 for your e-reader.")
    if accounts.load_account() is None:
        lines.append(NO_ACCOUNT_HINT)
    print("\n".join(lines), flush=True)
