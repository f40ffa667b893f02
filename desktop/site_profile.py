"""The site profile: what an installer made for one site sets (name, language, database).

A profile is a small JSON file (see ``installer/profiles/``) installed as ``site.json``
beside the application. It gives defaults only: the command line, the environment and
the user's own settings come first. Its shape is the JSON Schema
``installer/site-profile.schema.json``: a key the schema does not know (``"langage"``)
or a wrong value is refused, every problem named in one message.

The schema uses only a few of JSON Schema's keywords (type, properties, required,
additionalProperties, enum, const, pattern, minLength, maxLength, if/then/else, not);
``validate`` reads them here, so the program needs no JSON Schema library and the file
stays the one description of a profile.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from models.errors import DomainError
from models.i18n import N_, _, ngettext

SCHEMA_NAME = "site-profile.schema.json"

# What a value that does not match its pattern should look like, by where it is.
PATTERN_HINTS = {
    "site_id": N_(
        "“site_id” may hold only lower-case letters, digits and dashes (at most 40), "
        "starting with a letter or a digit"
    ),
    "database.url": N_(
        "“database.url” must be a postgresql:// address without a password "
        "(each user gives the password when connecting)"
    ),
}
TYPE_NAMES = {
    "object": N_("a group of settings in braces"),
    "string": N_("a text in quotes"),
    "boolean": N_("true or false"),
}


def schema_path() -> Path:
    """``installer/site-profile.schema.json`` of the source tree or of a frozen build."""
    frozen = getattr(sys, "_MEIPASS", None)
    root = Path(frozen) if frozen else Path(__file__).resolve().parent.parent
    return root / "installer" / SCHEMA_NAME


@cache
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return data


def _where(path: str) -> str:
    return f"“{path}”" if path else _("the profile")


def problems(data: object, rule: dict[str, Any] | None = None, path: str = "") -> list[str]:
    """Every way ``data`` breaks the schema (or ``rule``, a part of it), explained."""
    rule = schema() if rule is None else rule
    found: list[str] = []
    kind = rule.get("type")
    if kind == "object" and not isinstance(data, dict):
        return [_("{key} must be {kind}").format(key=_where(path), kind=_(TYPE_NAMES["object"]))]
    if kind == "string" and not isinstance(data, str):
        return [_("{key} must be {kind}").format(key=_where(path), kind=_(TYPE_NAMES["string"]))]
    if kind == "boolean" and not isinstance(data, bool):
        return [_("{key} must be {kind}").format(key=_where(path), kind=_(TYPE_NAMES["boolean"]))]
    if "const" in rule and data != rule["const"]:
        found.append(_("“{key}” must be “{value}”").format(key=path, value=rule["const"]))
    if "enum" in rule and data not in rule["enum"]:
        found.append(
            _("“{key}” must be one of {values}, not “{value}”").format(
                key=path, values=", ".join(f"“{v}”" for v in rule["enum"]), value=data
            )
        )
    if isinstance(data, str):
        found.extend(_string_problems(data, rule, path))
    if isinstance(data, dict):
        found.extend(_object_problems(data, rule, path))
    return found


def _string_problems(data: str, rule: dict[str, Any], path: str) -> list[str]:
    found: list[str] = []
    if "minLength" in rule and len(data) < rule["minLength"]:
        found.append(_("“{key}” must not be empty").format(key=path))
    if "maxLength" in rule and len(data) > rule["maxLength"]:
        found.append(
            ngettext(
                "“{key}” is longer than {count} character",
                "“{key}” is longer than {count} characters",
                rule["maxLength"],
            ).format(key=path, count=rule["maxLength"])
        )
    if "pattern" in rule and re.search(rule["pattern"], data) is None:
        hint = PATTERN_HINTS.get(path)
        found.append(
            _(hint) if hint else _("“{key}” does not have the expected form").format(key=path)
        )
    return found


def _object_problems(data: dict[str, Any], rule: dict[str, Any], path: str) -> list[str]:
    found: list[str] = []
    known = rule.get("properties", {})
    prefix = f"{path}." if path else ""
    for key in rule.get("required", []):
        if key not in data:
            found.append(_("“{key}” is missing").format(key=prefix + key))
    if rule.get("additionalProperties") is False:
        for key in data:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), list(known), n=1)
            if close:
                found.append(
                    _("“{key}” is not a setting of a profile: did you mean “{other}”?").format(
                        key=prefix + str(key), other=prefix + close[0]
                    )
                )
            else:
                found.append(
                    _("“{key}” is not a setting of a profile (known: {known})").format(
                        key=prefix + str(key), known=", ".join(known)
                    )
                )
    for key, sub in known.items():
        if key in data:
            found.extend(problems(data[key], sub, prefix + key))
    if "if" in rule:
        branch = rule.get("then") if not problems(data, rule["if"], path) else rule.get("else")
        if branch:
            found.extend(_branch_problems(data, branch, path))
    return found


def _branch_problems(data: dict[str, Any], branch: dict[str, Any], path: str) -> list[str]:
    """A conditional part of the schema: ``required`` keys, or keys ``not`` allowed."""
    prefix = f"{path}." if path else ""
    found = [
        _("“{key}” is missing").format(key=prefix + key)
        for key in branch.get("required", [])
        if key not in data
    ]
    for key in branch.get("not", {}).get("required", []):
        if key in data:
            found.append(_("“{key}” is not used here: remove it").format(key=prefix + key))
    return found


def validate(data: object) -> dict[str, Any]:
    """Check a profile against the schema; a broken profile is refused with one message
    naming every problem."""
    found = problems(data)
    if found:
        raise DomainError(
            _("The site profile is not valid: {problems}.").format(problems="; ".join(found))
        )
    assert isinstance(data, dict)  # the schema's top level is an object
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


def load_quietly() -> dict[str, Any]:
    """The installed profile, or an empty dict when there is none or it is broken: for
    the defaults read before anything can be explained (the language). A broken profile
    is explained where the database is chosen."""
    try:
        return load()
    except DomainError:
        return {}


def default_database_url(profile: dict[str, Any] | None = None) -> str | None:
    profile = load() if profile is None else profile
    database = profile.get("database") or {}
    if database.get("mode") == "shared":
        return str(database["url"])
    return None


def site_name(profile: dict[str, Any] | None = None) -> str | None:
    """The profile's site name (None without a profile)."""
    profile = load_quietly() if profile is None else profile
    name = profile.get("site_name")
    return str(name) if name else None


def backups_encrypted(profile: dict[str, Any] | None = None) -> bool:
    """True when the site wants every backup a user makes encrypted with a passphrase
    (``"backups": {"encrypt": true}``)."""
    profile = load() if profile is None else profile
    return bool((profile.get("backups") or {}).get("encrypt", False))


def language(profile: dict[str, Any] | None = None) -> str | None:
    """The profile's language (None without a profile or when it names none)."""
    profile = load_quietly() if profile is None else profile
    code = profile.get("language")
    return str(code) if code else None


def display_site_name(settings: dict[str, Any] | None = None) -> str | None:
    """The site's name as the window, the About box and the prints show it: the one the
    user gave in the preferences, else the profile's; None when neither names one."""
    if settings is None:
        from desktop import settings as user_settings

        settings = user_settings.load()
    own = settings.get("site_name")
    if isinstance(own, str) and own.strip():
        return own.strip()
    return site_name()
