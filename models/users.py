"""Users (utenti): who may sign in, with which role and programmes (``models.access``).

Only an administrator manages users (``backend.users``): add one, change their role or
programmes, disable or enable them, set a new password. Each change is one transaction
with its audit entry (never a password); the last active administrator can be neither
disabled nor given another role, and the first user of a database must be an
administrator (someone has to be able to add the others).

On a local file the password's argon2id hash is kept in ``app_user`` and checked here
(``authenticate``): five failed sign-ins in a row lock the account for fifteen minutes,
counted in the database so that starting the program again does not reset them; a
successful sign-in resets them. The refusal never says whether the login exists: an
unknown login gets the same words, and the same lock after five attempts within this
program's run.

On the shared server each user is a PostgreSQL login of the same name, created and
changed through ``models.pg_security``; the server checks the password, so no hash is
kept here (``password_hash`` is NULL), and the signed-in user's role and programmes come
from ``pg_security.principal_of``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from . import entities as e
from .access import OWNER, ROLE_LABELS, Principal, Role
from .errors import NotFoundError, SignInRefused, ValidationError
from .i18n import N_, _, ngettext
from .unit_of_work import Right, UnitOfWork, UseCases, check_version, touch

MAX_FAILED_SIGN_INS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8

# A login is also a PostgreSQL role name: letters, digits and . _ - only, lower case.
_LOGIN = re.compile(r"[a-z][a-z0-9._-]{0,62}")

WRONG = N_("Wrong user name or password.")
LOCKED = N_(
    "Too many failed sign-ins: this account is locked for {minutes} minutes. Try again "
    "later, or ask an administrator."
)
DISABLED = N_("This account is disabled: ask an administrator.")


def _hasher() -> Any:
    # argon2id with the library's recommended costs (RFC 9106, low memory profile).
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """The password's argon2id hash; the password itself is never kept."""
    return str(_hasher().hash(password))


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class UserInfo:
    id: int
    login: str
    full_name: str
    role: Role
    programme_ids: tuple[int, ...]
    programme_codes: tuple[str, ...]
    disabled: bool
    locked_until: dt.datetime | None
    version: int

    @property
    def role_label(self) -> str:
        return _(ROLE_LABELS[self.role])

    def locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or _utcnow())

    @property
    def locked_until_shown(self) -> str:
        """The end of the lock-out in this PC's time (hours and minutes), or ""."""
        if self.locked_until is None:
            return ""
        return self.locked_until.replace(tzinfo=dt.UTC).astimezone().strftime("%H:%M")


