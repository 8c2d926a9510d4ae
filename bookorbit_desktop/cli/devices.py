"""Sub-commands for e-readers over Wi-Fi: `device set-password|wireless|queue|unqueue|send|list`
(`devices` is the same command).

KOReader connects with Calibre > Connect while `serve` (or the window) runs with the wireless
connection switched on; queued books go at the next connection.
"""

from __future__ import annotations

import argparse
import json
import time

from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.cli.password import read_password
from bookorbit_desktop.cli.words import counted
from bookorbit_desktop.errors import SET_DEVICE_PASSWORD
from bookorbit_desktop.services.devices import service as devices


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    device = commands.add_parser(
        "device", aliases=["devices"], help="send books to KOReader over Wi-Fi"
    )
    sub = device.add_subparsers(dest="device_command", metavar="COMMAND", required=True)
    password = add_command(sub, "set-password", _set_password)
    password.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add_command(sub, "wireless", _wireless).add_argument("state", choices=("on", "off"))
    add_command(sub, "queue", _queue).add_argument(
        "book_ids", type=int, nargs="+", metavar="BOOK_ID"
    )
    add_command(sub, "unqueue", _unqueue).add_argument(
        "book_ids", type=int, nargs="*", metavar="BOOK_ID"
    )
    add_command(sub, "send", _send).add_argument(
        "--want-to-read",
        action="store_true",
        required=True,
        help="queue your Hardcover Want to Read books the device does not have yet",
    )
    listing = add_command(sub, "list", _list, reads=True)
    listing.add_argument("--json", action="store_true", help="print JSON")


def _set_password(ctx: CliContext, args: argparse.Namespace) -> int:
    """the password KOReader gives (Calibre > Wireless settings)"""
    service = devices.DeviceService(ctx.paths)
    service.set_password(read_password(args.password_stdin))
    print(
        "Device password saved in the system keyring. In KOReader: Calibre > Wireless "
        "settings > Set password, and type the same password."
    )
    return 0


def _wireless(ctx: CliContext, args: argparse.Namespace) -> int:
    """answer KOReader's Calibre > Connect, or not"""
    devices.set_wireless(args.state == "on")
    if args.state == "off":
        print("The wireless device connection is off.")
    else:
        print(
            "The wireless device connection is on: `bookorbit-desktop serve` (or the window) "
            "answers KOReader's Calibre > Connect."
        )
    return 0


def _queue(ctx: CliContext, args: argparse.Namespace) -> int:
    """send books at the next connection"""
    added = devices.queue_books(args.book_ids)
    already = len(set(args.book_ids)) - len(added)
    print(
        f"Queued {len(added)} book{'s' if len(added) != 1 else ''} for the next device"
        + (f" ({already} already queued)." if already else ".")
    )
    return 0


def _send(ctx: CliContext, args: argparse.Namespace) -> int:
    """queue your Want to Read books that are not on the device yet"""
    print(devices.queue_want_to_read().message)
    return 0


def _unqueue(ctx: CliContext, args: argparse.Namespace) -> int:
    """take books out of the queue (all without ids)"""
    removed = devices.unqueue_books(args.book_ids or None)
    print(f"Took {removed} book{'s' if removed != 1 else ''} out of the queue.")
    return 0


def _list(ctx: CliContext, args: argparse.Namespace) -> int:
    """the devices, their books and the queue"""
    found = devices.device_list()
    if args.json:
        data = {
            "devices": [
                {
                    "name": d.name,
                    "id": d.store_uuid,
                    "last_connection": d.last_seen,
                    "address": d.address,
                    "free_space": d.free_space,
                    "books": [
                        {"lpath": b.lpath, "uuid": b.uuid, "title": b.title, "book_id": b.book_id}
                        for b in d.books
                    ],
                }
                for d in found.devices
            ],
            "queue": found.queued,
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not found.devices:
        print("No device has connected yet.")
    for d in found.devices:
        seen = time.strftime("%Y-%m-%d %H:%M", time.localtime(d.last_seen))
        print(f"{d.name}  (last connected {seen}, {counted(len(d.books), 'book')})")
        for b in d.books:
            origin = f"book {b.book_id}" if b.book_id is not None else "not from this library"
            print(f"    {b.title or b.lpath}  [{origin}]  {b.lpath}")
    if found.queued:
        print(f"Waiting for the next device: {', '.join(found.queued_titles)}")
    return 0


# How the command line does what a problem's remedy asks (the window has its own button).
_REMEDIES = {
    SET_DEVICE_PASSWORD: " Save it with: bookorbit-desktop device set-password --password-stdin"
}


def print_device_state(state: devices.DeviceState) -> None:
    """What `serve` says about the wireless connection (nothing when it is off)."""
    hint = _REMEDIES.get(state.remedy or "", "")
    for problem in state.problems:
        print(f"KOReader wireless connection: {problem}{hint}", flush=True)
    if not state.running:
        return
    lines = [f"KOReader wireless (Calibre > Connect) on port {state.port}."]
    if state.discovery_port is None:
        lines.append("Discovery is off: in KOReader set Calibre > Wireless settings > address:")
    else:
        lines.append(f"Found by KOReader's search (UDP {state.discovery_port}), or type:")
    lines += [f"  {address}" for address in state.addresses]
    print("\n".join(lines), flush=True)
