"""`about [--json]`: the version, how this copy runs, where its files are and which keyring it
uses; what a bug report or a move to another computer needs to know."""

from __future__ import annotations

import argparse
import json
import platform
import sys
from typing import Any

from bookorbit_desktop import __version__
from bookorbit_desktop.cli.commands import add_command
from bookorbit_desktop.cli.context import CliContext
from bookorbit_desktop.config import resources_dir
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.hardcover.api.credentials import TokenStore, backend_name
from bookorbit_desktop.services.hardcover.service import keyring_label


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this feature's sub-commands to the parser."""
    add_command(
        commands,
        "about",
        _about,
        library=False,
    ).add_argument("--json", action="store_true", help="print JSON")


def facts(ctx: CliContext) -> dict[str, Any]:
    frozen = bool(getattr(sys, "frozen", False))
    try:
        keyring: str | None = backend_name(TokenStore().check())
        keyring_problem = None
    except BookOrbitError as error:
        keyring, keyring_problem = None, error.message
    return {
        "version": __version__,
        "runs_as": "bundle" if frozen else "python",
        "executable": sys.executable,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "data_dir": str(ctx.paths.data_dir),
        "database": str(ctx.paths.db_file),
        "log_dir": str(ctx.paths.log_dir),
        "cache_dir": str(ctx.paths.cache_dir),
        "resources": str(resources_dir()),
        "keyring": keyring,
        "keyring_problem": keyring_problem,
    }


def _about(ctx: CliContext, args: argparse.Namespace) -> int:
    """version, where the library and logs are, which keyring is used"""
    found = facts(ctx)
    if args.json:
        print(json.dumps(found, indent=2))
        return 0
    how = "the self-contained bundle" if found["runs_as"] == "bundle" else "Python"
    print(f"BookOrbit Desktop {found['version']} ({how}: {found['executable']})")
    print(f"  library    {found['database']}")
    print(f"  covers     {ctx.paths.covers_dir}")
    print(f"  logs       {found['log_dir']}")
    print(f"  cache      {found['cache_dir']}")
    if found["keyring"]:
        print(f"  keyring    {keyring_label(found['keyring'])} ({found['keyring']})")
    else:
        print(f"  keyring    not available: {found['keyring_problem']}")
    return 0