class Users(UseCases):
    """The users of this database (administrators only), and signing in."""

    def __init__(self, work: UnitOfWork, now: Callable[[], dt.datetime] | None = None) -> None:
        super().__init__(work)
        self.now = now or _utcnow
        # Failed sign-ins of logins that do not exist, in this run: they are locked out like
        # real ones, so that the lock does not tell which logins exist.
        self._unknown_failures: dict[str, int] = {}

    # -- reads --------------------------------------------------------------------------

    def any_active(self) -> bool:
        """Whether someone must sign in: at least one user who is not disabled."""
        with self.db.read() as s:
            return bool(
                s.scalar(
                    select(func.count()).select_from(e.AppUser).where(e.AppUser.disabled.is_(False))
                )
            )

    def list(self) -> list[UserInfo]:
        """Every user, by login (administrators only)."""
        self.work.require(None, Right.USERS)
        with self.db.read() as s:
            users = s.scalars(select(e.AppUser).order_by(e.AppUser.login)).all()
            return [_info(s, u) for u in users]

    def user(self, login: str) -> UserInfo:
        self.work.require(None, Right.USERS)
        with self.db.read() as s:
            return _info(s, _by_login(s, login))

    def principal(self, login: str) -> Principal:
        """The role and programmes of ``login`` (already signed in)."""
        with self.db.read() as s:
            u = _by_login(s, login)
            return _principal(s, u)

    def server_principal(self) -> Principal:
        """On the shared server, who the connection's login is. A server with no users
        yet (being set up) is worked on by its owner, with every right; a login that is
        not one of the application's users is refused with a clear message."""
        with self.db.read() as s:
            if not s.scalar(select(func.count()).select_from(e.AppUser)):
                return OWNER
            found: Principal | None = _pg_security().principal_of(s.connection())
        if found is None:
            raise SignInRefused(
                _(
                    "The login you connected with is not one of Accoglienza's users on this "
                    "server. Ask an administrator to add you (accoglienza users add), then "
                    "connect with your own login."
                )
            )
        return found

    # -- signing in (a local file) ------------------------------------------------------

    def authenticate(self, login: str, password: str) -> Principal:
        """The signed-in user, or ``SignInRefused`` (wrong login or password, locked out,
        disabled). Failed attempts are counted in the database (one transaction each)."""
        login = login.strip().lower()
        now = self.now()
        outcome: str
        principal: Principal | None = None
        with self.work.transaction(signing_in=True) as s:
            u = s.scalars(select(e.AppUser).where(e.AppUser.login == login)).first()
            if u is None or u.password_hash is None:
                _verify_nothing(password)  # the same time as a real check
                outcome = self._unknown_failed(login)
            elif u.locked_until is not None and u.locked_until > now:
                outcome = "locked"
            elif not _verify(u.password_hash, password):
                u.failed_sign_ins = (u.failed_sign_ins or 0) + 1
                outcome = "wrong"
                if u.failed_sign_ins >= MAX_FAILED_SIGN_INS:
                    u.failed_sign_ins = 0
                    u.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                    outcome = "locked"
                    self.work.audit(s, "lock_out", "app_user", u.id, minutes=LOCK_MINUTES)
            elif u.disabled:
                outcome = "disabled"
            else:
                outcome = "ok"
                if u.failed_sign_ins or u.locked_until is not None:
                    u.failed_sign_ins = 0
                    u.locked_until = None
                if _hasher().check_needs_rehash(u.password_hash):
                    u.password_hash = hash_password(password)
                principal = _principal(s, u)
        if principal is not None:
            return principal
        if outcome == "locked":
            raise SignInRefused(_(LOCKED).format(minutes=LOCK_MINUTES))
        if outcome == "disabled":
            raise SignInRefused(_(DISABLED))
        raise SignInRefused(_(WRONG))

    def verify(self, login: str, password: str) -> Principal:
        """The password of the user signed in, asked again to unlock the screen: on a
        local file checked as a sign-in (failures count towards the lock-out); on the
        shared server by connecting with it."""
        if self.db.is_sqlite:
            return self.authenticate(login, password)
        from .database import Database
        from .errors import LoginRefused

        probe = Database(self.db.url, password=password)
        try:
            probe.ping()
        except LoginRefused:
            raise SignInRefused(_(WRONG)) from None
        finally:
            probe.dispose()
        return self.work.principal

    def _unknown_failed(self, login: str) -> str:
        count = self._unknown_failures.get(login, 0) + 1
        self._unknown_failures[login] = count
        return "locked" if count >= MAX_FAILED_SIGN_INS else "wrong"

    # -- managing users (administrators) ------------------------------------------------

    def add(
        self,
        login: str,
        role: Role | str,
        *,
        programmes: Iterable[int | str] = (),
        password: str,
        full_name: str = "",
    ) -> UserInfo:
        """A new user. On the shared server also their PostgreSQL login."""
        login = check_login(login)
        role = _role(role)
        check_password(password)
        full_name = full_name.strip()
        if len(full_name) > 200:
            raise ValidationError(_("The name is too long (200 characters at most)."))
        with self.work.transaction() as s:
            self.work.require(s, Right.USERS)
            if s.scalar(select(e.AppUser.id).where(e.AppUser.login == login)):
                raise ValidationError(
                    _("A user with login {login} already exists.").format(login=login)
                )
            first = not s.scalar(select(func.count()).select_from(e.AppUser))
            if first and role is not Role.ADMINISTRATOR:
                raise ValidationError(
                    _(
                        "The first user must be an administrator, who can then add the "
                        "others: add an administrator first (--role administrator)."
                    )
                )
            programme_ids = _programme_ids(s, programmes, role)
            u = e.AppUser(
                login=login,
                full_name=full_name,
                role=role.value,
                password_hash=hash_password(password) if self.db.is_sqlite else None,
                disabled=False,
                failed_sign_ins=0,
            )
            s.add(u)
            s.flush()
            s.add_all(e.AppUserProgramme(user_id=u.id, programme_id=p) for p in programme_ids)
            s.flush()
            if not self.db.is_sqlite:
                _pg_security().create_login(s.connection(), login, password, role)
            self.work.audit(
                s, "create", "app_user", u.id, role=role.value, programmes=sorted(programme_ids)
            )
            return _info(s, u)

    def change(
        self,
        login: str,
        version: int | None = None,
        *,
        role: Role | str | None = None,
        programmes: Iterable[int | str] | None = None,
        full_name: str | None = None,
    ) -> UserInfo:
        """A user's role, programmes or name."""
        with self.work.transaction() as s:
            self.work.require(s, Right.USERS)
            u = _by_login(s, login, lock=True)
            check_version(u, version)
            new_role = _role(role) if role is not None else Role(u.role)
            changed: dict[str, Any] = {}
            if new_role.value != u.role:
                if u.role == Role.ADMINISTRATOR and not u.disabled:
                    _keep_an_administrator(s, u)
                changed["role"] = new_role.value
                u.role = new_role.value
                if not self.db.is_sqlite:
                    _pg_security().set_login_role(s.connection(), u.login, new_role)
            if programmes is not None or "role" in changed:
                wanted = _programme_ids(
                    s, programmes if programmes is not None else _assigned(s, u.id), new_role
                )
                if wanted != set(_assigned(s, u.id)):
                    s.execute(delete(e.AppUserProgramme).where(e.AppUserProgramme.user_id == u.id))
                    s.add_all(e.AppUserProgramme(user_id=u.id, programme_id=p) for p in wanted)
                    changed["programmes"] = sorted(wanted)
                    touch(u)
            if full_name is not None and full_name.strip() != u.full_name:
                if len(full_name.strip()) > 200:
                    raise ValidationError(_("The name is too long (200 characters at most)."))
                u.full_name = full_name.strip()
                changed["name"] = True
            s.flush()
            if changed:
                self.work.audit(s, "update", "app_user", u.id, **changed)
            return _info(s, u)

    def set_disabled(self, login: str, disabled: bool, version: int | None = None) -> UserInfo:
        """Disable a user (they can no longer sign in; their records stay), or enable
        them again."""
        with self.work.transaction() as s:
            self.work.require(s, Right.USERS)
            u = _by_login(s, login, lock=True)
            check_version(u, version)
            if bool(u.disabled) == disabled:
                return _info(s, u)
            if disabled and u.role == Role.ADMINISTRATOR:
                _keep_an_administrator(s, u)
            u.disabled = disabled
            if not disabled:  # enabled again: a fresh start
                u.failed_sign_ins = 0
                u.locked_until = None
            if not self.db.is_sqlite:
                _pg_security().set_login_enabled(s.connection(), u.login, not disabled)
            s.flush()
            self.work.audit(s, "disable" if disabled else "enable", "app_user", u.id)
            return _info(s, u)

    def disable(self, login: str, version: int | None = None) -> UserInfo:
        return self.set_disabled(login, True, version)

    def enable(self, login: str, version: int | None = None) -> UserInfo:
        return self.set_disabled(login, False, version)

    def set_password(self, login: str, password: str, version: int | None = None) -> UserInfo:
        """A new password for a user (and the lock-out lifted)."""
        check_password(password)
        with self.work.transaction() as s:
            self.work.require(s, Right.USERS)
            u = _by_login(s, login, lock=True)
            check_version(u, version)
            if self.db.is_sqlite:
                u.password_hash = hash_password(password)
            else:
                _pg_security().set_login_password(s.connection(), u.login, password)
                touch(u)
            u.failed_sign_ins = 0
            u.locked_until = None
            s.flush()
            self.work.audit(s, "set_password", "app_user", u.id)  # never the password
            return _info(s, u)


