"""The daily backup of the local database, taken at the first start of each day.

The copies live in a ``backups`` folder beside the database file (0700, each copy
0600), one per day (``accoglienza-2026-12-03.sqlite3``), and are removed after the
number of days chosen in the preferences (``backup_keep_days``, 14 by default). The
copies made before an upgrade (``accoglienza.before-upgrade-...``) are pruned the same
way; the newest of them is always kept. A shared database is backed up on its server.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.database import Database

DEFAULT_KEEP_DAYS = 14
_DAILY = re.compile(r"-(\d{4}-\d{2}-\d{2})$")
_UPGRADE = re.compile(r"\.before-upgrade-(\d{8})-\d{6}$")


def keep_days(settings: Mapping[str, object]) -> int:
    value = settings.get("backup_keep_days")
    return value if isinstance(value, int) and 1 <= value <= 365 else DEFAULT_KEEP_DAYS


def backups_folder(database: Path) -> Path:
    return database.parent / "backups"


def take_daily(db: Database, days: int, today: dt.date | None = None) -> Path | None:
    """Today's copy of a local database if there is none yet, and the old ones pruned.
    Returns the copy taken (None when there was one already, or for a server)."""
    from models import backup
    from models.database import sqlite_path
    from models.files import private_folder

    path = sqlite_path(db.url)
    if path is None or not path.exists():
        return None
    today = today or dt.date.today()
    folder = private_folder(backups_folder(path))
    target = folder / f"{path.stem}-{today.isoformat()}{path.suffix}"
    taken = None
    if not target.exists():
        taken = backup.take(db, target)
    prune(path, days, today)
    return taken


def prune(database: Path, days: int, today: dt.date | None = None) -> list[Path]:
    """Remove the daily copies and upgrade copies older than ``days``; the newest
    upgrade copy stays whatever its age."""
    today = today or dt.date.today()
    limit = today - dt.timedelta(days=days)
    removed: list[Path] = []
    folder = backups_folder(database)
    if folder.is_dir():
        for copy in folder.glob(f"{database.stem}-*{database.suffix}"):
            m = _DAILY.search(copy.stem)
            if m and dt.date.fromisoformat(m.group(1)) < limit:
                copy.unlink(missing_ok=True)
                removed.append(copy)
    upgrades = []
    for copy in database.parent.glob(f"{database.stem}.before-upgrade-*{database.suffix}"):
        m = _UPGRADE.search(copy.stem)
        if m:
            upgrades.append((dt.datetime.strptime(m.group(1), "%Y%m%d").date(), copy))
    upgrades.sort()
    for day, copy in upgrades[:-1]:
        if day < limit:
            copy.unlink(missing_ok=True)
            removed.append(copy)
    return removed
