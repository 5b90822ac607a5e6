"""Before Qt starts: is there a screen to draw on? Qt itself would abort with a core dump."""

from __future__ import annotations

import os
import sys

# Libraries Qt's xcb platform plugin loads on Linux (by soname), with the Debian package of each.
_XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
}


def _loadable(soname: str) -> bool:
    """The dynamic linker finds ``soname`` (as Qt's plugin will; no ldconfig subprocess)."""
    import ctypes

    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


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
    missing = sorted({pkg for soname, pkg in _XCB_LIBRARIES.items() if not _loadable(soname)})
    if missing:
        return (
            "desktop-pos: Qt needs system libraries that are missing. Install them with:\n"
            f"  sudo apt-get install -y {' '.join(missing)}"
        )
    return None
