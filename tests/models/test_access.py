"""The one rule of who sees and changes what (models/access.py)."""

from __future__ import annotations

from models.access import OWNER, Principal, Role


def test_reader_never_sees_names_nor_writes() -> None:
    reader = Principal.assigned("lettore", Role.READER, [1])
    assert not reader.may_identify([1], protected=False)
    assert not reader.may_identify([1], protected=True)
    assert not reader.may_print_named
    assert not reader.may_place(1)
    assert not reader.may_edit_network(1)


def test_protected_people_only_for_their_programmes() -> None:
    operator = Principal.assigned("operatrice", Role.OPERATOR, [1])
    assert operator.may_identify([1], protected=True)
    assert not operator.may_identify([2], protected=True)
    assert operator.may_identify([2], protected=False)
    assert operator.may_place(1) and not operator.may_place(2)
    assert not operator.may_edit_network(1)


def test_coordinator_edits_only_the_network_of_their_programmes() -> None:
    coordinator = Principal.assigned("coord", Role.COORDINATOR, [3, 4])
    assert coordinator.may_edit_network(3)
    assert not coordinator.may_edit_network(5)
    assert not coordinator.may_edit_programmes()
    assert not coordinator.may_manage_users


def test_administrator_every_programme_whatever_assigned() -> None:
    admin = Principal.assigned("admin", Role.ADMINISTRATOR, [1])
    assert admin.programmes is None
    assert admin.may_identify([99], protected=True)
    assert admin.may_manage_users and admin.may_anonymise
    assert OWNER.may_edit_programmes()
