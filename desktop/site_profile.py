"""The site profile: what an installer made for one site sets (name, language, database).

A profile is a small JSON file (see ``installer/profiles/``) installed as ``site.json``
beside the application. It gives defaults only: the command line, the environment and
the user's own settings come first.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from models.errors import DomainError
from models.i18n import SUPPORTED, _

REQUIRED = ("site_id", "site_name", "database")


def validate(data: object) -> dict[str, Any]:
    """Check a profile's shape; a broken profile is refused with a clear message."""
    if not isinstance(data, dict):
        raise DomainError(_("The site profile is not valid: it must be a JSON object."))
    for key in REQUIRED:
        if key not in data:
            raise DomainError(
                _("The site profile is not valid: “{key}” is missing.").format(key=key)
            )
    if not str(data["site_id"]).replace("-", "").replace("_", "").isalnum():
        raise DomainError(
            _(
                "The site profile is not valid: the site id may hold only letters, digits and dashes."
            )
        )
    database = data["database"]
    if not isinstance(database, dict) or database.get("mode") not in ("local", "shared"):
        raise DomainError(
            _("The site profile is not valid: the database mode must be “local” or “shared”.")
        )
    if database["mode"] == "shared":
        url = str(database.get("url", ""))
        if not url.startswith(("postgresql://", "postgresql+psycopg://")):
            raise DomainError(
                _("The site profile is not valid: a shared database needs a postgresql:// address.")
            )
        if "@" in url and ":" in url.split("://", 1)[1].split("@", 1)[0]:
            raise DomainError(_("The site profile is not valid: it must not contain a password."))
    if "language" in data and data["language"] not in SUPPORTED:
        raise DomainError(
            _("The site profile is not valid: unknown language “{lang}”.").format(
                lang=data["language"]
            )
        )
    return data


def profile_path() -> Path | None:
    env = os.environ.get("ACCOGLIENZA_SITE_PROFILE")
    if env:
        return Path(env)
    candidates = [Path(sys.executable).resolve().parent / "site.json"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen) / "site.json")
    for c in candidates:
        if c.exists():
            return c
    return None


def load(path: Path | None = None) -> dict[str, Any]:
    """The installed profile, or an empty dict when there is none."""
    path = path or profile_path()
    if path is None:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DomainError(_("The site profile {path} cannot be read.").format(path=path)) from exc
    return validate(data)


def default_database_url(profile: dict[str, Any] | None = None) -> str | None:
    profile = load() if profile is None else profile
    database = profile.get("database") or {}
    if database.get("mode") == "shared":
        return str(database["url"])
    return None


def site_name(profile: dict[str, Any] | None = None) -> str | None:
    profile = load() if profile is None else profile
    name = profile.get("site_name")
    return str(name) if name else None
