"""`kosync ...`: the single sync account, device registration and the documents KOReader
pushed that are not linked to a library book yet, each with the book its metadata proposes
(as the window's Link dialog does: `services.library.device_positions.proposal`)."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.password import read_password
from bookorbit_desktop.cli.words import NO_ACCOUNT_HINT
from bookorbit_desktop.library.reading import pushes as progress
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.settings import get_setting, set_setting
from bookorbit_desktop.server import accounts
from bookorbit_desktop.server.exposure import is_loopback
from bookorbit_desktop.server.lan import addresses_for_host, server_url
from bookorbit_desktop.services.library.device_positions import proposal, shown

REASONS = {"file name": "same file name", "title and author": "same title and author"}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `kosync` sub-commands to the parser."""
    kosync = commands.add_parser("kosync", help="the KOReader sync account and documents")
    sub = kosync.add_subparsers(dest="kosync_command", metavar="COMMAND", required=True)
    set_user = add_command(sub, "set-user", _set_user)
    set_user.add_argument("name", help="the user name to type into KOReader")
    set_user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add_command(sub, "status", _status, reads=True).add_argument(
        "--json", action="store_true", help="print JSON"
    )
    add_command(
        sub,
        "allow-registration",
        _allow_registration,
    ).add_argument("state", choices=("on", "off"))
    add_command(sub, "unlinked", _unlinked, reads=True).add_argument(
        "--json", action="store_true", help="print JSON"
    )
    link = add_command(sub, "link", _link)
    link.add_argument("document", help="the document id shown by `kosync unlinked`")
    link.add_argument("book_id", type=int, help="the book's id (see `bookorbit-desktop books`)")


def _set_user(ctx: CliContext, args: argparse.Namespace) -> int:
    """create or replace the sync account"""
    name = accounts.validate_username(args.name)  # before asking for a password
    password = read_password(args.password_stdin)
    account = accounts.set_account(name, accounts.key_for_password(password))
    print(
        f"Sync account set: {account.username}. In KOReader, Progress sync > Login with this "
        "user name and password."
    )
    return 0


def _status(ctx: CliContext, args: argparse.Namespace) -> int:
    """account, registration, address and documents"""
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
        print(f"  {NO_ACCOUNT_HINT}")
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
            f"{last.percentage * 100:.1f} %"
        )
    return 0


def _allow_registration(ctx: CliContext, args: argparse.Namespace) -> int:
    """let KOReader's Register create the account (while none exists)"""
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


def _proposed(document: str) -> dict[str, Any] | None:
    """The library book the document's metadata proposes (one book only), or None."""
    found = proposal(document)
    book = Book.get_or_none(Book.id == found.book_id) if found is not None else None
    if found is None or book is None:
        return None
    return {
        "book_id": book.id,
        "title": book.title,
        "authors": book.author_names(),
        "reason": found.reason,
    }


def _proposed_line(proposed: dict[str, Any]) -> str:
    authors = ", ".join(proposed["authors"]) or "unknown author"
    why = REASONS.get(proposed["reason"], proposed["reason"])
    return f"proposed: #{proposed['book_id']} {proposed['title']} — {authors} ({why})"


def _unlinked(ctx: CliContext, args: argparse.Namespace) -> int:
    """documents KOReader synced that match no book, with the book their metadata proposes"""
    documents = progress.unlinked_documents()
    proposals = {doc.document: _proposed(doc.document) for doc in documents}
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
                "proposed": proposals[doc.document],
            }
            for doc in documents
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not documents:
        print("Every synced document belongs to a book.")
        return 0
    for doc in documents:  # what a device sent is escaped: it cannot forge terminal output
        name = shown(doc.title or doc.filename or "") or "(KOReader sent no title)"
        by = f" by {shown(doc.authors)}" if doc.authors else ""
        print(f"{doc.document}  {name}{by}")
        print(
            f"    {doc.percentage * 100:.1f} % on {shown(doc.device)}, {_when(doc.timestamp)}, "
            f"{doc.pushes} push{'es' if doc.pushes != 1 else ''}"
        )
        if doc.candidates:
            ids = ", ".join(str(book_id) for book_id in doc.candidates)
            print(f"    matches several books ({ids}): pick one with `kosync link`")
        proposed = proposals[doc.document]
        if proposed is not None:
            command = f"bookorbit-desktop kosync link {doc.document} {proposed['book_id']}"
            print(f"    {_proposed_line(proposed)}")
            print(f"    link it with: {command}")
    print("Link one with: bookorbit-desktop kosync link DOCUMENT BOOK_ID")
    return 0


def _link(ctx: CliContext, args: argparse.Namespace) -> int:
    """link a synced document to a library book"""
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
