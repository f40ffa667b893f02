"""Translated labels of the domain's codes (target groups, exit reasons, ...)."""

from __future__ import annotations

from .i18n import N_, _

# Translators: who a structure is meant for, in the cooperative's own words
# ("nuclei familiari", "nuclei monogenitoriali", "persone transgender", "LGBTQIA+").
TARGET_GROUPS = {
    "men": N_("men"),
    "women": N_("women"),
    "families": N_("families"),
    "single_parent": N_("single-parent families"),
    "lgbtqia": N_("LGBTQIA+"),
    "transgender": N_("transgender people"),
    "minors": N_("unaccompanied minors"),
}

# Translators: the exit reasons of the Banca Dati SAI, in its words.
EXIT_REASONS = {
    "socio_economic": N_("socio-economic integration"),
    "term_expired": N_("end of the term"),
    "voluntary_abandonment": N_("voluntary abandonment"),
    "revocation": N_("removal / revocation"),
    "assisted_return": N_("assisted voluntary return"),
    "transfer_other_project": N_("transfer to another project"),
    "dublin_transfer": N_("Dublin transfer"),
    "other": N_("other"),
}

RELATIONSHIPS = {
    "reference": N_("reference person"),
    "partner": N_("partner"),
    "child": N_("child"),
    "parent": N_("parent"),
    "sibling": N_("sibling"),
    "other_relative": N_("other relative"),
    "other": N_("other"),
}

PROGRAMME_KINDS = {
    "sai": N_("SAI"),
    "anti_trafficking": N_("anti-trafficking (art. 18)"),
    "other": N_("other"),
}

SAI_CATEGORIES = {
    "ord": N_("ordinary"),
    "dm_ds": N_("mental health / disability (DM-DS)"),
    "msna": N_("unaccompanied minors (MSNA)"),
}

SEXES = {
    # Translators: the sex of a person of any age, as forms write it: "femminile".
    "F": N_("female"),
    # Translators: the sex of a person of any age, as forms write it: "maschile".
    "M": N_("male"),
    "X": N_("other / not stated"),
}

LEGAL_STATUSES = {
    # Translators: a legal status or permit, as SAI documents say it ("richiedente
    # protezione internazionale"): a status or a permit, never a condition.
    "asylum_seeker": N_("applicant for international protection"),
    "refugee": N_("refugee status"),
    "subsidiary_protection": N_("subsidiary protection"),
    "special_protection": N_("special protection"),
    "art18_permit": N_("special cases permit (art. 18)"),
    # Translators: the permit of an unaccompanied minor ("permesso per minore età"): the
    # condition itself ("minore straniero non accompagnato") is not a legal status.
    "unaccompanied_minor": N_("minor-age permit"),
    "other": N_("other"),
}

PLACEMENT_STATUSES = {
    "active": N_("active"),
    "exited": N_("exited"),
    # Translators: the state of a placement ("inserimento", masculine): "annullato".
    "cancelled": N_("cancelled"),
}


REQUEST_STATUSES = {
    # Translators: the state of a request on the waiting list ("richiesta", feminine).
    "waiting": N_("waiting"),
    "placed": N_("placed"),
    "withdrawn": N_("withdrawn"),
    "expired": N_("expired"),
}

REQUEST_NEEDS = {
    "ground_floor": N_("ground floor"),
    "accessible": N_("accessible (no steps)"),
    "medical": N_("medical care nearby"),
}

PRIORITIES = {
    1: N_("urgent"),
    2: N_("high"),
    3: N_("normal"),
}


def request_status_label(code: str | None) -> str:
    return _label(REQUEST_STATUSES, code)


def request_needs_label(codes: frozenset[str] | set[str]) -> str:
    return ", ".join(_label(REQUEST_NEEDS, c) for c in sorted(codes))


def priority_label(priority: int) -> str:
    return _(PRIORITIES[priority]) if priority in PRIORITIES else str(priority)


def _label(table: dict[str, str], code: str | None) -> str:
    if code is None:
        return ""
    return _(table[code]) if code in table else code


def target_group_label(code: str) -> str:
    return _label(TARGET_GROUPS, code)


def exit_reason_label(code: str | None) -> str:
    return _label(EXIT_REASONS, code)


def relationship_label(code: str | None) -> str:
    return _label(RELATIONSHIPS, code)


def programme_kind_label(code: str | None) -> str:
    return _label(PROGRAMME_KINDS, code)


def sai_category_label(code: str | None) -> str:
    return _label(SAI_CATEGORIES, code)


def sex_label(code: str | None) -> str:
    return _label(SEXES, code)


def legal_status_label(code: str | None) -> str:
    return _label(LEGAL_STATUSES, code)


def placement_status_label(code: str | None) -> str:
    return _label(PLACEMENT_STATUSES, code)
