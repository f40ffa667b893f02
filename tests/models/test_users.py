"""Users (models/users.py): adding, changing, disabling users; signing in on a local file
with argon2id, the lock-out after five failed sign-ins.

Signing in with a password checked here is a local file's (SQLite) only: on the shared
server the server checks the password. Managing users on PostgreSQL goes through
``models.pg_security`` (PostgreSQL login roles): those tests run once that module is
present (``test_shared_server_add_*``), and are skipped before.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models import entities as e
from models.access import Principal, Role
from models.backend import Backend
from models.database import Database
from models.errors import NotAllowedError, SignInRefused, ValidationError
from models.users import LOCK_MINUTES, MAX_FAILED_SIGN_INS
from tests.factories import scenario

PASSWORD = "correct horse battery"


@pytest.fixture
def local(tmp_path, sqlite_template) -> Backend:  # type: ignore[no-untyped-def]
    import shutil

    path = tmp_path / "users.sqlite3"
    shutil.copy(sqlite_template, path)
    return Backend(Database(f"sqlite:///{path}"), actor="test")


def test_first_user_must_be_an_administrator(local: Backend) -> None:
    with pytest.raises(ValidationError, match="amministratore"):
        local.users.add("mario", Role.OPERATOR, password=PASSWORD)
    assert not local.users.any_active()
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD, full_name="Anna Admin")
    assert local.users.any_active()


def test_password_is_kept_as_an_argon2id_hash_never_in_clear(local: Backend) -> None:
    local.users.add("admin", "administrator", password=PASSWORD)
    with local.db.read() as s:
        stored = s.scalar(select(e.AppUser.password_hash))
        details = " ".join(s.scalars(select(e.AuditEntry.details)))
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored and PASSWORD not in details


def test_add_list_with_programmes_by_code(local: Backend) -> None:
    sc = scenario(local)
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD)
    local.users.add(
        "Op.Rossi", Role.OPERATOR, programmes=["SAI-TEST", sc.msna.id], password=PASSWORD
    )
    users = {u.login: u for u in local.users.list()}
    assert set(users) == {"admin", "op.rossi"}
    assert users["op.rossi"].programme_codes == ("SAI-MSNA", "SAI-TEST")
    assert users["admin"].programme_codes == ()
    with pytest.raises(ValidationError, match="NOPE"):
        local.users.add("x1", Role.OPERATOR, programmes=["NOPE"], password=PASSWORD)
    with pytest.raises(ValidationError, match="Esiste già"):
        local.users.add("OP.ROSSI", Role.READER, password=PASSWORD)
    with pytest.raises(ValidationError, match="8"):
        local.users.add("x2", Role.READER, password="short")
    with pytest.raises(ValidationError, match="nome utente"):
        local.users.add("no spaces", Role.READER, password=PASSWORD)
    assert len(local.users.list()) == 2


def test_sign_in_gives_the_role_and_programmes(local: Backend) -> None:
    sc = scenario(local)
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD)
    local.users.add("coord", Role.COORDINATOR, programmes=["SAI-TEST"], password=PASSWORD)
    who = local.users.authenticate("coord", PASSWORD)
    assert who == Principal.assigned("coord", Role.COORDINATOR, [sc.programme.id])
    assert local.users.authenticate(" ADMIN ", PASSWORD).programmes is None


def test_wrong_password_and_unknown_login_say_the_same(local: Backend) -> None:
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD)
    with pytest.raises(SignInRefused) as wrong:
        local.users.authenticate("admin", "not the password")
    with pytest.raises(SignInRefused) as unknown:
        local.users.authenticate("nobody", "not the password")
    assert str(wrong.value) == str(unknown.value) == "Nome utente o password errati."


class Clock:
    def __init__(self) -> None:
        self.at = dt.datetime(2026, 12, 3, 9, 0)

    def __call__(self) -> dt.datetime:
        return self.at


def test_five_failures_lock_for_fifteen_minutes_even_with_the_right_password(
    local: Backend,
) -> None:
    clock = Clock()
    local.users.now = clock
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD)
    for _ in range(MAX_FAILED_SIGN_INS - 1):
        with pytest.raises(SignInRefused, match="errati"):
            local.users.authenticate("admin", "bad password")
    with pytest.raises(SignInRefused, match=f"bloccato per {LOCK_MINUTES} minuti"):
        local.users.authenticate("admin", "bad password")
    # The count is in the database: another run (another Backend) sees the lock.
    again = Backend(local.db, actor="test")
    again.users.now = clock
    with pytest.raises(SignInRefused, match="bloccato"):
        again.users.authenticate("admin", PASSWORD)
    clock.at += dt.timedelta(minutes=LOCK_MINUTES, seconds=1)
    assert again.users.authenticate("admin", PASSWORD).login == "admin"
    with local.db.read() as s:
        u = s.scalars(select(e.AppUser)).one()
        assert (u.failed_sign_ins, u.locked_until) == (0, None)


def test_success_resets_the_count(local: Backend) -> None:
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD)
    for _ in range(MAX_FAILED_SIGN_INS - 1):
        with pytest.raises(SignInRefused):
            local.users.authenticate("admin", "bad password")
    local.users.authenticate("admin", PASSWORD)
    with pytest.raises(SignInRefused, match="errati"):  # four more before a lock again
        local.users.authenticate("admin", "bad password")


def test_unknown_login_is_locked_out_like_a_real_one(local: Backend) -> None:
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD)
    for _ in range(MAX_FAILED_SIGN_INS - 1):
        with pytest.raises(SignInRefused, match="errati"):
            local.users.authenticate("ghost", "bad password")
    with pytest.raises(SignInRefused, match="bloccato"):
        local.users.authenticate("ghost", "bad password")


def test_disabled_user_cannot_sign_in_and_enabled_again_can(local: Backend) -> None:
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD)
    local.users.add("reader", Role.READER, password=PASSWORD)
    local.users.disable("reader")
    with pytest.raises(SignInRefused, match="disattivato"):
        local.users.authenticate("reader", PASSWORD)
    with pytest.raises(SignInRefused, match="errati"):  # the wrong password says nothing more
        local.users.authenticate("reader", "bad password")
    local.users.enable("reader")
    assert local.users.authenticate("reader", PASSWORD).role is Role.READER


def test_last_active_administrator_is_kept(local: Backend) -> None:
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD)
    with pytest.raises(ValidationError, match="ultimo amministratore attivo"):
        local.users.disable("admin")
    with pytest.raises(ValidationError, match="ultimo amministratore attivo"):
        local.users.change("admin", role=Role.READER)
    local.users.add("second", Role.ADMINISTRATOR, password=PASSWORD)
    local.users.change("admin", role=Role.READER)
    with pytest.raises(ValidationError, match="ultimo amministratore attivo"):
        local.users.disable("second")
    assert {u.login: u.role for u in local.users.list()} == {
        "admin": Role.READER,
        "second": Role.ADMINISTRATOR,
    }


def test_set_password_and_change_programmes_are_audited_without_the_password(
    local: Backend,
) -> None:
    sc = scenario(local)
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD)
    local.users.add("op", Role.OPERATOR, programmes=["SAI-TEST"], password=PASSWORD)
    local.users.set_password("op", "another long one")
    changed = local.users.change("op", programmes=[sc.other_programme.id])
    assert changed.programme_codes == ("ART18-T",)
    assert local.users.authenticate("op", "another long one").programmes == frozenset(
        {sc.other_programme.id}
    )
    with pytest.raises(SignInRefused):
        local.users.authenticate("op", PASSWORD)
    with local.db.read() as s:
        entries = s.execute(
            select(e.AuditEntry.action, e.AuditEntry.details).where(
                e.AuditEntry.entity == "app_user"
            )
        ).all()
    assert [a for a, _d in entries] == ["create", "create", "set_password", "update"]
    assert all("another long one" not in d and PASSWORD not in d for _a, d in entries)


def test_only_an_administrator_manages_users(local: Backend) -> None:
    scenario(local)
    local.users.add("admin", Role.ADMINISTRATOR, password=PASSWORD)
    local.users.add("coord", Role.COORDINATOR, programmes=["SAI-TEST"], password=PASSWORD)
    coordinator = Backend(local.db, principal=local.users.authenticate("coord", PASSWORD))
    for attempt in (
        lambda: coordinator.users.add("x", Role.ADMINISTRATOR, password=PASSWORD),
        lambda: coordinator.users.change("coord", role=Role.ADMINISTRATOR),
        lambda: coordinator.users.disable("admin"),
        lambda: coordinator.users.set_password("admin", "taken over!"),
        coordinator.users.list,
    ):
        with pytest.raises(NotAllowedError, match="ruolo non permette"):
            attempt()
    assert local.users.user("coord").role is Role.COORDINATOR
    assert local.users.authenticate("admin", PASSWORD).login == "admin"


def test_shared_server_without_users_is_worked_on_by_its_owner(backend: Backend) -> None:
    """Both engines: no users yet, no sign-in (the owner, every right)."""
    assert not backend.users.any_active()
    if not backend.db.is_sqlite:
        assert backend.users.server_principal().role is Role.ADMINISTRATOR


def test_shared_server_add_creates_a_login_and_keeps_no_hash(backend: Backend) -> None:
    """PostgreSQL: the user is a login role of the server; no password hash here."""
    if backend.db.is_sqlite:
        pytest.skip("the shared server's path")
    pytest.importorskip("models.pg_security")
    from sqlalchemy import text

    try:
        backend.users.add("admin.test", Role.ADMINISTRATOR, password=PASSWORD)
        with backend.db.read() as s:
            assert s.scalar(select(e.AppUser.password_hash)) is None
    finally:  # a login role belongs to the whole server: none is left behind
        with backend.db.write() as s:
            s.execute(text('DROP OWNED BY "admin.test"'))
            s.execute(text('DROP ROLE IF EXISTS "admin.test"'))
