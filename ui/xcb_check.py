"""Before Qt starts on X11: are the system libraries of Qt's xcb platform plugin there?

Since Qt 6.5 the xcb plugin needs libraries that many desktops do not install
(``libxcb-cursor0`` first).  Without them Qt prints "could not load the Qt platform
plugin xcb" and aborts the process.  :func:`xcb_problem` tries to load each library
(one ``dlopen`` each, well under a millisecond when they are there: Qt loads them next
anyway) and, when some are missing, returns a message with the one command that installs
them on this system (apt-get, dnf, zypper or pacman, read from ``/etc/os-release``).

No Qt import here: this runs before PySide6 is loaded.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

#: The libraries the xcb plugin loads that desktops often lack, with their packages:
#: soname -> (Debian/Ubuntu and openSUSE, Fedora, Arch).
XCB_LIBRARIES: dict[str, tuple[str, str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil",
                                "xcb-util-renderutil"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11", "libxkbcommon-x11"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb", "libxcb"),
}

#: os-release ID (or ID_LIKE) -> (install command, column of XCB_LIBRARIES).
_INSTALLERS: dict[str, tuple[str, int]] = {
    "debian": ("sudo apt-get install", 0), "ubuntu": ("sudo apt-get install", 0),
    "fedora": ("sudo dnf install", 1), "rhel": ("sudo dnf install", 1),
    "centos": ("sudo dnf install", 1),
    "suse": ("sudo zypper install", 0), "opensuse": ("sudo zypper install", 0),
    "arch": ("sudo pacman -S --needed", 2),
}


def uses_xcb(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """True when Qt will start its xcb plugin: Linux, an X display, and neither another
    platform asked for (offscreen, wayland...) nor a Wayland session left to choose."""
    if not platform.startswith("linux") or not environ.get("DISPLAY"):
        return False
    asked = environ.get("QT_QPA_PLATFORM", "").strip().lower()
    if asked:
        return asked.split(";")[0].split(":")[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def missing_libraries(names: Iterable[str] = XCB_LIBRARIES,
                      load: Callable[[str], object] = ctypes.CDLL) -> list[str]:
    """The libraries of ``names`` that the dynamic loader cannot load."""
    missing = []
    for name in names:
        try:
            load(name)
        except OSError:
            missing.append(name)
    return missing


def _os_release(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip('"').strip("'")
    return fields


def install_command(missing: Iterable[str],
                    os_release: Path = Path("/etc/os-release")) -> str:
    """The command that installs the packages of ``missing`` libraries on this system
    (apt-get names when the system is not recognised)."""
    fields = _os_release(os_release)
    ids = [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]
    command, column = next((_INSTALLERS[i] for i in ids if i in _INSTALLERS),
                           _INSTALLERS["debian"])
    packages = dict.fromkeys(XCB_LIBRARIES[name][column] for name in missing
                             if name in XCB_LIBRARIES)
    return f"{command} {' '.join(packages)}"


def xcb_problem(environ: Mapping[str, str] = os.environ,
                load: Callable[[str], object] = ctypes.CDLL,
                os_release: Path = Path("/etc/os-release"),
                platform: str = sys.platform) -> str | None:
    """The message to show instead of Qt's abort, or None when all is well (or Qt will
    not use xcb at all)."""
    if not uses_xcb(environ, platform):
        return None
    missing = missing_libraries(XCB_LIBRARIES, load)
    if not missing:
        return None
    return ("Protocol Desk cannot open its window: the X11 (xcb) display needs system "
            f"libraries that are not installed: {', '.join(missing)}.\n"
            f"Install them with:\n\n    {install_command(missing, os_release)}\n\n"
            "then start Protocol Desk again.")
