"""What the bundle carries: the rules applied by the spec, as tables."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import bundle_rules
import pytest
from bundle_rules import (
    is_shared_library,
    is_system_library,
    keep_plugin_or_module,
    link_target,
    linked_entries,
    reachable,
    select_binaries,
    soname_stem,
)

HOOK = Path(bundle_rules.__file__).parent / "runtime_hooks" / "ca_certificates.py"


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("libstdc++.so.6", "libstdc++"),
        ("libxcb-icccm.so.4", "libxcb-icccm"),
        ("libQt6Core.so.6", "libQt6Core"),
        ("libpython3.11.so.1.0", "libpython3.11"),
        ("libglib-2.0.so.0", "libglib-2.0"),
        ("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", "libz"),
    ],
)
def test_soname_stem(name, stem):
    assert soname_stem(name) == stem


@pytest.mark.parametrize(
    ("name", "system"),
    [
        # The trial build copied these from the build machine: they pinned its glibc.
        ("libstdc++.so.6", True),
        ("libexpat.so.1", True),
        ("libgcc_s.so.1", True),
        ("libc.so.6", True),
        ("libX11.so.6", True),
        ("libX11-xcb.so.1", True),
        ("libxcb.so.1", True),
        ("libxcb-randr.so.0", True),
        ("libglib-2.0.so.0", True),
        ("libfontconfig.so.1", True),
        ("libEGL.so.1", True),
        ("libdbus-1.so.3", True),
        # Not on every desktop in the version needed: bundled.
        ("libxcb-cursor.so.0", False),
        ("libxcb-icccm.so.4", False),
        ("libxcb-util.so.1", False),
        ("libssl.so.3", False),
        ("libffi.so.8", False),
        ("libsqlite3.so.0", False),
        ("libgssapi_krb5.so.2", False),
        ("libQt6Core.so.6", False),
        ("libpython3.11.so.1.0", False),
        # A wheel's own renamed copy is never the system's.
        ("libxcb-9065bb12.so.1.1.0", False),
        ("libzstd-40ad5e7e.so.1.5.7", False),
    ],
)
def test_system_libraries(name, system):
    assert is_system_library(name) is system


@pytest.mark.parametrize(
    ("destination", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", False),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", True),
        ("PySide6/Qt/plugins/wayland-shell-integration/libivi-shell.so", False),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("python3.11/lib-dynload/readline.cpython-311-x86_64-linux-gnu.so", False),
        ("python3.11/lib-dynload/_curses.cpython-311-x86_64-linux-gnu.so", False),
        ("PIL/_avif.cpython-311-x86_64-linux-gnu.so", False),
        ("PIL/_imagingtk.cpython-311-x86_64-linux-gnu.so", False),
        ("PIL/_imagingcms.cpython-311-x86_64-linux-gnu.so", False),
        ("PIL/_imagingft.cpython-311-x86_64-linux-gnu.so", True),  # generated covers' text
        ("PIL/_webp.cpython-311-x86_64-linux-gnu.so", True),
        ("python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", True),
        ("libQt6Core.so.6", True),
        ("bookorbit_desktop/hardcover/api/operations/Me.graphql", True),
    ],
)
def test_plugins_translations_and_modules(destination, kept):
    assert keep_plugin_or_module(destination) is kept


@pytest.mark.parametrize(
    ("destination", "shared"),
    [
        ("libQt6Core.so.6", True),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),
        ("libssl.so.3", True),
        ("PySide6/QtCore.abi3.so", False),
        ("python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
    ],
)
def test_shared_libraries_versus_extensions_and_plugins(destination, shared):
    assert is_shared_library(destination) is shared


def test_reachable_follows_links_and_survives_cycles():
    needed = {"a": ["b"], "b": ["c", "a"], "c": [], "x": ["y"]}
    assert reachable(["a"], needed) == {"a", "b", "c"}
    assert reachable(["c"], needed) == set()


def test_a_dropped_plugin_takes_its_private_libraries_with_it():
    entries = [
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/s/libqgtk3.so"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/libqxcb.so"),
        ("libgtk-3.so.0", "/usr/lib/libgtk-3.so.0"),
        ("libpango-1.0.so.0", "/usr/lib/libpango-1.0.so.0"),
        ("libQt6XcbQpa.so.6", "/s/libQt6XcbQpa.so.6"),
        ("libxcb-cursor.so.0", "/usr/lib/libxcb-cursor.so.0"),
        ("libstdc++.so.6", "/usr/lib/libstdc++.so.6"),
        ("libpython3.11.so.1.0", "/p/libpython3.11.so.1.0"),
        ("libffi.so.8", "/usr/lib/libffi.so.8"),
        ("python3.11/lib-dynload/_ctypes.cpython-311-x86_64-linux-gnu.so", "/p/_ctypes.so"),
    ]
    needed = {
        "libqgtk3.so": ["libgtk-3.so.0", "libQt6XcbQpa.so.6"],
        "libgtk-3.so.0": ["libpango-1.0.so.0"],
        "libqxcb.so": ["libQt6XcbQpa.so.6"],
        "libQt6XcbQpa.so.6": ["libxcb-cursor.so.0", "libstdc++.so.6"],
        "_ctypes.cpython-311-x86_64-linux-gnu.so": ["libffi.so.8"],
    }
    kept = {Path(dest).name for dest, _ in select_binaries(entries, needed)}
    assert kept == {
        "libqxcb.so",
        "libQt6XcbQpa.so.6",
        "libxcb-cursor.so.0",
        "libpython3.11.so.1.0",
        "libffi.so.8",
        "_ctypes.cpython-311-x86_64-linux-gnu.so",
    }


@pytest.mark.parametrize(
    ("destination", "target", "leads_to"),
    [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6"),
        ("PySide6/libx.so", "../pillow.libs/libx.so", "pillow.libs/libx.so"),
        ("a/b/c.so", "./c.so.1", "a/b/c.so.1"),
    ],
)
def test_link_target(destination, target, leads_to):
    assert link_target(destination, target) == leads_to


def test_links_to_libraries_left_out_are_left_out_too():
    # PyInstaller links Qt's libraries into the top folder; three of them were dropped.
    entries = [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6EglFsKmsSupport.so.6", "PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6", "SYMLINK"),
        ("libchain.so", "libQt6Core.so.6", "SYMLINK"),  # a link to a kept link
        ("libloop.so", "libloop.so", "SYMLINK"),
        ("resources/icon.png", "/src/icon.png", "DATA"),
    ]
    kept = {"PySide6/Qt/lib/libQt6Core.so.6", "resources/icon.png"}
    assert [dest for dest, _, _ in linked_entries(entries, kept)] == [
        "libQt6Core.so.6",
        "libchain.so",
        "resources/icon.png",
    ]


def load_hook():
    spec = importlib.util.spec_from_file_location("ca_certificates", HOOK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # not frozen: it only defines its function
    return module


@pytest.mark.parametrize(
    ("environ", "default", "present", "chosen"),
    [
        ({}, "/usr/lib/ssl/cert.pem", {"/usr/lib/ssl/cert.pem"}, None),  # Debian: works as is
        ({}, "/usr/lib/ssl/cert.pem", {"/etc/pki/tls/certs/ca-bundle.crt"}, "fedora"),
        ({}, None, {"/etc/ssl/ca-bundle.pem"}, "/etc/ssl/ca-bundle.pem"),
        ({"SSL_CERT_FILE": "/mine.pem"}, "/nope", {"/etc/ssl/cert.pem"}, None),
        ({"SSL_CERT_DIR": "/certs"}, "/nope", {"/etc/ssl/cert.pem"}, None),
        ({}, "/nope", set(), None),  # nothing found: OpenSSL's own error is the honest one
    ],
)
def test_the_bundle_finds_this_systems_ca_certificates(environ, default, present, chosen):
    hook = load_hook()
    expected = "/etc/pki/tls/certs/ca-bundle.crt" if chosen == "fedora" else chosen
    assert hook.choose_ca_file(environ, default, exists=present.__contains__) == expected
