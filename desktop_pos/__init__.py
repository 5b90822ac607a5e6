"""desktop_pos: a desktop point of sale compatible with the Assist mPOS payment flow."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("desktop-pos")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
