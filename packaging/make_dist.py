"""Build the Linux bundle and pack it: `make dist` runs this with the `dist` virtualenv.

    python packaging/make_dist.py [--skip-build]

1. PyInstaller builds the one-folder app from packaging/bookorbit-desktop.spec (timed).
2. The debug information of its libraries is stripped (`strip --strip-debug`, 67 files: the
   code and the symbols programs link against stay).
3. check_bundle.py verifies it (system libraries not copied, every link resolvable, glibc,
   no debug information, no dangling symbolic link).
4. The archive's folder gets the app, install.sh, the desktop entry, the AppStream metadata
   and the icons, and is packed as dist/BookOrbitDesktop-<version>-linux-<arch>.tar.xz.

The archive is reproducible: PyInstaller runs with a fixed hash seed, and every entry carries
the time of the commit built (or SOURCE_DATE_EPOCH), owner root, and mode 755 or 644, in name
order, so two builds of the same commit give the same bytes. Prints the build time and the
packed and unpacked sizes.
"""

from __future__ import annotations

import argparse
import lzma
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
APP_ID = "org.bookorbit.BookOrbitDesktop"
sys.path.insert(0, str(PACKAGING))
sys.path.insert(0, str(ROOT))

import check_bundle  # noqa: E402

from bookorbit_desktop import __version__  # noqa: E402


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(work: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--workpath",
            str(work),
            "--distpath",
            str(out),
            str(PACKAGING / "bookorbit-desktop.spec"),
        ],
        check=True,
        # A fixed hash seed: PyInstaller orders base_library.zip by set iteration.
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    return time.perf_counter() - started


def strip_debug(bundle: Path) -> int:
    """Strip the debug information from every library in the bundle; returns how many had it.

    The executable itself is left alone: PyInstaller appends the app's archive to it."""
    stripped = 0
    for path in check_bundle.elf_files(check_bundle.internal(bundle)):
        if path != bundle / "bookorbit-desktop" and check_bundle.has_debug_info(path):
            subprocess.run(["strip", "--strip-debug", str(path)], check=True)
            stripped += 1
    return stripped


def assemble(bundle: Path, stage: Path) -> None:
    """The archive's folder: the app, the installer and what it installs."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    shutil.copytree(bundle, stage / "bookorbit-desktop", symlinks=True)
    share = stage / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(PACKAGING / f"{APP_ID}.desktop", share / "applications")
    (share / "metainfo").mkdir()
    shutil.copy2(PACKAGING / f"{APP_ID}.metainfo.xml", share / "metainfo")
    icons = ROOT / "resources" / "icons"
    shutil.copytree(icons / "hicolor", share / "icons" / "hicolor")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(icons / f"{APP_ID}.svg", scalable)
    shutil.copy2(PACKAGING / "install.sh", stage / "install.sh")
    (stage / "install.sh").chmod(0o755)
    shutil.copy2(PACKAGING / "README-bundle.txt", stage / "README.txt")
    shutil.copy2(ROOT / "README.md", stage / "README.md")
    shutil.copytree(ROOT / "docs", stage / "docs")  # the README's links lead there
    screenshots = PACKAGING / "screenshots"
    if screenshots.is_dir():  # README.md shows them from packaging/screenshots/
        shutil.copytree(screenshots, stage / "packaging" / "screenshots")


def source_date_epoch() -> int | None:
    """The time every archive entry carries: SOURCE_DATE_EPOCH, else the commit's time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    result = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True
    )
    return int(result.stdout) if result.returncode == 0 and result.stdout.strip() else None


def normalise(info: tarfile.TarInfo, mtime: int) -> tarfile.TarInfo:
    """An archive entry that depends only on the file's name, kind and bytes."""
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = mtime
    if info.isdir() or (info.isfile() and info.mode & 0o111):
        info.mode = 0o755
    elif info.isfile():
        info.mode = 0o644
    return info


def xz_filters(machine: str) -> list[dict[str, int]]:
    """xz -9 (about a third smaller than gzip -9 for this bundle), after xz's x86 branch filter
    on an x86 bundle: it writes the targets of calls and jumps as absolute addresses, which
    repeat, so the libraries pack smaller (2.1 MB less for this bundle). Every xz decoder reads
    it (`tar xJf` included)."""
    lzma2 = {"id": lzma.FILTER_LZMA2, "preset": 9}
    return [{"id": lzma.FILTER_X86}, lzma2] if machine in ("x86_64", "AMD64") else [lzma2]


def pack(stage: Path, archive: Path, mtime: int, machine: str | None = None) -> None:
    """`stage` as a .tar.xz (`xz_filters` for this machine's bundle, or `machine`'s).

    tarfile adds a folder's entries in name order, so the bytes depend only on the files."""
    filters = xz_filters(machine or platform.machine())
    with (
        lzma.open(archive, "wb", format=lzma.FORMAT_XZ, filters=filters) as packed,
        tarfile.open(fileobj=packed, mode="w") as tar,
    ):
        tar.add(stage, arcname=stage.name, filter=lambda info: normalise(info, mtime))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="pack the existing build")
    args = parser.parse_args()
    if not sys.platform.startswith("linux"):
        raise SystemExit("make_dist.py packs the Linux bundle; see packaging/README.md")
    work, out, dist = ROOT / "build" / "pyinstaller", ROOT / "build" / "bundle", ROOT / "dist"
    bundle = out / "bookorbit-desktop"
    seconds = None if args.skip_build else build(work, out)
    stripped = strip_debug(bundle)
    problems = check_bundle.check(bundle)
    for problem in problems:
        print(f"check_bundle: {problem}", file=sys.stderr)
    if problems:
        return 1
    name = f"BookOrbitDesktop-{__version__}-linux-{platform.machine()}"
    stage = ROOT / "build" / "stage" / name
    assemble(bundle, stage)
    dist.mkdir(exist_ok=True)
    archive = dist / f"{name}.tar.xz"
    mtime = source_date_epoch()
    if mtime is None:
        print("not a git checkout and no SOURCE_DATE_EPOCH: the archive carries today's time")
        mtime = int(time.time())
    started = time.perf_counter()
    pack(stage, archive, mtime)
    packed = time.perf_counter() - started
    if seconds is not None:
        print(f"build (PyInstaller)      {seconds:7.1f} s")
    print(f"debug info stripped from {stripped:5d} files")
    print(f"pack (tar.xz)            {packed:7.1f} s")
    print(f"unpacked                 {folder_size(stage) / 2**20:7.1f} MiB")
    print(f"packed                   {archive.stat().st_size / 1e6:7.1f} MB  {archive}")
    print(f"needs glibc              {check_bundle.required_glibc(bundle)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
