"""Build the Linux bundle and pack it: `make dist` runs this with the `dist` virtualenv.

    python packaging/make_dist.py [--skip-build]

1. PyInstaller builds the one-folder app from packaging/bookorbit-desktop.spec (timed).
2. check_bundle.py verifies it (system libraries not copied, every link resolvable, glibc).
3. The archive's folder gets the app, install.sh, the desktop entry, the AppStream metadata
   and the icons, and is packed as dist/BookOrbitDesktop-<version>-linux-<arch>.tar.gz.

Prints the build time and the packed and unpacked sizes.
"""

from __future__ import annotations

import argparse
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
    )
    return time.perf_counter() - started


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
    screenshots = PACKAGING / "screenshots"
    if screenshots.is_dir():  # README.md shows them from packaging/screenshots/
        shutil.copytree(screenshots, stage / "packaging" / "screenshots")


def pack(stage: Path, archive: Path) -> None:
    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(archive, "w:gz", compresslevel=9) as tar:
        tar.add(stage, arcname=stage.name, filter=normalise)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="pack the existing build")
    args = parser.parse_args()
    if not sys.platform.startswith("linux"):
        raise SystemExit("make_dist.py packs the Linux bundle; see packaging/README.md")
    work, out, dist = ROOT / "build" / "pyinstaller", ROOT / "build" / "bundle", ROOT / "dist"
    bundle = out / "bookorbit-desktop"
    seconds = None if args.skip_build else build(work, out)
    problems = check_bundle.check(bundle)
    for problem in problems:
        print(f"check_bundle: {problem}", file=sys.stderr)
    if problems:
        return 1
    name = f"BookOrbitDesktop-{__version__}-linux-{platform.machine()}"
    stage = ROOT / "build" / "stage" / name
    assemble(bundle, stage)
    dist.mkdir(exist_ok=True)
    archive = dist / f"{name}.tar.gz"
    started = time.perf_counter()
    pack(stage, archive)
    packed = time.perf_counter() - started
    if seconds is not None:
        print(f"build (PyInstaller)      {seconds:7.1f} s")
    print(f"pack (tar.gz -9)         {packed:7.1f} s")
    print(f"unpacked                 {folder_size(stage) / 2**20:7.1f} MiB")
    print(f"packed                   {archive.stat().st_size / 1e6:7.1f} MB  {archive}")
    print(f"needs glibc              {check_bundle.required_glibc(bundle)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
