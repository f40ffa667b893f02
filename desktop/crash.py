"""Unexpected errors: a short line for the user, the details in a local log file.

The log holds the traceback only (types, files, lines), which carries no personal data
as long as exception messages are not written: we keep the exception type, not its text.
"""

from __future__ import annotations

import datetime as dt
import traceback

from models.i18n import _


def report_unexpected(exc: BaseException) -> str:
    try:
        from desktop.paths import data_dir

        log = data_dir() / "errors.log"
        frames = traceback.extract_tb(exc.__traceback__)
        with log.open("a", encoding="utf-8") as fh:
            fh.write(
                f"{dt.datetime.now().isoformat()} {type(exc).__module__}.{type(exc).__name__}\n"
            )
            for f in frames:
                fh.write(f"  {f.filename}:{f.lineno} in {f.name}\n")
        where = str(log)
    except OSError:
        where = "-"
    return _("unexpected error ({kind}); details in {log}").format(
        kind=type(exc).__name__, log=where
    )
