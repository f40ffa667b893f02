"""The shared server protects the records itself (models/pg_security.py), on the real
PostgreSQL: logged in as each role, with the application or with raw SQL as psql would,
a user of one programme reads none of another programme's rows, changes and deletes
none, and cannot insert into it; a reader never reads a name; nobody changes the audit
trail; every change is logged under the login that made it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg
import pytest
from sqlalchemy import text

from models import pg_security
from models.access import Principal, Role
from models.backend import Backend
from models.database import Database
from models.errors import DomainError, NotFoundError
from models.pg_security import LoginError
from models.results import NewPerson
from tests.factories import scenario
from tests.models.helpers import ADULT_BIRTH, D

# The other programme's people, planted to be looked for.
CANARY = "Canarino"


@dataclass
class Network:
    url: str
    db: Database  # as the superuser setting the server up
    programme_a: int
    programme_b: int
    structure_a: int
    structure_b: int
    household_a: int
    household_b: int
    pending: int  # registered, not placed yet
    placement_b: int
    logins: dict[Role, str] = field(default_factory=dict)
    # Ids of the rows of programme B, table by table (as the superuser sees them).
    rows_b: dict[str, set[int]] = field(default_factory=dict)
    rows_a: dict[str, set[int]] = field(default_factory=dict)

    def url_as(self, login: str) -> str:
        return self.url.replace("postgres@", f"{login}@")

    def connect(self, role: Role) -> psycopg.Connection:
        u = self.db.engine.url
        return psycopg.connect(host=u.host, port=u.port, dbname=u.database, user=self.logins[role])


# Ids of a programme's rows in each table, as the superuser reads them.
OF_PROGRAMME = {
    "programme": "SELECT id FROM programme WHERE id = :p",
    "structure": "SELECT id FROM structure WHERE programme_id = :p",
    "room": "SELECT r.id FROM room r JOIN structure s ON s.id = r.structure_id "
    "WHERE s.programme_id = :p",
    "bed": "SELECT b.id FROM bed b JOIN room r ON r.id = b.room_id "
    "JOIN structure s ON s.id = r.structure_id WHERE s.programme_id = :p",
    "capacity_period": "SELECT c.id FROM capacity_period c JOIN structure s "
    "ON s.id = c.structure_id WHERE s.programme_id = :p",
    "placement": "SELECT id FROM placement WHERE programme_id = :p",
    "bed_stay": "SELECT b.id FROM bed_stay b JOIN placement p ON p.id = b.placement_id "
    "WHERE p.programme_id = :p",
    "household": "SELECT household_id FROM placement WHERE programme_id = :p",
    "household_member": "SELECT m.id FROM household_member m JOIN placement p "
    "ON p.household_id = m.household_id WHERE p.programme_id = :p",
    "person": "SELECT m.person_id FROM household_member m JOIN placement p "
    "ON p.household_id = m.household_id WHERE p.programme_id = :p",
    "reservation": "SELECT id FROM reservation WHERE programme_id = :p",
}


def _ids(c, sql: str, **params) -> set[int]:  # type: ignore[no-untyped-def]
    return {int(r[0]) for r in c.execute(text(sql), params).all()}


@pytest.fixture(scope="module")
def network(pg_server) -> Iterator[Network]:  # type: ignore[no-untyped-def]
    url = pg_server.create()
    db = Database(url)
    sv = Backend(db, actor="setup")
    s = scenario(sv)
    # Programme A: the mother and her children; programme B (anti-trafficking, a
    # confidential apartment): the canary.
    a = sv.placements.place(s.mother.id, s.families.id, D(2024, 1, 10))
    canary = sv.people.register_household(
        [NewPerson("Zelda", CANARY, "F", ADULT_BIRTH, citizenship="Ruritania")]
    )
    b = sv.placements.place(canary.id, s.other.id, D(2024, 1, 12))
    sv.reservations.reserve(
        sv.people.register_household([NewPerson("Vera", CANARY, "F", ADULT_BIRTH)]).id,
        s.other.id,
        D(2024, 2, 1),
        held_from=D(2024, 1, 20),
    )
    pending = sv.people.register_household([NewPerson("Nadia", "Attesa", "F", ADULT_BIRTH)])
    net = Network(
        url=url,
        db=db,
        programme_a=s.programme.id,
        programme_b=s.other_programme.id,
        structure_a=s.families.id,
        structure_b=s.other.id,
        household_a=s.mother.id,
        household_b=canary.id,
        pending=pending.id,
        placement_b=b.id,
    )
    assert a.id
    suffix = uuid.uuid4().hex[:8]
    with db.engine.begin() as c:
        for role in Role:
            login = f"acc_{role.value}_{suffix}"
            pg_security.create_login(c, login, "not-a-real-password", role)
            uid = c.execute(
                text(
                    "INSERT INTO app_user (login, full_name, role) VALUES (:l, '', :r) RETURNING id"
                ),
                {"l": login, "r": role.value},
            ).scalar_one()
            if role is not Role.ADMINISTRATOR:
                c.execute(
                    text("INSERT INTO app_user_programme (user_id, programme_id) VALUES (:u, :p)"),
                    {"u": uid, "p": net.programme_a},
                )
            net.logins[role] = login
        net.rows_b = {t: _ids(c, q, p=net.programme_b) for t, q in OF_PROGRAMME.items()}
        net.rows_a = {t: _ids(c, q, p=net.programme_a) for t, q in OF_PROGRAMME.items()}
    assert all(net.rows_b[t] for t in OF_PROGRAMME), net.rows_b
    try:
        yield net
    finally:
        db.dispose()
        drop_logins(pg_server, url, list(net.logins.values()))


def drop_logins(pg_server, url: str, logins: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Leave the server as it was: the test logins own and hold nothing anywhere."""
    name = url.rsplit("/", 1)[1]
    with pg_server.admin.connect() as c:
        c.execute(
            text(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND usename = ANY(:l)"
            ),
            {"l": logins},
        )
    db = Database(url)
    with db.engine.begin() as c:
        for login in logins:
            if c.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :l"), {"l": login}).first():
                c.execute(text(f'DROP OWNED BY "{login}"'))
                c.execute(text(f'DROP ROLE "{login}"'))
    db.dispose()


