"""The AppStream metadata software centres show: homepage, screenshots, developer, and what
the app needs from the internet."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
METAINFO = PACKAGING / "org.bookorbit.BookOrbitDesktop.metainfo.xml"


@pytest.fixture(scope="module")
def component() -> ElementTree.Element:
    return ElementTree.parse(METAINFO).getroot()


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_homepage_and_developer_for_old_and_new_tools(component):
    homepage = component.find("url[@type='homepage']")
    assert homepage is not None and urlparse(homepage.text).scheme == "https"
    # AppStream 1.0 reads <developer>; the 0.16 tools of Debian 12 and Ubuntu 22.04 only
    # <developer_name>: both say the same.
    assert component.findtext("developer/name") == component.findtext("developer_name")
    assert component.findtext("developer_name").strip()


def test_screenshots_are_the_shipped_images_with_their_real_sizes(component):
    shots = component.findall("screenshots/screenshot")
    assert len(shots) >= 2
    assert [shot.get("type") for shot in shots].count("default") == 1
    homepage = component.findtext("url[@type='homepage']")
    for shot in shots:
        assert shot.findtext("caption").strip()
        image = shot.find("image")
        assert image.get("type") == "source"
        assert image.text.startswith(homepage.rstrip("/") + "/")
        local = PACKAGING / "screenshots" / PurePosixPath(urlparse(image.text).path).name
        assert local.is_file(), f"{image.text} is not one of packaging/screenshots/"
        assert png_size(local) == (int(image.get("width")), int(image.get("height")))


def test_internet_is_recommended_not_required(component):
    """Everything but Hardcover works offline: the library, the sync server, the catalog."""
    assert component.find("requires/internet") is None
    assert component.find("supports/internet") is None
    assert component.findtext("recommends/internet") == "always"


def test_appstreamcli_accepts_it():
    validator = shutil.which("appstreamcli")
    if validator is None:
        pytest.skip("appstreamcli is not installed (`make test` installs it as root)")
    result = subprocess.run(
        [validator, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
