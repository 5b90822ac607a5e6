"""desktop_pos: a desktop point of sale compatible with the Assist mPOS payment flow."""

from __future__ import annotations

from functools import cache


@cache
def version() -> str:
    """The installed version (from the package metadata; read once, on first use)."""
    from importlib import metadata

    try:
        return metadata.version("desktop-pos")
    except metadata.PackageNotFoundError:  # a source tree that is not installed
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return version()
    raise AttributeError(f"module 'desktop_pos' has no attribute {name!r}")


__all__ = ["version"]