LIMITED = (Role.COORDINATOR, Role.OPERATOR, Role.READER)
WRITERS = (Role.COORDINATOR, Role.OPERATOR)


def visible(conn: psycopg.Connection, table: str) -> set[int]:
    column = "id"
    with conn.transaction():
        return {int(r[0]) for r in conn.execute(f"SELECT {column} FROM {table}").fetchall()}


@pytest.mark.parametrize("role", LIMITED, ids=lambda r: r.value)
def test_a_user_reads_no_row_of_another_programme(network: Network, role: Role) -> None:
    with network.connect(role) as conn:
        for table, theirs in network.rows_b.items():
            seen = visible(conn, table)
            assert not seen & theirs, table
            assert network.rows_a[table] <= seen, table
        # The audit trail and the log of another programme's records are not shown either.
        with conn.transaction():
            audited = conn.execute(
                "SELECT entity_id FROM audit_entry WHERE entity = 'placement'"
            ).fetchall()
        assert audited and network.placement_b not in {r[0] for r in audited}
        if role is not Role.READER:
            with conn.transaction():
                logged = conn.execute(
                    "SELECT count(*) FROM change_log WHERE table_name = 'placement' AND row_id = %s",
                    (network.placement_b,),
                ).fetchone()
            assert logged == (0,)
        with conn.transaction():
            found = conn.execute(
                "SELECT count(*) FROM person WHERE code IS NOT NULL AND id = ANY(%s)",
                (sorted(network.rows_b["person"]),),
            ).fetchone()
        assert found == (0,)


