"""Small rules shared by the printed documents."""

from __future__ import annotations

from models.i18n import _

ANTI_TRAFFICKING = "anti_trafficking"


def pseudonymise_by_default(programme_kind: str | None) -> bool:
    """Anti-trafficking programmes print codes instead of names unless asked otherwise."""
    return programme_kind == ANTI_TRAFFICKING


def resolve_pseudonymised(pseudonymised: bool | None, programme_kind: str | None) -> bool:
    if pseudonymised is None:
        return pseudonymise_by_default(programme_kind)
    return bool(pseudonymised)


def person_name(last_name: str, first_name: str) -> str:
    """Last name first, as the offices file them."""
    return f"{last_name.upper()} {first_name}".strip() if last_name else first_name


def structure_title(code: str, name: str, *, confidential: bool, pseudonymised: bool) -> str:
    """A structure as a document names it: code and name, except a protected apartment's
    name in a pseudonymised document (a name can point to the place): code only."""
    if confidential and pseudonymised:
        return f"{code} — {confidential_text()}"
    return f"{code} — {name}"


def confidential_text() -> str:
    # Translators: printed instead of a protected name or address ("protetto"), never
    # "riservato", which the sheets use for nothing.
    return _("confidential")
