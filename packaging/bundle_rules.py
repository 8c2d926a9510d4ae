"""What goes into the Linux bundle: the rules the spec applies and `check_bundle.py` verifies.

Plain functions over file names, so they are tested with tables (tests/packaging/). Four rules:

1. Qt plugins the app never loads are left out (console platforms, the GTK3 theme, which pulls
   in GTK, GLib, cairo and pango, TLS and network-information backends, image formats nobody
   shows). Qt's own translations are left out: the app's text is English.
2. Libraries every Linux desktop already has (`SYSTEM_LIBRARIES`: libc's friends, libstdc++,
   X11/xcb, fontconfig, GLib, D-Bus, GL...) are used from the system, never copied: a copy
   from the build machine would demand the build machine's glibc and clash with the desktop's
   own. Libraries a desktop may lack in the version Qt or Python needs (OpenSSL 3, libffi 8,
   SQLite, the xcb-util family Qt 6.5+ requires, Kerberos for QtNetwork) are bundled.
3. Of the remaining libraries, only those something kept actually links to stay (`reachable`),
   so dropping a plugin drops its dependencies too.
4. A symbolic link PyInstaller made to a library that was left out goes too (`linked_entries`):
   a dangling link is a broken file in the download.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

QT_PLUGINS = "PySide6/Qt/plugins/"

# Plugin folders or single plugins (path under plugins/) that are left out.
DROPPED_PLUGINS = (
    "egldeviceintegrations/",
    "generic/",
    "networkinformation/",
    "tls/",
    "platformthemes/libqgtk3.so",
    "platforms/libqeglfs.so",
    "platforms/libqlinuxfb.so",
    "platforms/libqminimal.so",
    "platforms/libqminimalegl.so",
    "platforms/libqvkkhrdisplay.so",
    "platforms/libqvnc.so",
    "imageformats/libqicns.so",
    "imageformats/libqtga.so",
    "imageformats/libqtiff.so",
    "imageformats/libqwbmp.so",
    "imageformats/libqwebp.so",
    "imageformats/libqpdf.so",
    "wayland-graphics-integration-client/libdmabuf-server.so",
    "wayland-graphics-integration-client/libdrm-egl-server.so",
    "wayland-graphics-integration-client/libshm-emulation-server.so",
    "wayland-graphics-integration-client/libvulkan-server.so",
    "wayland-shell-integration/libfullscreen-shell-v1.so",
    "wayland-shell-integration/libivi-shell.so",
    "wayland-shell-integration/libwl-shell-plugin.so",
)

DROPPED_DATA = ("PySide6/Qt/translations/",)

# Python extension modules the app never imports (a terminal line editor, curses, Tk and
# Pillow's Tk bridge and its colour management, ImageCms, with lcms2), and Pillow's AVIF codec
# (5 MB with its library): covers from ebooks and the metadata sources are JPEG, PNG, GIF or
# WebP; an AVIF cover is refused as unreadable.
DROPPED_EXTENSIONS = ("readline.", "_curses", "_tkinter", "_imagingtk", "_imagingcms", "_avif")

# Sonames (without the version) taken from the target system. Patterns are whole-name regexes.
SYSTEM_LIBRARIES = tuple(
    re.compile(pattern)
    for pattern in (
        r"ld-linux.*",
        r"lib(c|m|dl|pthread|rt|util|resolv|anl|nsl)",
        r"libstdc\+\+",
        r"libgcc_s",
        r"libexpat",
        r"libz",
        r"libX11(-xcb)?",
        r"libX(au|dmcp|ext|render|i|fixes|cursor|randr|inerama|composite|damage|rr|tst)",
        # libxcb and its protocol extensions ship together; the xcb-util family does not.
        r"libxcb(-(dri2|dri3|glx|present|randr|render|shape|shm|sync|xfixes|xinerama|xinput|xkb))?",
        r"libxkbcommon(-x11)?",
        r"libfontconfig",
        r"libfreetype",
        r"libpng16",
        r"libharfbuzz",
        r"libbrotli(common|dec|enc)",
        r"libgraphite2",
        r"lib(glib|gobject|gio|gmodule|gthread)-2\.0",
        r"libpcre2-8",
        r"libdbus-1",
        r"libsystemd",
        r"libudev",
        r"libgcrypt",
        r"libgpg-error",
        r"liblz4",
        r"libzstd",
        r"libcap",
        r"libselinux",
        r"libmount",
        r"libblkid",
        r"libuuid",
        r"libbsd",
        r"libmd",
        r"libwayland-(client|cursor|egl)",
        r"lib(EGL|GL|GLX|GLdispatch|OpenGL|gbm|drm)",
    )
)

_SONAME_VERSION = re.compile(r"\.so(\.\d+)*$")


def soname_stem(name: str) -> str:
    """`libstdc++.so.6` -> `libstdc++`; `libxcb-icccm.so.4` -> `libxcb-icccm`."""
    return _SONAME_VERSION.sub("", PurePosixPath(name).name)


def is_system_library(name: str) -> bool:
    """True for a library the target desktop provides (so the bundle must not carry one)."""
    stem = soname_stem(name)
    return any(pattern.fullmatch(stem) for pattern in SYSTEM_LIBRARIES)


def keep_plugin_or_module(destination: str) -> bool:
    """False for a dropped Qt plugin, Qt translation or unused Python extension."""
    path = destination.replace("\\", "/")
    if path.startswith(QT_PLUGINS):
        plugin = path[len(QT_PLUGINS) :]
        return not any(
            plugin == d or (d.endswith("/") and plugin.startswith(d)) for d in DROPPED_PLUGINS
        )
    if any(path.startswith(prefix) for prefix in DROPPED_DATA):
        return False
    name = PurePosixPath(path).name
    return not (".cpython-" in name and name.startswith(DROPPED_EXTENSIONS))


def is_shared_library(destination: str) -> bool:
    """A plain shared library (linked by others), as opposed to an extension or a plugin."""
    path = PurePosixPath(destination.replace("\\", "/"))
    return (
        path.name.startswith("lib")
        and ".so" in path.name
        and ".cpython-" not in path.name
        and ".abi3." not in path.name
        and not str(path).startswith(QT_PLUGINS)
    )


def reachable(roots: Iterable[str], needed: Mapping[str, Iterable[str]]) -> set[str]:
    """Every library name reached from `roots` by following `needed` (name -> its NEEDED)."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        for dependency in needed.get(name, ()):
            if dependency not in seen:
                seen.add(dependency)
                todo.append(dependency)
    return seen


