"""The Debian packages Qt needs to open a window, checked before Qt is started.

When its platform plugin cannot load, Qt aborts the whole process with "From 6.5.0,
xcb-cursor0 or libxcb-cursor0 is needed", whatever library is really missing (a
minimal Debian 12 lacks ten). Loading the plugin here first, with ctypes, turns that
into a message with the one ``apt-get`` line that installs everything missing.

Nothing here imports Qt: it runs before PySide6 is imported. The package lists are
the ones the Makefile installs (``QT_DEBS`` and ``QT_DISPLAY_DEBS``), measured on a
minimal Debian 12 (``debootstrap --variant=minbase``) under Xvfb.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path

# Every platform, offscreen included: what PySide6's QtGui and QtWidgets link to.
CORE_LIBRARIES: Mapping[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libdbus-1.so.3": "libdbus-1-3",
}
# What Qt's xcb plugin (libqxcb.so, and libQt6XcbQpa it loads) links to beyond the
# core set; the rest of X11 (libxcb1, libx11-6, ...) comes with libgl1.
XCB_LIBRARIES: Mapping[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def missing_packages(libraries: Mapping[str, str]) -> list[str]:
    """The packages (in table order, once each) whose library cannot be loaded.

    Args:
        libraries: Shared-library file name (soname) to the Debian package holding it.
    """
    missing: list[str] = []
    for soname, package in libraries.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            if package not in missing:
                missing.append(package)
    return missing


def apt_line(packages: list[str]) -> str:
    """The command a user runs to install ``packages``."""
    return "sudo apt-get install -y " + " ".join(packages)


def uses_xcb(environ: Mapping[str, str]) -> bool:
    """Whether Qt will open its window through the xcb plugin (X11 or XWayland).

    That is Qt's default on Linux and what ``QT_QPA_PLATFORM=xcb`` asks for; other
    platforms (offscreen, wayland, ...) are left to Qt.
    """
    if not sys.platform.startswith("linux"):
        return False
    platform = environ.get("QT_QPA_PLATFORM", "").strip()
    if not platform:
        # A Wayland session runs Qt's wayland plugin first; it reports its own errors.
        return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")
    return platform.split(";")[0].split(":")[0] == "xcb"


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin, or None if it is not where a wheel puts it."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec and spec.submodule_search_locations) or ():
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def xcb_problem(plugin: Path | None, libraries: Mapping[str, str] = XCB_LIBRARIES) -> str | None:
    """Why ``plugin`` cannot load, with the packages to install; None if it loads.

    The plugin itself is loaded, not only the listed libraries, so a build that
    bundles them (PyInstaller) passes, and a library missing from the table is
    still reported by name.
    """
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        reason = str(error).removeprefix(f"{plugin}: ")
        packages = missing_packages({**CORE_LIBRARIES, **libraries})
        install = (
            f"On Debian or Ubuntu, install what it needs:\n  {apt_line(packages)}\n"
            if packages
            else "Install the package that provides that library.\n"
        )
        return f"Qt cannot open the window on this display: {reason}\n{install}"
    return None


def startup_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """A message for the user if Qt's window cannot open here, else None."""
    environ = os.environ if environ is None else environ
    if not uses_xcb(environ):
        return None
    return xcb_problem(xcb_plugin())


def import_error_message(error: ImportError) -> str:
    """The message for PySide6 failing to import (a core library missing)."""
    packages = missing_packages(CORE_LIBRARIES) or list(dict.fromkeys(CORE_LIBRARIES.values()))
    return (
        f"Qt cannot start: {error}\n"
        f"On Debian or Ubuntu, install what it needs:\n  {apt_line(packages)}\n"
    )
