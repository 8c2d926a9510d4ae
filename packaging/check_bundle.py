"""Verify a built Linux bundle: `python packaging/check_bundle.py build/bundle/bookorbit-desktop`.

- no library the target system provides was copied (bundle_rules.SYSTEM_LIBRARIES);
- every library a bundled file links to is either in the bundle or one of those;
- no file needs a newer glibc than MAX_GLIBC (the oldest distributions in the README);
- no file carries debug information (`make_dist.py` strips it: 32 MiB of the unpacked bundle);
- every symbolic link leads to a file inside the bundle (none dangles);
- the resources and GraphQL operations the app loads at run time are inside.

Prints each problem and exits 1 if there is any.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bundle_rules

# glibc 2.35: Ubuntu 22.04, Debian 12, Fedora 36, openSUSE Leap 16 and newer.
MAX_GLIBC = (2, 35)
REQUIRED_FILES = (
    "resources/icons/hicolor/256x256/apps/org.bookorbit.BookOrbitDesktop.png",
    "resources/icons/tray/png/tray-idle-22.png",
    "resources/org.bookorbit.BookOrbitDesktop.desktop.in",
    "resources/translations/bookorbit_en.qm",
    "bookorbit_desktop/hardcover/api/operations/fragments.graphql",
)
_GLIBC = re.compile(r"GLIBC_(\d+)\.(\d+)")


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def glibc_of(path: Path) -> tuple[int, int]:
    result = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True)
    versions = [(int(a), int(b)) for a, b in _GLIBC.findall(result.stdout)]
    return max(versions, default=(0, 0))


def has_debug_info(path: Path) -> bool:
    """True if the ELF file has DWARF sections (`.debug_info`, `.debug_line`...)."""
    result = subprocess.run(["objdump", "-h", str(path)], capture_output=True, text=True)
    return any(
        len(fields) > 1 and fields[1].startswith(".debug_")
        for fields in (line.split() for line in result.stdout.splitlines())
    )


def broken_links(bundle: Path) -> list[str]:
    """Each symbolic link in the bundle that dangles or leads out of it, with where it points."""
    problems = []
    root = bundle.resolve()
    for path in sorted(bundle.rglob("*")):
        if not path.is_symlink():
            continue
        relative, target = path.relative_to(bundle), path.readlink()
        if not path.exists():
            problems.append(f"{relative} is a dangling link (to {target})")
        elif not path.resolve().is_relative_to(root):
            problems.append(f"{relative} links outside the bundle (to {target})")
    return problems


def required_glibc(bundle: Path) -> str:
    major, minor = max((glibc_of(path) for path in elf_files(bundle)), default=(0, 0))
    return f"{major}.{minor}"


def internal(bundle: Path) -> Path:
    return bundle / "_internal" if (bundle / "_internal").is_dir() else bundle


def check(bundle: Path) -> list[str]:
    if not (bundle / "bookorbit-desktop").is_file():
        return [f"{bundle} has no bookorbit-desktop executable"]
    problems = []
    files = elf_files(bundle)
    names = {path.name for path in bundle.rglob("*")}
    for path in files:
        relative = path.relative_to(bundle)
        if bundle_rules.is_system_library(path.name):
            problems.append(f"{relative} is a system library and must not be bundled")
        for needed in bundle_rules.read_needed(str(path)):
            if needed not in names and not bundle_rules.is_system_library(needed):
                problems.append(f"{relative} needs {needed}, which is neither bundled nor system")
        if has_debug_info(path):
            problems.append(f"{relative} carries debug information (strip --strip-debug)")
        version = glibc_of(path)
        if version > MAX_GLIBC:
            problems.append(
                f"{relative} needs glibc {version[0]}.{version[1]} "
                f"(the bundle promises {MAX_GLIBC[0]}.{MAX_GLIBC[1]})"
            )
    problems += broken_links(bundle)
    for required in REQUIRED_FILES:
        if not (internal(bundle) / required).is_file():
            problems.append(f"{required} is missing from the bundle")
    return problems


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else "build/bundle/bookorbit-desktop")
    problems = check(bundle)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problems; the bundle needs glibc {required_glibc(bundle)}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
