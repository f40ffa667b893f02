"""Unexpected errors: a short line for the user, the details in a local log file.

The log holds the traceback only (types, files, lines), which carries no personal data
as long as exception messages are not written: we keep the exception type, not its text.
A native crash (Qt, a driver) is written to the same folder by ``faulthandler``
(``crash.log``). Both files are readable by their owner only and rotated: once over
``MAX_LOG_BYTES`` a log becomes ``.1`` (the previous ``.1`` is dropped), so they never
grow without end.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import platform
import sys
import traceback
from pathlib import Path
from typing import BinaryIO

from models.i18n import _

MAX_LOG_BYTES = 256 * 1024
_fault_file: BinaryIO | None = None


def _rotate(log: Path) -> None:
    try:
        if log.exists() and log.stat().st_size > MAX_LOG_BYTES:
            log.replace(log.with_name(log.name + ".1"))
    except OSError:
        pass


def details(exc: BaseException) -> str:
    """What a developer needs and nothing about the records: the application version,
    the system, the exception's type and the frames (files, lines, functions)."""
    try:
        from importlib.metadata import version

        ver = version("accoglienza")
    except Exception:  # noqa: BLE001 - not installed as a package
        ver = "-"
    lines = [
        f"Accoglienza {ver} · Python {platform.python_version()} · {platform.platform()}",
        f"{dt.datetime.now().isoformat(timespec='seconds')} "
        f"{type(exc).__module__}.{type(exc).__name__}",
    ]
    for f in traceback.extract_tb(exc.__traceback__):
        lines.append(f"  {f.filename}:{f.lineno} in {f.name}")
    return "\n".join(lines)


def report_unexpected(exc: BaseException) -> str:
    try:
        from desktop.paths import data_dir
        from models.files import private_file

        log = data_dir() / "errors.log"
        _rotate(log)
        frames = traceback.extract_tb(exc.__traceback__)
        with private_file(log, "ab") as fh:
            text = f"{dt.datetime.now().isoformat()} {type(exc).__module__}.{type(exc).__name__}\n"
            for f in frames:
                text += f"  {f.filename}:{f.lineno} in {f.name}\n"
            fh.write(text.encode("utf-8"))
        where = str(log)
    except OSError:
        where = "-"
    return _("unexpected error ({kind}); details in {log}").format(
        kind=type(exc).__name__, log=where
    )


def enable_faulthandler() -> Path | None:
    """Write the Python stacks of a native crash to ``crash.log`` (rotated first)."""
    global _fault_file
    try:
        from desktop.paths import data_dir
        from models.files import private_file

        log = data_dir() / "crash.log"
        _rotate(log)
        _fault_file = private_file(log, "ab")
        faulthandler.enable(file=_fault_file, all_threads=True)
        return log
    except (OSError, RuntimeError):
        if sys.stderr is not None:
            faulthandler.enable()
        return None
