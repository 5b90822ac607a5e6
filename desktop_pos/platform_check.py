"""Before Qt starts: is there a screen to draw on? Qt itself would abort with a core dump."""

from __future__ import annotations

import ctypes.util
import os
import sys

# Libraries Qt's xcb platform plugin loads on Linux, with the Debian package that has each.
_XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "X11-xcb": "libx11-xcb1",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
}


def display_problem(
    environ: dict[str, str] | None = None, platform: str | None = None
) -> str | None:
    """A message saying what to do when Qt cannot show a window, else None."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa and not qpa.startswith("xcb"):
        return None
    if not qpa and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return (
            "desktop-pos: no screen found (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "Start it from a desktop session, or on a machine without a screen run it under a\n"
            "virtual one: xvfb-run -a -s '-screen 0 1280x800x24' desktop-pos --demo\n"
            "(headless checks: desktop-pos selftest, or set QT_QPA_PLATFORM=offscreen)."
        )
    missing = sorted(
        {pkg for lib, pkg in _XCB_LIBRARIES.items() if not ctypes.util.find_library(lib)}
    )
    if missing:
        return (
            "desktop-pos: Qt needs system libraries that are missing. Install them with:\n"
            f"  sudo apt-get install -y {' '.join(missing)}"
        )
    return None