def test_an_administrator_reads_every_programme(network: Network) -> None:
    with network.connect(Role.ADMINISTRATOR) as conn:
        for table, theirs in network.rows_b.items():
            assert theirs <= visible(conn, table), table
        with conn.transaction():
            assert conn.execute(
                "SELECT count(*) FROM person WHERE last_name = %s", (CANARY,)
            ).fetchone() == (2,)


@pytest.mark.parametrize("role", WRITERS, ids=lambda r: r.value)
def test_a_user_changes_deletes_and_inserts_nothing_in_another_programme(
    network: Network, role: Role
) -> None:
    b_people = sorted(network.rows_b["person"])
    b_placements = sorted(network.rows_b["placement"])
    with network.connect(role) as conn:
        for sql, params in (
            ("UPDATE person SET alias = 'x' WHERE id = ANY(%s)", (b_people,)),
            ("UPDATE person SET alias = 'x' WHERE last_name = %s", (CANARY,)),
            ("UPDATE placement SET note = 'x' WHERE id = ANY(%s)", (b_placements,)),
            (
                "UPDATE bed_stay SET override_reason = 'x' WHERE placement_id = ANY(%s)",
                (b_placements,),
            ),
            (
                "UPDATE household_member SET relationship = 'other' WHERE person_id = ANY(%s)",
                (b_people,),
            ),
        ):
            with conn.transaction():
                assert conn.execute(sql, params).rowcount == 0, sql
        # Deleting is nobody's right; it would find nothing of programme B anyway.
        for table in ("person", "placement", "bed_stay", "household"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(f"DELETE FROM {table}")
        # Inserting into programme B, or moving a row of A there, is refused.
        refused = [
            (
                "INSERT INTO placement (household_id, programme_id, entry_date, status, note, exit_destination, version) "
                "VALUES (%s, %s, '2024-03-01', 'active', '', '', 1)",
                (network.household_a, network.programme_b),
            ),
            (
                "UPDATE placement SET programme_id = %s WHERE programme_id = %s",
                (network.programme_b, network.programme_a),
            ),
            (
                "INSERT INTO household_member (household_id, person_id, relationship) "
                "SELECT %s, id, 'other' FROM person WHERE id = ANY(%s)",
                (network.household_b, sorted(network.rows_a["person"])[:1]),
            ),
            (
                "INSERT INTO bed_stay (placement_id, person_id, bed_id, start_date, cancelled, override_reason) "
                "SELECT p.id, m.person_id, %s, '2030-01-01', false, '' FROM placement p "
                "JOIN household_member m ON m.household_id = p.household_id "
                "WHERE p.programme_id = %s LIMIT 1",
                (min(network.rows_b["bed"]), network.programme_a),
            ),
        ]
        if role is Role.COORDINATOR:
            refused.append(
                (
                    "INSERT INTO room (structure_id, name, version) VALUES (%s, 'Nuova', 1)",
                    (network.structure_b,),
                )
            )
        for sql, params in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(sql, params)
    with network.db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM person WHERE alias = 'x'")).scalar_one() == 0


def test_an_operator_does_not_change_the_network(network: Network) -> None:
    with network.connect(Role.OPERATOR) as conn:
        for sql in (
            "UPDATE structure SET name = 'x'",
            "UPDATE room SET name = 'x'",
            "INSERT INTO programme (code, name, kind, start_date) VALUES ('X', 'X', 'sai', '2024-01-01')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(sql)


def test_a_reader_reads_figures_never_a_name(network: Network) -> None:
    with network.connect(Role.READER) as conn:
        with conn.transaction():
            rows = conn.execute("SELECT id, code, alias, sex, birth_date FROM person").fetchall()
        assert {r[0] for r in rows} == network.rows_a["person"]
        for sql in (
            "SELECT first_name FROM person",
            "SELECT last_name FROM person",
            "SELECT search_text FROM person",
            "SELECT * FROM person",
            "SELECT address FROM structure",
            "SELECT name FROM structure",
            "SELECT before, after FROM change_log",
            "SELECT details FROM audit_entry",
            "UPDATE placement SET note = ''",
            "INSERT INTO household (code, version) VALUES ('X', 1)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(sql)
        with conn.transaction():
            # A structure's name as a reader may read it: a confidential one's is its code.
            shown = conn.execute("SELECT code, shown_name, confidential FROM structure").fetchall()
        assert shown and all((n == c) == conf for c, n, conf in shown)
        with conn.transaction():
            # A household registered but not placed is a coordinator's matter, not a figure.
            assert conn.execute(
                "SELECT count(*) FROM household WHERE id = %s", (network.pending,)
            ).fetchone() == (0,)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_no_role_changes_or_deletes_the_audit_trail(network: Network, role: Role) -> None:
    with network.connect(role) as conn:
        for table in ("audit_entry", "change_log"):
            for sql in (
                f"UPDATE {table} SET at = at",
                f"DELETE FROM {table}",
                f"TRUNCATE {table}",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                    conn.execute(sql)
        # Nor writes a change log row of its own making.
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute(
                "INSERT INTO change_log (at, db_user, table_name, row_id, operation) "
                "VALUES (now(), 'someone', 'person', 1, 'U')"
            )


def as_login(network: Network, role: Role) -> Backend:
    db = Database(network.url_as(network.logins[role]))
    with db.engine.connect() as c:
        principal = pg_security.principal_of(c)
    assert principal is not None
    return Backend(db, principal=principal)


def test_principal_of_each_login(network: Network) -> None:
    for role, login in network.logins.items():
        backend = as_login(network, role)
        try:
            assert backend.principal.login == login
            assert backend.principal.role is role
            expected = None if role is Role.ADMINISTRATOR else frozenset({network.programme_a})
            assert backend.principal.programmes == expected
        finally:
            backend.db.dispose()
    with network.db.engine.connect() as c:  # the superuser setting the server up
        assert pg_security.principal_of(c) == Principal("postgres", Role.ADMINISTRATOR, None)


@pytest.mark.parametrize("role", WRITERS, ids=lambda r: r.value)
def test_through_the_application_another_programme_is_out_of_reach(
    network: Network, role: Role
) -> None:
    backend = as_login(network, role)
    try:
        day = D(2024, 1, 15)
        codes = {row.label for row in backend.occupancy.at(day)}
        structures = {st.id for st in backend.directory.structures()}
        assert network.structure_b not in structures and network.structure_a in structures
        assert "T-ART" not in " ".join(str(c) for c in codes)
        assert backend.directory.search_people(CANARY) == []
        assert backend.directory.search_people("Ğülşen")
        assert {p.id for p in backend.directory.programmes()} == {network.programme_a}
        with pytest.raises(NotFoundError):
            backend.directory.placement(network.placement_b)
        # A record's history: its own programme's, and nothing of the other.
        assert backend.history.of("structure", network.structure_a)
        assert backend.history.of("structure", network.structure_b) == []
        assert backend.history.of("placement", network.placement_b) == []
        # Writing into programme B: its structure, its placement are not there.
        with pytest.raises(DomainError):
            backend.placements.place(network.pending, network.structure_b, D(2024, 2, 1))
        with pytest.raises(DomainError):
            backend.placements.record_exit(network.placement_b, D(2024, 2, 1), "other")
    finally:
        backend.db.dispose()
    with network.db.engine.connect() as c:
        assert (
            c.execute(
                text("SELECT count(*) FROM placement WHERE household_id = :h"),
                {"h": network.pending},
            ).scalar_one()
            == 0
        )
        assert (
            c.execute(
                text("SELECT exit_date FROM placement WHERE id = :p"), {"p": network.placement_b}
            ).scalar_one()
            is None
        )


def _log_after(network: Network, start: int) -> list[tuple[str, str, str]]:
    with network.db.engine.connect() as c:
        return [
            tuple(r)
            for r in c.execute(
                text(
                    "SELECT db_user, table_name, operation FROM change_log WHERE id > :s ORDER BY id"
                ),
                {"s": start},
            ).all()
        ]


def _last_log(network: Network) -> int:
    with network.db.engine.connect() as c:
        return int(c.execute(text("SELECT coalesce(max(id), 0) FROM change_log")).scalar_one())


def test_every_change_is_logged_under_the_login_that_made_it(network: Network) -> None:
    login = network.logins[Role.COORDINATOR]
    people = sorted(network.rows_a["person"])
    # Through the application: one person corrected.
    backend = as_login(network, Role.COORDINATOR)
    try:
        start = _last_log(network)
        info = backend.directory.household(network.household_a)
        person = info.members[0].person
        backend.people.update_person(person.id, person.version, citizenship="Ruritania")
        assert _log_after(network, start) == [(login, "person", "U")]
    finally:
        backend.db.dispose()
    with network.connect(Role.COORDINATOR) as conn:
        # A bulk statement: one row per record changed (K = the people the coordinator
        # sees: programme A's and the one registered but not placed yet).
        start = _last_log(network)
        with conn.transaction():
            k = conn.execute("UPDATE person SET gender_identity = 'x'").rowcount
        assert k == len(people) + 1
        assert _log_after(network, start) == [(login, "person", "U")] * k
        # Raw SQL on one record.
        start = _last_log(network)
        with conn.transaction():
            conn.execute("UPDATE person SET gender_identity = '' WHERE id = %s", (people[0],))
        assert _log_after(network, start) == [(login, "person", "U")]
        # What the log holds of them, the login reads back; of programme B, nothing.
        with conn.transaction():
            mine = conn.execute(
                "SELECT count(*) FROM change_log WHERE table_name = 'person' AND db_user = %s",
                (login,),
            ).fetchone()
            assert mine == (k + 2,)


@pytest.mark.parametrize("role", WRITERS, ids=lambda r: r.value)
def test_a_user_places_a_household_just_registered_in_their_programme(
    network: Network, role: Role
) -> None:
    backend = as_login(network, role)
    try:
        hh = backend.people.register_household([NewPerson("Olga", "Nuova", "F", ADULT_BIRTH)])
        assert backend.directory.household(hh.id).members
        # One after the other in the last free bed: the coordinator in March, the
        # operator in May.
        month = 3 if role is Role.COORDINATOR else 5
        pl = backend.placements.place(hh.id, network.structure_a, D(2024, month, 1))
        assert pl.programme_id == network.programme_a
        backend.placements.extend(pl.id, D(2024, 12, 1), "Progetto individuale")
        backend.placements.record_exit(pl.id, D(2024, month + 1, 1), "voluntary_abandonment")
    finally:
        backend.db.dispose()
    # The reader sees it now that it is placed in the reader's programme, by code only.
    with network.connect(Role.READER) as conn, conn.transaction():
        assert conn.execute(
            "SELECT count(*) FROM household WHERE id = %s", (hh.id,)
        ).fetchone() == (1,)


# -- managing logins ----------------------------------------------------------------------


def test_login_names_are_checked_before_the_server_is_asked(network: Network) -> None:
    with network.db.engine.begin() as c:
        for bad in (
            "",
            "Maria",
            "1abc",
            'x"; DROP TABLE person; --',
            "accoglienza_owner",
            "a" * 64,
        ):
            with pytest.raises(LoginError):
                pg_security.create_login(c, bad, "pw", Role.OPERATOR)
        with pytest.raises(LoginError, match="esiste già|already exists"):
            pg_security.create_login(c, network.logins[Role.OPERATOR], "pw", Role.OPERATOR)
        with pytest.raises(LoginError):
            pg_security.set_login_role(c, "postgres", Role.READER)  # not the application's
        with pytest.raises(LoginError):
            pg_security.set_login_enabled(c, "nobody_at_all", False)


def test_an_administrator_manages_logins_and_a_coordinator_cannot(
    pg_server, network: Network
) -> None:  # type: ignore[no-untyped-def]
    new = f"acc_new_{uuid.uuid4().hex[:8]}"
    admin = Database(network.url_as(network.logins[Role.ADMINISTRATOR]))
    coordinator = Database(network.url_as(network.logins[Role.COORDINATOR]))
    try:
        with coordinator.engine.begin() as c, pytest.raises(LoginError):
            pg_security.create_login(c, new, "secret", Role.READER)
        with admin.engine.begin() as c:
            pg_security.create_login(c, new, "secret", Role.READER)
            c.execute(
                text("INSERT INTO app_user (login, full_name, role) VALUES (:l, '', 'reader')"),
                {"l": new},
            )
        with admin.engine.begin() as c:
            pg_security.set_login_role(c, new, Role.OPERATOR)
            pg_security.set_login_password(c, new, "another secret")
        with network.db.engine.connect() as c:
            groups = set(
                c.execute(
                    text(
                        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :l"
                    ),
                    {"l": new},
                ).scalars()
            )
            assert groups == {"accoglienza_operator"}
            stored = c.execute(
                text("SELECT rolpassword FROM pg_authid WHERE rolname = :l"), {"l": new}
            ).scalar_one()
            assert stored.startswith("SCRAM-SHA-256$")
        with admin.engine.begin() as c:
            pg_security.set_login_enabled(c, new, False)
        u = network.db.engine.url
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(host=u.host, port=u.port, dbname=u.database, user=new).close()
        with admin.engine.begin() as c:
            pg_security.set_login_enabled(c, new, True)
        psycopg.connect(host=u.host, port=u.port, dbname=u.database, user=new).close()
        # An administrator cannot take over the server's own roles.
        with admin.engine.begin() as c, pytest.raises(LoginError):
            pg_security.set_login_role(
                c,
                network.logins[Role.ADMINISTRATOR].replace("administrator", "x"),
                Role.ADMINISTRATOR,
            )
    finally:
        admin.dispose()
        coordinator.dispose()
        drop_logins(pg_server, network.url, [new])


def test_a_disabled_user_sees_nothing(pg_server, network: Network) -> None:  # type: ignore[no-untyped-def]
    login = network.logins[Role.OPERATOR]
    with network.db.engine.begin() as c:
        c.execute(text("UPDATE app_user SET disabled = true WHERE login = :l"), {"l": login})
    try:
        with network.connect(Role.OPERATOR) as conn:
            for table in ("person", "household", "placement", "structure", "placement_request"):
                assert visible(conn, table) == set(), table
            with conn.transaction():
                assert conn.execute("SELECT acc_my_programmes()").fetchone() == (None,)
    finally:
        with network.db.engine.begin() as c:
            c.execute(text("UPDATE app_user SET disabled = false WHERE login = :l"), {"l": login})


def test_the_setup_needs_no_more_rights_than_it_names(network: Network) -> None:
    with network.db.engine.connect() as c:
        assert pg_security.missing_rights(c) == []  # the superuser


def test_a_readers_application_shows_figures_and_refuses_writes_in_words(
    network: Network,
) -> None:
    backend = as_login(network, Role.READER)
    day = D(2024, 1, 15)
    try:
        rows = backend.occupancy.at(day)
        assert {r.key for r in rows} and all("T-ART" not in r.label for r in rows)
        assert backend.occupancy.overview(day).total.beds > 0
        assert {p.id for p in backend.directory.programmes()} == {network.programme_a}
        with pytest.raises(DomainError, match="Il tuo ruolo non permette|Your role does not"):
            backend.people.register_household([NewPerson("Ugo", "Prova", "M", ADULT_BIRTH)])
    finally:
        backend.db.dispose()


def test_the_person_who_prepared_the_server_copies_a_local_file_into_it(
    pg_server, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Not a superuser: a login that may create roles and owns the database, as the
    README asks; the copy writes every row past the policies, as a member of the owner."""
    from models import demo, schema
    from models.database_copy import copy_database, table_checksum, tables

    preparer = f"acc_prep_{uuid.uuid4().hex[:8]}"
    url = pg_server.create(migrated=False)
    name = url.rsplit("/", 1)[1]
    with pg_server.admin.connect() as c:
        c.execute(text(f'CREATE ROLE "{preparer}" LOGIN CREATEROLE'))
        c.execute(text(f'ALTER DATABASE "{name}" OWNER TO "{preparer}"'))
    local = Database(f"sqlite:///{tmp_path / 'ufficio.sqlite3'}")
    schema.upgrade(local)
    demo.generate(local, scale="tiny", seed=2, today=D(2024, 11, 15))
    shared = Database(url.replace("postgres@", f"{preparer}@"))
    try:
        copied = copy_database(local, shared)
        with shared.engine.connect() as c:
            assert {t.name: table_checksum(c, t) for t in tables()} == {
                done.table: done for done in copied
            }
            # Nothing of the copy is left "linked to nothing" but what is so.
            unlinked = c.execute(
                text(
                    "SELECT count(*) FROM household h WHERE NOT EXISTS "
                    "(SELECT 1 FROM placement p WHERE p.household_id = h.id) AND NOT EXISTS "
                    "(SELECT 1 FROM reservation r WHERE r.household_id = h.id) AND NOT EXISTS "
                    "(SELECT 1 FROM placement_request q WHERE q.household_id = h.id)"
                )
            ).scalar_one()
            kept = c.execute(
                text("SELECT count(*) FROM acc_unlinked WHERE table_name = 'household'")
            ).scalar_one()
            assert kept == unlinked
    finally:
        local.dispose()
        shared.dispose()
        with pg_server.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            c.execute(text(f'DROP ROLE IF EXISTS "{preparer}"'))


def test_a_restored_backup_is_owned_and_protected_as_before(pg_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from models import backup

    source = Database(pg_server.create())
    Backend(source, actor="setup").people.register_household(
        [NewPerson("Rita", "Prova", "F", ADULT_BIRTH)]
    )
    dump = backup.take(source, tmp_path / "copia.dump")
    source.dispose()
    target_url = pg_server.create(migrated=False)
    backup.restore(dump, target_url, keep_dir=tmp_path)
    target = Database(target_url)
    try:
        with target.engine.connect() as c:
            owners = set(
                c.execute(
                    text(
                        "SELECT pg_get_userbyid(relowner) FROM pg_class "
                        "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v')"
                    )
                ).scalars()
            )
            forced = c.execute(
                text("SELECT count(*) FROM pg_class WHERE relforcerowsecurity")
            ).scalar_one()
            unlinked = c.execute(text("SELECT count(*) FROM acc_unlinked")).scalar_one()
        assert owners == {"accoglienza_owner"}
        assert forced == len(pg_security.SCOPED_TABLES)
        assert unlinked == 1  # the household registered, not placed yet
    finally:
        target.dispose()


def test_a_users_pc_starting_a_new_version_first_is_told_who_upgrades(
    network: Network,
) -> None:
    """Only the login that set the database up changes its tables: an ordinary user's PC
    meeting a database one migration behind says so, and changes nothing."""
    from models import schema

    with network.db.engine.begin() as c:
        head = c.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        c.execute(text("UPDATE alembic_version SET version_num = '0010'"))
    try:
        user = as_login(network, Role.COORDINATOR)
        try:
            with pytest.raises(
                DomainError, match="only whoever set the database up|solo chi ha predisposto"
            ):
                schema.migrate_shared(user.db)
        finally:
            user.db.dispose()
        with network.db.engine.connect() as c:
            assert c.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0010"
    finally:
        with network.db.engine.begin() as c:
            c.execute(text("UPDATE alembic_version SET version_num = :h"), {"h": head})
