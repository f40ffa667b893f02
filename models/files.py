"""Files of the records readable by their owner only: the database, its backups, the
logs and the settings are made 0600 in folders 0700 on POSIX systems (on Windows they
live in the user's own profile, which other accounts cannot read)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(path: Path) -> Path:
    """``path`` made if missing (0700), and its parents as needed."""
    path = Path(path)
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(exist_ok=True, mode=PRIVATE_FOLDER)
        restrict(path)
    return path


def restrict(path: Path) -> None:
    """Owner only: 0600 for a file, 0700 for a folder (nothing to do on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):  # a file of another owner: left as it is
        os.chmod(path, PRIVATE_FOLDER if Path(path).is_dir() else PRIVATE_FILE)


def private_file(path: Path, mode: str = "wb") -> BinaryIO:
    """``path`` opened for writing, created 0600 (truncated if it exists)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, PRIVATE_FILE)
    restrict(Path(path))
    return os.fdopen(fd, mode)  # type: ignore[return-value]


def fsync_folder(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; Windows has no folder handles)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
