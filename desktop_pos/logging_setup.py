"""Logging: a rotating file in the user log directory, warnings also on stderr."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)-7s [%(threadName)s] %(name)s: %(message)s"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5


def setup_logging(log_file: Path, *, verbose: bool = False) -> Path | None:
    """Log to ``log_file`` (rotated at 1 MB, 5 kept); return the file, or None if unwritable."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_desktop_pos", False):
            root.removeHandler(handler)

    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    console._desktop_pos = True  # type: ignore[attr-defined]
    root.addHandler(console)

    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write the log file %s: %s", log_file, exc)
        return None
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    file_handler._desktop_pos = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    return log_file
