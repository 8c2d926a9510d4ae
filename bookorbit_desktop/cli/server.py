"""Sub-commands for the server feature: `serve` and `kosync ...`.

`serve` runs the KOReader sync server (and the OPDS catalog) without a window until Ctrl-C or
SIGTERM; `kosync` manages the single sync account, device registration and the documents
KOReader pushed that are not linked to a library book yet.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import signal
import sys
import time
from typing import Any

from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.config import DEFAULT_SETTINGS
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.owner import LibraryLock
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.server import ServerContext, accounts
from bookorbit_desktop.server.exposure import is_loopback
from bookorbit_desktop.server.lan import addresses_for_host, server_url

_NO_ACCOUNT_HINT = (
    "No sync account yet. Create one with `bookorbit-desktop kosync set-user NAME "
    '--password-stdin`, or let KOReader\'s "Register" create it after '
    "`bookorbit-desktop kosync allow-registration on`."
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-commands to the parser."""
    serve = commands.add_parser(
        "serve",
        help="run the KOReader sync server and OPDS catalog without a window",
        description="Run the KOReader sync server (and the OPDS catalog) until Ctrl-C.",
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
    serve.set_defaults(handler=_serve)

    kosync = commands.add_parser("kosync", help="the KOReader sync account and documents")
    sub = kosync.add_subparsers(dest="kosync_command", metavar="COMMAND", required=True)
    set_user = sub.add_parser("set-user", help="create or replace the sync account")
    set_user.add_argument("name", help="the user name to type into KOReader")
    set_user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    set_user.set_defaults(handler=_set_user)
    status = sub.add_parser("status", help="account, registration, address and documents")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(handler=_status)
    allow = sub.add_parser(
        "allow-registration", help="let KOReader's Register create the account (while none exists)"
    )
    allow.add_argument("state", choices=("on", "off"))
    allow.set_defaults(handler=_allow_registration)
    unlinked = sub.add_parser("unlinked", help="documents KOReader synced that match no book")
    unlinked.add_argument("--json", action="store_true", help="print JSON")
    unlinked.set_defaults(handler=_unlinked)
    link = sub.add_parser("link", help="link a synced document to a library book")
    link.add_argument("document", help="the document id shown by `kosync unlinked`")
    link.add_argument("book_id", type=int, help="the book's id (see `bookorbit-desktop books`)")
    link.set_defaults(handler=_link)


def _serve(ctx: CliContext, args: argparse.Namespace) -> int:
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
    from bookorbit_desktop.services.devices import DeviceService

    devices = DeviceService(server.ctx.paths, content_port=lambda: server.port)
    state = await devices.start(
        host,
        args.calibre_port,
        discovery=False if args.no_calibre_discovery else None,
        force=args.calibre_port is not None,
    )
    from bookorbit_desktop.services.sync import SyncService
    from bookorbit_desktop.services.sync_worker import SyncWorker

    worker = SyncWorker(SyncService())  # pushes queued changes to Hardcover while serving
    worker.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not available on Windows: there Ctrl-C ends the process through KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
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


async def _start_receiver(server: Any, port: int) -> Any:
    from bookorbit_desktop.server.highlights.receiver import (
        HighlightsReceiver,
        ReceiverOptions,
        describe,
    )

    options = ReceiverOptions(
        workers=server.ctx.workers,
        secret=get_setting("highlights.secret"),
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
    from bookorbit_desktop.services.highlights import exporter_addresses

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
    if host.startswith("127.") or host in ("localhost", "::1"):
        lines.append("Only this computer can connect; use --host 0.0.0.0 for your e-reader.")
    if accounts.load_account() is None:
        lines.append(_NO_ACCOUNT_HINT)
    print("\n".join(lines), flush=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        stream = getattr(sys.stdin, "buffer", None)
        raw = stream.readline() if stream is not None else sys.stdin.readline().encode()
        try:
            password = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidValueError("The password on standard input is not UTF-8 text.") from error
        password = password.removesuffix("\n").removesuffix("\r")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise InvalidValueError("The two passwords differ. Run the command again.")
    else:
        raise InvalidValueError("Pipe the password in and add --password-stdin.")
    if not password:
        raise InvalidValueError("The password is empty. Give the password KOReader will use.")
    return password


def _set_user(ctx: CliContext, args: argparse.Namespace) -> int:
    name = accounts.validate_username(args.name)  # before asking for a password
    ctx.open_library()
    password = _read_password(args.password_stdin)
    account = accounts.set_account(name, accounts.key_for_password(password))
    print(
        f"Sync account set: {account.username}. In KOReader, Progress sync > Login with this "
        "user name and password."
    )
    return 0


def _status(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.open_library()
    account = accounts.load_account()
    host, port = get_setting("server.host"), get_setting("server.port")
    summary = progress.sync_summary()
    last = summary.last_push
    data = {
        "account": {"username": account.username} if account else None,
        "allow_registration": bool(get_setting("kosync.allow_registration")),
        "host": host,
        "port": port,
        "opds_enabled": bool(get_setting("server.opds_enabled")),
        "kosync_urls": [server_url(a, port, "/kosync") for a in addresses_for_host(host)],
        "documents": summary.documents,
        "unlinked_documents": summary.unlinked,
        "pushes": summary.pushes,
        "last_push": None
        if last is None
        else {
            "document": last.document,
            "device": last.device,
            "percentage": last.percentage,
            "timestamp": last.timestamp,
        },
    }
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"Sync account: {account.username if account else 'none'}")
    if account is None:
        print(f"  {_NO_ACCOUNT_HINT}")
    print(f"Registration from a device: {'on' if data['allow_registration'] else 'off'}")
    print(f"Server: {host} port {port}, OPDS {'on' if data['opds_enabled'] else 'off'}")
    if account is None and not data["allow_registration"] and not is_loopback(host):
        print("  Until an account exists the server answers on this computer only.")
    for url in data["kosync_urls"]:
        print(f"KOReader sync URL: {url}")
    print(
        f"Documents: {summary.documents} ({summary.unlinked} not linked to a book), "
        f"pushes: {summary.pushes}"
    )
    if last is not None:
        print(
            f"Last push: {_when(last.timestamp)} from {last.device}, document {last.document}, "
            f"{last.percentage * 100:.1f}%"
        )
    return 0


def _allow_registration(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.open_library()
    allow = args.state == "on"
    set_setting("kosync.allow_registration", allow)
    if not allow:
        print("Registration from a device is off.")
    elif accounts.load_account() is not None:
        print(
            "Registration is on, but an account already exists, so no device can register. "
            "Log in from KOReader instead, or replace the account with `kosync set-user`."
        )
    else:
        print("Registration is on: KOReader's Register creates the one sync account.")
    return 0


def _unlinked(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.open_library()
    documents = progress.unlinked_documents()
    if args.json:
        rows = [
            {
                "document": doc.document,
                "device": doc.device,
                "device_id": doc.device_id,
                "percentage": doc.percentage,
                "progress": doc.progress,
                "timestamp": doc.timestamp,
                "pushes": doc.pushes,
                "title": doc.title,
                "authors": doc.authors,
                "filename": doc.filename,
                "candidates": list(doc.candidates),
            }
            for doc in documents
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not documents:
        print("Every synced document belongs to a book.")
        return 0
    for doc in documents:
        name = doc.title or doc.filename or "(KOReader sent no title)"
        by = f" by {doc.authors}" if doc.authors else ""
        print(f"{doc.document}  {name}{by}")
        print(
            f"    {doc.percentage * 100:.1f}% on {doc.device}, {_when(doc.timestamp)}, "
            f"{doc.pushes} push{'es' if doc.pushes != 1 else ''}"
        )
        if doc.candidates:
            ids = ", ".join(str(book_id) for book_id in doc.candidates)
            print(f"    matches several books ({ids}): pick one with `kosync link`")
    print("Link one with: bookorbit-desktop kosync link DOCUMENT BOOK_ID")
    return 0


def _link(ctx: CliContext, args: argparse.Namespace) -> int:
    ctx.open_library()
    result = progress.link_document(args.document, args.book_id, now=time.time())
    title = Book.get_by_id(result.book_id).title
    print(
        f"Linked {args.document} to book {result.book_id} ({title}); "
        f"{result.events_moved} earlier push{'es' if result.events_moved != 1 else ''} moved."
    )
    if result.changes:
        print(f"Reading state: {', '.join(result.changes)}.")
    return 0


def _when(timestamp: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))
