"""Who is working, and what their role lets them see and do: the one rule every read,
write, screen, print, export and command applies.

Four roles (``Role``):

- administrator: every programme; the network (programmes, structures), the users, the
  retention of old records;
- coordinator: the programmes assigned; their structures, placements and people;
- operator: the programmes assigned; placements, transfers, exits, reservations and the
  people placed, not the network;
- reader: figures and pseudonymised prints only; never a name, an alias-less identity,
  nor a protected structure's name or address.

A ``Principal`` is a signed-in user with the role and the programmes assigned. On the
shared server the database enforces the same limits itself (row-level security and
grants, see ``models/pg_security.py``); on a local file the program does.

Protected people are the people placed, now or ever, in an anti-trafficking programme or
in a confidential structure; protected structures are the confidential ones. Who may not
see them identified sees a person's code and alias only, and a structure's code only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from .i18n import N_


class Role(enum.StrEnum):
    ADMINISTRATOR = "administrator"
    COORDINATOR = "coordinator"
    OPERATOR = "operator"
    READER = "reader"


# What each role is called on screen (translated where shown).
ROLE_LABELS = {
    Role.ADMINISTRATOR: N_("Administrator"),
    Role.COORDINATOR: N_("Coordinator"),
    Role.OPERATOR: N_("Operator"),
    Role.READER: N_("Reader"),
}


@dataclass(frozen=True)
class Principal:
    """A signed-in user: login, role and assigned programmes (ids). ``programmes`` is
    None for every programme (an administrator)."""

    login: str
    role: Role
    programmes: frozenset[int] | None = None

    @classmethod
    def assigned(cls, login: str, role: Role, programmes: Iterable[int] = ()) -> Principal:
        if role is Role.ADMINISTRATOR:
            return cls(login, role, None)
        return cls(login, role, frozenset(programmes))

    # -- programmes ---------------------------------------------------------------------

    def covers(self, programme_id: int | None) -> bool:
        """Whether the programme is one of this user's (every one for an administrator)."""
        if self.programmes is None:
            return True
        return programme_id is not None and programme_id in self.programmes

    # -- what may be seen ---------------------------------------------------------------

    @property
    def sees_names(self) -> bool:
        """Whether this role ever sees people by name (a reader never does)."""
        return self.role is not Role.READER

    def may_identify(self, programme_ids: Iterable[int | None], protected: bool) -> bool:
        """Whether a person, or a structure, of these programmes is shown identified:
        names (not only code and alias), a structure's name and address. Unprotected
        records are shown by name to every role but the reader; protected ones only to
        an administrator and to the users the programme is assigned to."""
        if not self.sees_names:
            return False
        if not protected or self.programmes is None:
            return True
        return any(self.covers(p) for p in programme_ids)

    @property
    def may_print_named(self) -> bool:
        """Whether named prints and exports are offered at all."""
        return self.sees_names

    # -- what may be changed ------------------------------------------------------------

    @property
    def may_manage_users(self) -> bool:
        return self.role is Role.ADMINISTRATOR

    @property
    def may_anonymise(self) -> bool:
        return self.role is Role.ADMINISTRATOR

    def may_edit_programmes(self) -> bool:
        """Create, edit or close programmes."""
        return self.role is Role.ADMINISTRATOR

    def may_edit_network(self, programme_id: int | None) -> bool:
        """Structures, rooms, beds and capacity of a programme."""
        if self.role is Role.ADMINISTRATOR:
            return True
        return self.role is Role.COORDINATOR and self.covers(programme_id)

    def may_place(self, programme_id: int | None) -> bool:
        """Placements, transfers, exits, extensions, reservations, the waiting list and
        the people placed, in a programme."""
        if self.role is Role.READER:
            return False
        return self.covers(programme_id)

    @property
    def writes(self) -> bool:
        return self.role is not Role.READER


# The user a database without users runs as (a local file nobody has added users to, the
# owner of a shared database setting it up): every right.
OWNER = Principal("", Role.ADMINISTRATOR, None)

NOT_ALLOWED = N_(
    "Your role does not allow this change: nothing was saved. Ask an administrator if you need it."
)
