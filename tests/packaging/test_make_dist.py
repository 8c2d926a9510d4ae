"""What `make dist` does to the built bundle, on small real folders: stripping debug
information, refusing dangling links, and packing the same bytes from the same files."""

from __future__ import annotations

import hashlib
import lzma
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import check_bundle
import make_dist
import pytest

needs_binutils = pytest.mark.skipif(
    not (shutil.which("objcopy") and shutil.which("strip")),
    reason="needs binutils (`make test` installs it as root)",
)


def small_elf(path: Path, *, debug: bool) -> Path:
    """A real ELF file (a copy of /bin/true), with a DWARF section added when `debug`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(shutil.which("true") or "/bin/true", path)
    if debug:
        dwarf = path.parent / "dwarf.bin"
        dwarf.write_bytes(b"\x00" * 4096)
        subprocess.run(["objcopy", "--add-section", f".debug_info={dwarf}", str(path)], check=True)
        dwarf.unlink()
    return path


@needs_binutils
def test_debug_information_is_found_and_stripped(tmp_path):
    bundle = tmp_path / "bookorbit-desktop"
    executable = small_elf(bundle / "bookorbit-desktop", debug=True)
    library = small_elf(bundle / "_internal" / "libexample.so.1", debug=True)
    plain = small_elf(bundle / "_internal" / "PySide6" / "libplain.so", debug=False)
    assert check_bundle.has_debug_info(library) and not check_bundle.has_debug_info(plain)
    assert make_dist.strip_debug(bundle) == 1
    assert not check_bundle.has_debug_info(library)
    # The executable carries the app's archive at its end: never rewritten.
    assert check_bundle.has_debug_info(executable)
    assert make_dist.strip_debug(bundle) == 0


@needs_binutils
def test_check_refuses_debug_information(tmp_path):
    bundle = tmp_path / "bookorbit-desktop"
    small_elf(bundle / "bookorbit-desktop", debug=False)
    small_elf(bundle / "_internal" / "libexample.so.1", debug=True)
    problems = check_bundle.check(bundle)
    assert "_internal/libexample.so.1 carries debug information (strip --strip-debug)" in problems


def test_dangling_and_escaping_links_are_refused(tmp_path):
    bundle = tmp_path / "bookorbit-desktop"
    internal = bundle / "_internal"
    (internal / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (internal / "PySide6" / "Qt" / "lib" / "libQt6Core.so.6").write_bytes(b"core")
    (tmp_path / "outside.so").write_bytes(b"not ours")
    (internal / "libQt6Core.so.6").symlink_to("PySide6/Qt/lib/libQt6Core.so.6")
    (internal / "libQt6EglFsKmsSupport.so.6").symlink_to(
        "PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6"
    )
    (internal / "outside.so").symlink_to("../../outside.so")
    assert check_bundle.broken_links(bundle) == [
        "_internal/libQt6EglFsKmsSupport.so.6 is a dangling link "
        "(to PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6)",
        "_internal/outside.so links outside the bundle (to ../../outside.so)",
    ]


def _stage(root: Path, stamp: float, umask_mode: int) -> Path:
    """The same files, written at another time with other permissions and owner names."""
    stage = root / "BookOrbitDesktop-0.1.0-linux-x86_64"
    app = stage / "bookorbit-desktop"
    (app / "_internal" / "lib").mkdir(parents=True)
    (app / "bookorbit-desktop").write_bytes(b"\x7fELF program")
    (app / "bookorbit-desktop").chmod(0o777 & umask_mode | 0o100)
    (app / "_internal" / "lib" / "libx.so.1").write_bytes(b"library")
    (app / "_internal" / "lib" / "libx.so.1").chmod(0o666 & umask_mode)
    (app / "_internal" / "libx.so.1").symlink_to("lib/libx.so.1")
    (stage / "README.txt").write_text("read me\n")
    (stage / "README.txt").chmod(0o666 & umask_mode)
    for path in [*stage.rglob("*"), stage]:
        if not path.is_symlink():
            os.utime(path, (stamp, stamp))
    return stage


def test_two_packs_of_the_same_files_give_the_same_bytes(tmp_path):
    first = _stage(tmp_path / "a", 1_700_000_000, 0o755)
    second = _stage(tmp_path / "b", 1_800_000_123, 0o775)
    make_dist.pack(first, tmp_path / "a.tar.xz", 1_763_000_000)
    make_dist.pack(second, tmp_path / "b.tar.xz", 1_763_000_000)
    digests = {
        hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        for name in ("a.tar.xz", "b.tar.xz")
    }
    assert len(digests) == 1
    with tarfile.open(tmp_path / "a.tar.xz") as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert {m.mtime for m in members.values()} == {1_763_000_000}
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members.values()} == {(0, 0, "", "")}
    top = "BookOrbitDesktop-0.1.0-linux-x86_64"
    assert members[f"{top}/bookorbit-desktop/bookorbit-desktop"].mode == 0o755
    assert members[f"{top}/README.txt"].mode == 0o644
    assert members[f"{top}/bookorbit-desktop/_internal"].mode == 0o755
    assert members[f"{top}/bookorbit-desktop/_internal/libx.so.1"].linkname == "lib/libx.so.1"
    # A changed file changes the archive: the comparison above can fail.
    (second / "README.txt").write_text("read me too\n")
    make_dist.pack(second, tmp_path / "b.tar.xz", 1_763_000_000)
    assert (tmp_path / "a.tar.xz").read_bytes() != (tmp_path / "b.tar.xz").read_bytes()


@pytest.mark.parametrize(
    ("machine", "first"),
    [("x86_64", lzma.FILTER_X86), ("AMD64", lzma.FILTER_X86), ("aarch64", lzma.FILTER_LZMA2)],
)
def test_an_x86_bundle_packs_its_machine_code_with_the_x86_filter(machine, first):
    filters = make_dist.xz_filters(machine)
    assert filters[0]["id"] == first
    assert filters[-1] == {"id": lzma.FILTER_LZMA2, "preset": 9}


@pytest.mark.skipif(not shutil.which("tar") or not shutil.which("xz"), reason="needs tar and xz")
def test_the_system_s_tar_unpacks_the_archive(tmp_path):
    """The x86 filter is xz's own: the archive unpacks with `tar xJf`, byte for byte."""
    stage = _stage(tmp_path / "in", 1_700_000_000, 0o755)
    small_elf(stage / "bookorbit-desktop" / "_internal" / "libreal.so.1", debug=False)
    make_dist.pack(stage, tmp_path / "a.tar.xz", 1_763_000_000, machine="x86_64")
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["tar", "-xJf", str(tmp_path / "a.tar.xz"), "-C", str(out)], check=True)
    for path in stage.rglob("*"):
        unpacked = out / stage.name / path.relative_to(stage)
        if path.is_file() and not path.is_symlink():
            assert unpacked.read_bytes() == path.read_bytes()


def test_the_archive_time_is_source_date_epoch_or_the_commit_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763000000")
    assert make_dist.source_date_epoch() == 1_763_000_000
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    committed = subprocess.run(
        ["git", "-C", str(make_dist.ROOT), "log", "-1", "--format=%ct"],
        capture_output=True,
        text=True,
    )
    if committed.returncode != 0:
        pytest.skip("the source tree is not a git checkout")
    assert make_dist.source_date_epoch() == int(committed.stdout)