# -- helpers ------------------------------------------------------------------------------


def check_login(login: str) -> str:
    """A login as kept: lower case; letters, digits, dot, underscore and hyphen."""
    login = login.strip().lower()
    if not _LOGIN.fullmatch(login):
        raise ValidationError(
            _(
                "A login is 1 to 63 characters: it starts with a letter and holds only "
                "letters without accents, digits, dot, underscore or hyphen (mario.rossi)."
            )
        )
    return login


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            ngettext(
                "A password needs at least {n} character.",
                "A password needs at least {n} characters.",
                MIN_PASSWORD_LENGTH,
            ).format(n=MIN_PASSWORD_LENGTH)
        )


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ValidationError(
            _("Unknown role {role}: use administrator, coordinator, operator or reader.").format(
                role=str(role)[:30]
            )
        ) from None


def _pg_security() -> Any:
    """``models.pg_security``: the shared server's logins, roles and row-level security
    (imported on the shared server only)."""
    import importlib

    return importlib.import_module("models.pg_security")


def _verify(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: list[str] = []


def _verify_nothing(password: str) -> None:
    """Spend on a login that does not exist the time a real check takes."""
    if not _DUMMY:
        _DUMMY.append(hash_password("not a password of anyone"))
    _verify(_DUMMY[0], password)


def _by_login(s: Session, login: str, *, lock: bool = False) -> e.AppUser:
    query = select(e.AppUser).where(e.AppUser.login == login.strip().lower())
    if lock:
        query = query.with_for_update()
    u = s.scalars(query).first()
    if u is None:
        raise NotFoundError(
            _("There is no user with login {login}.").format(login=login.strip()[:63])
        )
    return u


def _assigned(s: Session, user_id: int) -> list[int]:
    return list(
        s.scalars(
            select(e.AppUserProgramme.programme_id).where(e.AppUserProgramme.user_id == user_id)
        )
    )


def _programme_ids(s: Session, given: Iterable[int | str], role: Role) -> set[int]:
    """The programmes given by id or code, each checked; none for an administrator, who
    has every programme."""
    if role is Role.ADMINISTRATOR:
        return set()
    found: set[int] = set()
    for item in given:
        if isinstance(item, int):
            pid = s.scalar(select(e.Programme.id).where(e.Programme.id == item))
        else:
            pid = s.scalar(select(e.Programme.id).where(e.Programme.code == item.strip()))
        if pid is None:
            raise ValidationError(
                _("There is no programme {code}.").format(code=str(item).strip()[:40])
            )
        found.add(pid)
    return found


def _keep_an_administrator(s: Session, u: e.AppUser) -> None:
    others = s.scalar(
        select(func.count())
        .select_from(e.AppUser)
        .where(
            e.AppUser.role == Role.ADMINISTRATOR.value,
            e.AppUser.disabled.is_(False),
            e.AppUser.id != u.id,
        )
    )
    if not others:
        raise ValidationError(
            _(
                "{login} is the last active administrator: nobody could manage users any "
                "more. Make another user administrator first."
            ).format(login=u.login)
        )


def _principal(s: Session, u: e.AppUser) -> Principal:
    return Principal.assigned(u.login, Role(u.role), _assigned(s, u.id))


def _info(s: Session, u: e.AppUser) -> UserInfo:
    rows = s.execute(
        select(e.Programme.id, e.Programme.code)
        .join(e.AppUserProgramme, e.AppUserProgramme.programme_id == e.Programme.id)
        .where(e.AppUserProgramme.user_id == u.id)
        .order_by(e.Programme.code)
    ).all()
    return UserInfo(
        id=u.id,
        login=u.login,
        full_name=u.full_name,
        role=Role(u.role),
        programme_ids=tuple(r[0] for r in rows),
        programme_codes=tuple(r[1] for r in rows),
        disabled=bool(u.disabled),
        locked_until=u.locked_until,
        version=u.version,
    )
