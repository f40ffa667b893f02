"""The change log the database writes itself (models/change_log.py), on both engines.

Every change of a recorded table, whoever makes it and however (a use case, a bulk
statement, raw SQL from another login), leaves one row with the database user and the
values; nobody can change or delete a row of the log or of the audit trail.
"""

from __future__ import annotations

import json
import sqlite3
import uuid

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.database import sqlite_path
from models.results import NewPerson
from tests.factories import scenario
from tests.models.helpers import ADULT_BIRTH, D


def log_rows(db, after: int = 0) -> list[dict]:
    with db.engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT id, db_user, table_name, row_id, operation, before, after "
                "FROM change_log WHERE id > :after ORDER BY id"
            ),
            {"after": after},
        ).mappings()
        return [dict(r) for r in rows]


def last_id(db) -> int:
    with db.engine.connect() as c:
        return int(c.execute(text("SELECT coalesce(max(id), 0) FROM change_log")).scalar_one())


def test_every_change_through_the_application_is_logged_with_its_values(backend, db):
    start = last_id(db)
    hh = backend.people.register_household(
        [
            NewPerson("Ilda", "Prova", "F", ADULT_BIRTH),
            NewPerson("Oto", "Prova", "M", D(2015, 3, 1), "child"),
        ]
    )
    rows = log_rows(db, start)
    people = [r for r in rows if r["table_name"] == "person"]
    assert [r["operation"] for r in people].count("I") == 2
    # The last values logged for each person are the ones stored (the code included).
    last = {r["row_id"]: json.loads(r["after"]) for r in people}
    assert {pid: (v["first_name"], v["code"]) for pid, v in last.items()} == {
        m.person.id: (m.person.first_name, m.person.code) for m in hh.members
    }
    assert [r["table_name"] for r in rows].count("household_member") == 2
    assert all(r["db_user"] for r in rows)


def test_a_bulk_statement_leaves_one_row_per_record_changed(backend, db):
    s = scenario(backend)
    start = last_id(db)
    with db.engine.begin() as c:
        changed = c.execute(
            text("UPDATE structure SET comune = 'Altrove' WHERE programme_id = :p"),
            {"p": s.programme.id},
        ).rowcount
    rows = log_rows(db, start)
    assert changed == 3
    assert len(rows) == changed
    assert all(r["operation"] == "U" and r["table_name"] == "structure" for r in rows)
    for r in rows:
        before, after = json.loads(r["before"]), json.loads(r["after"])
        assert after["comune"] == "Altrove" and before["comune"] != "Altrove"
        assert before["id"] == after["id"] == r["row_id"]


def test_a_delete_keeps_the_values_it_removed(backend, db):
    s = scenario(backend)
    start = last_id(db)
    with db.engine.begin() as c:
        c.execute(text("DELETE FROM capacity_period WHERE structure_id = :s"), {"s": s.small.id})
    rows = log_rows(db, start)
    assert rows and all(r["operation"] == "D" and r["after"] is None for r in rows)
    assert all(json.loads(r["before"])["structure_id"] == s.small.id for r in rows)


@pytest.mark.parametrize("statement", ["UPDATE {t} SET id = id", "DELETE FROM {t}"])
@pytest.mark.parametrize("table", ["change_log", "audit_entry"])
def test_nobody_changes_or_deletes_the_log_or_the_audit_trail(backend, db, table, statement):
    scenario(backend)
    with db.engine.connect() as c:
        before = c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    assert before > 0
    with pytest.raises(DBAPIError, match="audit trail cannot be changed"), db.engine.begin() as c:
        c.execute(text(statement.format(t=table)))
    with db.engine.connect() as c:
        assert c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == before


