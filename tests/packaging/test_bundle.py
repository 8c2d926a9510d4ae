"""The packed Linux bundle, run as a user would: unpacked, installed, started headlessly.

`make check-dist` runs this file with BOOKORBIT_DIST_ARCHIVE set to the archive `make dist`
made (CI does both after `make test`). Without an archive every test here is skipped.
"""

from __future__ import annotations

import base64
import configparser
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import check_bundle
import pytest

from tests.factories import make_epub
from tests.fakes.clock import SystemClock
from tests.fakes.hardcover_catalog import Catalog
from tests.fakes.hardcover_server import FakeHardcover, ThreadedFakeHardcover

ARCHIVE = os.environ.get("BOOKORBIT_DIST_ARCHIVE")
REPO = Path(__file__).resolve().parents[2]
APP_ID = "org.bookorbit.BookOrbitDesktop"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)

pytestmark = pytest.mark.skipif(
    not ARCHIVE, reason="no bundle to check: run `make dist` then `make check-dist`"
)


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    """The archive unpacked into a fresh folder, as a user's file manager would."""
    assert ARCHIVE and Path(ARCHIVE).is_file(), f"{ARCHIVE} does not exist"
    target = tmp_path_factory.mktemp("download")
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(target, filter="tar")
    (folder,) = target.iterdir()
    assert folder.name == Path(ARCHIVE).name.removesuffix(".tar.xz")
    return folder


def test_the_download_is_at_most_50_mb():
    assert Path(ARCHIVE).stat().st_size <= 50_000_000


def test_the_unpacked_bundle_passes_the_build_checks(unpacked):
    """Stripped, no dangling link, nothing from the system, glibc: as check_bundle.py says."""
    assert check_bundle.check(unpacked / "bookorbit-desktop") == []


def test_every_entry_has_the_same_time_and_no_owner():
    """What makes two builds of one commit give the same bytes (make_dist.normalise)."""
    with tarfile.open(ARCHIVE) as tar:
        members = tar.getmembers()
    assert len({member.mtime for member in members}) == 1
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}
    assert {m.mode for m in members if not m.issym()} <= {0o644, 0o755}


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A user's environment: no display, no test keyring, no Python paths of ours."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "BOOKORBIT_", "QT_", "XDG_", "VIRTUAL_ENV"))
        and key not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
    }
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(tmp_path), **extra)
    return env