def select_binaries(
    entries: Iterable[tuple[str, str]], needed: Mapping[str, Iterable[str]]
) -> list[tuple[str, str]]:
    """The (destination, source) pairs to bundle, after all three rules.

    `needed` maps a destination's file name to the sonames it links (its NEEDED entries)."""
    kept = [
        (dest, src)
        for dest, src in entries
        if keep_plugin_or_module(dest) and not is_system_library(PurePosixPath(dest).name)
    ]
    # The executable loads libpython itself; everything else is an extension or a plugin.
    roots = [
        PurePosixPath(dest).name
        for dest, _ in kept
        if not is_shared_library(dest) or PurePosixPath(dest).name.startswith("libpython")
    ]
    linked = reachable(roots, needed) | set(roots)
    return [
        (dest, src)
        for dest, src in kept
        if not is_shared_library(dest) or PurePosixPath(dest).name in linked
    ]


def link_target(destination: str, target: str) -> str:
    """Where a link at `destination` pointing to `target` (relative to its folder) leads."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(destination), target))


def linked_entries(
    entries: Iterable[tuple[str, str, str]], kept: Iterable[str]
) -> list[tuple[str, str, str]]:
    """The (destination, source, kind) entries without the SYMLINK ones whose target is not
    among `kept` destinations (or another kept link, followed to its end)."""
    entries = list(entries)
    links = {dest: link_target(dest, src) for dest, src, kind in entries if kind == "SYMLINK"}
    present = set(kept)

    def resolves(dest: str) -> bool:
        seen = set()
        while dest in links and dest not in seen:
            seen.add(dest)
            dest = links[dest]
        return dest in present and dest not in links

    return [entry for entry in entries if entry[2] != "SYMLINK" or resolves(entry[0])]


def read_needed(path: str) -> list[str]:
    """The NEEDED entries of an ELF file, read with binutils' objdump (PyInstaller needs it too).

    A file that is not ELF (a data file, a symlink's text) needs nothing."""
    import subprocess

    result = subprocess.run(["objdump", "-p", path], capture_output=True, text=True, check=False)
    return [
        line.split()[1] for line in result.stdout.splitlines() if line.strip().startswith("NEEDED")
    ]