def test_another_login_with_raw_sql_is_logged_under_its_own_name(backend, db, engine_name):
    """PostgreSQL: an administrator's login (every row; see models/pg_security.py) with
    only the right to update people, from psql say."""
    if engine_name != "postgresql":
        pytest.skip("database logins are PostgreSQL's")
    s = scenario(backend)
    pid = s.mother.members[0].person.id
    login = f"acc_clerk_{uuid.uuid4().hex[:8]}"
    url = db.engine.url
    with db.engine.begin() as c:
        c.execute(text(f"CREATE ROLE {login} LOGIN"))
        c.execute(text(f"GRANT SELECT, UPDATE ON person TO {login}"))
        c.execute(text(f"GRANT accoglienza_administrator TO {login}"))
    try:
        start = last_id(db)
        with psycopg.connect(
            host=url.host, port=url.port, dbname=url.database, user=login, autocommit=True
        ) as raw:
            raw.execute("UPDATE person SET citizenship = 'Ruritania' WHERE id = %s", (pid,))
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute("DELETE FROM change_log")
        rows = log_rows(db, start)
        assert [(r["db_user"], r["table_name"], r["row_id"], r["operation"]) for r in rows] == [
            (login, "person", pid, "U")
        ]
        assert json.loads(rows[0]["after"])["citizenship"] == "Ruritania"
    finally:
        with db.engine.begin() as c:
            c.execute(text(f"REVOKE ALL ON person FROM {login}"))
            c.execute(text(f"DROP ROLE {login}"))


def test_a_tool_that_cannot_log_cannot_change_a_local_file(backend, db, engine_name):
    """SQLite: a program other than Accoglienza (no acc_actor()) is refused, not unlogged."""
    if engine_name != "sqlite":
        pytest.skip("a local file's own case")
    scenario(backend)
    start = last_id(db)
    path = sqlite_path(db.url)
    db.dispose()
    other = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="acc_actor"):
            other.execute("UPDATE person SET citizenship = 'Ruritania'")
        other.rollback()
        assert other.execute(
            "SELECT count(*) FROM person WHERE citizenship = 'Ruritania'"
        ).fetchone() == (0,)
    finally:
        other.close()
    assert last_id(db) == start


def test_a_placements_history_lists_its_stays_and_extensions_with_who_and_what(backend, db):
    s = scenario(backend)
    pl = backend.placements.place(
        s.mother.id, s.families.id, D(2023, 1, 10), planned_end=D(2023, 7, 10)
    )
    backend.placements.extend(pl.id, D(2023, 12, 31), "Percorso di autonomia in corso")
    other = backend.placements.place(*_second_household(backend), s.men.id, D(2023, 2, 1))
    history = backend.history.of("placement", pl.id)
    tables = [h.table for h in history]
    assert tables.count("bed_stay") == 3  # mother and two minors
    assert "extension" in tables
    changed = [h for h in history if h.table == "placement" and h.operation == "U"]
    assert any(
        c.name == "planned_end" and (c.before, c.after) == ("2023-07-10", "2023-12-31")
        for h in changed
        for c in h.changes
    )
    assert all(h.user for h in history)
    assert other.id not in {h.row_id for h in history if h.table == "placement"}
    stay = [h for h in history if h.table == "bed_stay"][0]
    assert [h.row_id for h in backend.history.of("bed_stay", stay.row_id)] == [stay.row_id]


def test_a_persons_history_shows_a_correction_field_by_field(backend, db):
    s = scenario(backend)
    person = s.mother.members[0].person
    backend.people.update_person(person.id, person.version, citizenship="Ruritania")
    history = backend.history.of("person", person.id)
    assert history[0].operation == "I"
    assert any(h.table == "household_member" for h in history)
    last = history[-1]
    assert (last.operation, [(c.name, c.after) for c in last.changes]) == (
        "U",
        [("citizenship", "Ruritania")],
    )


def test_a_structures_history_holds_its_places_over_time(backend, db):
    s = scenario(backend)
    backend.structures.set_capacity(s.small.id, D(2024, 1, 1), 1, "Lavori")
    history = backend.history.of("structure", s.small.id)
    places = [h for h in history if h.table == "capacity_period"]
    assert [c.after for h in places for c in h.changes if c.name == "places"][-1] == "1"
    assert not [h for h in history if h.table == "structure" and h.row_id != s.small.id]


def _second_household(backend):
    hh = backend.people.register_household([NewPerson("Remo", "Prova", "M", ADULT_BIRTH)])
    return (hh.id,)