def run(exe: Path, *args: str, env: dict[str, str], stdin: str | None = None):
    return subprocess.run(
        [str(exe), *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_version(unpacked, tmp_path):
    result = run(
        unpacked / "bookorbit-desktop" / "bookorbit-desktop", "--version", env=clean_env(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"bookorbit-desktop {Path(ARCHIVE).name.split('-')[1]}"


def test_import_and_list_a_generated_epub(unpacked, tmp_path):
    exe = unpacked / "bookorbit-desktop" / "bookorbit-desktop"
    book = make_epub(tmp_path / "books" / "piranesi.epub", "Piranesi", ["Susanna Clarke"])
    env = clean_env(tmp_path)
    data = tmp_path / "data"
    imported = run(exe, "--data-dir", str(data), "import", str(book), env=env)
    assert imported.returncode == 0, imported.stderr
    listed = run(exe, "--data-dir", str(data), "books", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)
    assert entry["title"] == "Piranesi"


def test_uses_the_same_data_folders_as_the_python_app(unpacked, tmp_path):
    env = clean_env(tmp_path)
    about = run(unpacked / "bookorbit-desktop" / "bookorbit-desktop", "about", "--json", env=env)
    assert about.returncode == 0, about.stderr
    facts = json.loads(about.stdout)
    home = Path(env["HOME"])
    assert facts["runs_as"] == "bundle"
    assert facts["data_dir"] == str(home / ".local" / "share" / "bookorbit-desktop")
    assert facts["log_dir"] == str(home / ".local" / "state" / "bookorbit-desktop" / "log")
    assert Path(facts["resources"]).is_relative_to(unpacked / "bookorbit-desktop")


@pytest.fixture
def serving(unpacked, tmp_path) -> Iterator[tuple[int, str]]:
    """`serve` from the bundle on 127.0.0.1 with a sync account; yields (port, password)."""
    exe = unpacked / "bookorbit-desktop" / "bookorbit-desktop"
    env = clean_env(tmp_path, PYTHONUNBUFFERED="1")
    data = tmp_path / "data"
    made = run(
        exe, "--data-dir", str(data), "kosync", "set-user", "reader", "--password-stdin",
        env=env, stdin="correct horse\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    server = subprocess.Popen(
        [str(exe), "--data-dir", str(data), "serve", "--host", "127.0.0.1", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = server.stdout.readline()
        assert first.startswith("Listening on 127.0.0.1 port "), first + server.stderr.read()
        yield int(first.split()[4].rstrip(".")), "correct horse"
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode == 0
    assert "Traceback" not in server.stderr.read()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_serve_answers_kosync_and_an_authenticated_opds_root(serving):
    port, password = serving
    status, body = get(f"http://127.0.0.1:{port}/kosync/healthcheck")
    assert (status, json.loads(body)) == (200, {"state": "OK"})
    assert get(f"http://127.0.0.1:{port}/opds")[0] == 401
    basic = base64.b64encode(f"reader:{password}".encode()).decode()
    status, body = get(f"http://127.0.0.1:{port}/opds", {"Authorization": f"Basic {basic}"})
    assert status == 200
    assert b"<feed" in body and b"http://www.w3.org/2005/Atom" in body


def test_without_a_display_the_app_explains_instead_of_crashing(unpacked, tmp_path):
    exe = unpacked / "bookorbit-desktop" / "bookorbit-desktop"
    result = run(exe, "--data-dir", str(tmp_path / "data"), "gui", env=clean_env(tmp_path))
    assert result.returncode == 2
    assert "No display: No graphical desktop was found" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="needs dbus-run-session and gnome-keyring (`make test` installs them as root)",
)
def test_bundle_and_python_app_share_the_keyring_and_the_library(unpacked, tmp_path):
    """The bundle connects Hardcover (its GraphQL documents load from inside it) through the
    Secret Service; the Python app then finds that token and the books the bundle imported."""
    exe = unpacked / "bookorbit-desktop" / "bookorbit-desktop"
    book = make_epub(
        tmp_path / "books" / "left-hand.epub", "The Left Hand of Darkness", ["Le Guin"]
    )
    catalog = Catalog()
    token = catalog.add_token(catalog.add_user("reader"))
    catalog.add_book("The Left Hand of Darkness", authors=["Ursula K. Le Guin"], users_count=4321)
    (tmp_path / "token.txt").write_text(token)
    steps = [
        f'"{exe}" about --json > about.json',
        f'"{exe}" import "{book}" > /dev/null',
        f'"{exe}" hardcover connect --token-stdin < token.txt > connect.txt',
        f'"{exe}" hardcover search left hand > search.txt',
        f'"{sys.executable}" -m bookorbit_desktop hardcover status --json > status.json',
        f'"{sys.executable}" -m bookorbit_desktop books --json > books.json',
    ]
    shell = (
        "echo -n throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null && "
        + " && ".join(steps)
    )
    with ThreadedFakeHardcover(FakeHardcover(catalog, clock=SystemClock())) as server:
        env = clean_env(tmp_path, BOOKORBIT_HARDCOVER_URL=server.url, PYTHONPATH=str(REPO))
        result = subprocess.run(
            ["dbus-run-session", "--", "sh", "-c", shell],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert result.returncode == 0, result.stderr
    about = json.loads((tmp_path / "about.json").read_text())
    assert about["keyring"] == "keyring.backends.SecretService.Keyring"
    assert (tmp_path / "connect.txt").read_text().strip() == "Connected to Hardcover as reader."
    assert "The Left Hand of Darkness — Ursula K. Le Guin" in (tmp_path / "search.txt").read_text()
    status = json.loads((tmp_path / "status.json").read_text())
    assert status["connected"] and status["username"] == "reader"
    (listed,) = json.loads((tmp_path / "books.json").read_text())
    assert listed["title"] == "The Left Hand of Darkness"


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


# Indexes the desktop's own tools rebuild for every app; not something install.sh installs.
CACHES = ("mimeinfo.cache", "icon-theme.cache")


def user_files(home: Path) -> set[str]:
    return {
        str(p.relative_to(home))
        for p in home.rglob("*")
        if (p.is_file() or p.is_symlink()) and p.name not in CACHES
    }


def test_install_puts_the_app_in_the_menu_and_uninstall_removes_exactly_that(unpacked, tmp_path):
    # A home folder with a space in its name, as many people have.
    env = clean_env(tmp_path)
    home = Path(env["HOME"]) / "Ann Reader"
    home.mkdir()
    env["HOME"] = str(home)
    library = home / ".local" / "share" / "bookorbit-desktop" / "library.sqlite3"
    library.parent.mkdir(parents=True)
    library.write_bytes(b"the user's library, never touched")
    before = user_files(home)

    installed = subprocess.run(
        [str(unpacked / "install.sh")], env=env, capture_output=True, text=True, timeout=300
    )
    assert installed.returncode == 0, installed.stderr
    share = home / ".local" / "share"
    entry_file = share / "applications" / f"{APP_ID}.desktop"
    entry = desktop_entry(entry_file)
    exe = home / ".local" / "opt" / "bookorbit-desktop" / "bookorbit-desktop"
    assert entry["TryExec"] == str(exe)
    assert entry["Exec"] == f'"{exe}" gui'
    assert os.access(exe, os.X_OK)
    assert (home / ".local" / "bin" / "bookorbit-desktop").resolve() == exe
    for size in ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    for command in (
        ["desktop-file-validate", str(entry_file)],
        ["appstreamcli", "validate", "--no-net", str(metainfo)],
    ):
        if shutil.which(command[0]) is None:
            pytest.fail(f"{command[0]} is missing (`make test` installs it as root)")
        checked = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    # The installed copy runs on its own (the download may be deleted).
    assert run(exe, "--version", env=env).returncode == 0

    removed = subprocess.run(
        [str(unpacked / "install.sh"), "--uninstall"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert removed.returncode == 0, removed.stderr
    assert user_files(home) == before
    assert library.read_bytes() == b"the user's library, never touched"
    assert not (home / ".local" / "opt" / "bookorbit-desktop").exists()


def test_the_readme_links_lead_to_files_in_the_download(unpacked):
    from tests.test_docs_links import local_targets

    documents = [unpacked / "README.md", *sorted((unpacked / "docs").glob("*.md"))]
    assert len(documents) > 1  # the docs the README links to came along
    for document in documents:
        for target in local_targets(document.read_text(encoding="utf-8")):
            assert (document.parent / target).exists(), f"{document.name}: {target}"
