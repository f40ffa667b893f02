"""The command line's own words (``usage:``, ``options``, "invalid choice"...) in the
user's language.

argparse writes them through gettext's global domain, which we do not use; here its
``_`` and ``ngettext`` are pointed at ours, and its messages are listed so that the
extraction puts them in our catalogues. The list follows Python 3.11-3.13; a message
missing here simply stays in English.
"""

from __future__ import annotations

import argparse

from models import i18n
from models.i18n import N_

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("ignored explicit argument %r"),
)


def _plural_marks() -> None:  # pragma: no cover - never called, read by the extraction
    i18n.ngettext("expected %s argument", "expected %s arguments", 2)


def _gettext(message: str | None) -> str | None:
    # argparse passes None for a missing description: hand it back unchanged.
    return i18n._(message) if message else message


def install() -> None:
    """From now on argparse speaks the language installed in models.i18n."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
