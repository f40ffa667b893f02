"""Retention (models/retention.py): the people whose last placement ended more than N years
ago are anonymised in one step by an administrator; every figure stays as it was, and no
name is left anywhere in the database, the change log and the audit trail included."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import String, Text, inspect, text
from sqlalchemy.exc import DBAPIError

from desktop import cli
from models import change_log
from models.access import Principal, Role
from models.backend import Backend
from models.errors import DomainError, NotAllowedError, ValidationError
from models.results import NewPerson, NewRequest
from models.retention import reduced_birth_date
from tests.factories import scenario

D = dt.date
TODAY = D(2026, 6, 1)  # ten years back: 1 June 2016

# Every word that names one of the people past their time (all invented).
OLD_WORDS = [
    "Zelinda",
    "Quercioli",
    "Žetabella",
    "zetabella",
    "Brunilde",
    "Vasquerra",
    "Teodolinda",
    "Ermenegildo",
    "Filiberta",
    "Richiestona",
    "Eritrea",
    "donna transgender",
    "cugina di Castelmarte",
    "REF-QX-4471",
]
RECENT_WORDS = ["Gualtiero", "Recentini"]


def admin_backend(db, role: Role = Role.ADMINISTRATOR) -> Backend:
    principal = Principal.assigned("chi", role, [])
    return Backend(db, actor="test", today=lambda: TODAY, principal=principal)


def network(sv: Backend):
    """Two households gone before 2016, one gone in 2024, one never placed whose request
    closed in 2013; the scenario's own household was never placed nor requested."""
    s = scenario(sv)
    alone = sv.people.register_household(
        [
            NewPerson(
                "Zelinda",
                "Quercioli",
                "F",
                D(1980, 8, 20),
                alias="Žetabella",
                citizenship="Eritrea",
                gender_identity="donna transgender",
            )
        ]
    )
    family = sv.people.register_household(
        [
            NewPerson("Brunilde", "Vasquerra", "F", D(1985, 3, 3)),
            # 18 on 5 May 2014, while placed
            NewPerson("Teodolinda", "Vasquerra", "F", D(1996, 5, 5), relationship="child"),
            # a minor on every night, 18 in 2018
            NewPerson("Ermenegildo", "Vasquerra", "M", D(2000, 2, 2), relationship="child"),
        ]
    )
    recent = sv.people.register_household([NewPerson("Gualtiero", "Recentini", "M", D(1970, 1, 1))])
    # A woman in a men-only structure: the reason names her.
    pl_alone = sv.placements.place(
        alone.id,
        s.men.id,
        D(2014, 3, 1),
        override_reason="Zelinda Quercioli: unica soluzione",
        note="Zelinda arriva dalla cugina di Castelmarte",
    )
    pl_family = sv.placements.place(
        family.id, s.families.id, D(2014, 4, 1), note="Brunilde Vasquerra e figli"
    )
    sv.placements.extend(
        pl_family.id,
        D(2015, 3, 1),
        "Teodolinda Vasquerra a scuola",
        authorised_by="Servizio Centrale",
        granted_on=D(2014, 9, 1),
    )
    sv.placements.record_exit(
        pl_alone.id,
        D(2015, 2, 1),
        "socio_economic",
        destination="presso la cugina di Castelmarte",
    )
    sv.placements.record_exit(pl_family.id, D(2015, 5, 1), "term_expired")
    pl_recent = sv.placements.place(recent.id, s.men.id, D(2020, 1, 1), note="Gualtiero Recentini")
    sv.placements.record_exit(pl_recent.id, D(2024, 1, 1), "socio_economic")
    asked = sv.people.register_household(
        [NewPerson("Filiberta", "Richiestona", "F", D(1975, 1, 1))]
    )
    req = sv.waiting_list.add(
        NewRequest(
            D(2012, 1, 10),
            referral_code="REF-QX-4471",
            referring_body="Prefettura di Sondrio",
            household_id=asked.id,
            notes="Filiberta Richiestona, sorella di Zelinda",
        )
    )
    sv.waiting_list.withdraw(req.id, D(2013, 1, 10), "Filiberta Richiestona ha rinunciato")
    return s


def occupancy_json(db_url: str, day: dt.date, capsys) -> dict:
    assert cli.main(["occupancy", "--database", db_url, "--json", "--date", day.isoformat()]) == 0
    return json.loads(capsys.readouterr().out)


DAYS = [
    D(2014, 3, 15),
    D(2014, 4, 15),
    D(2014, 5, 10),
    D(2015, 1, 31),
    D(2015, 4, 30),
    D(2021, 1, 1),
]


def figures(sv: Backend, s) -> dict:
    """What the registers, sheets and counts say, without a name."""
    out: dict = {}
    for year, month in ((2014, 3), (2014, 5), (2015, 1), (2015, 4), (2022, 6)):
        out[f"nights {year}-{month}"] = sorted(
            (p.person_id, p.structure_codes, sorted(p.days))
            for p in sv.presence.month_nights(year, month)
        )
    for day in DAYS:
        for st in (s.families, s.men):
            sheet = sv.sheets.sheet(st.id, day)
            out[f"sheet {st.code} {day}"] = [
                (b.bed_id, b.occupant.person_id, b.occupant.minor)
                if b.occupant is not None
                else (b.bed_id, None, None)
                for b in sheet.beds
            ]
    return out


def every_text(db) -> list[str]:
    """Every value of every text column of every table, as text."""
    found: list[str] = []
    with db.engine.connect() as c:
        insp = inspect(c)
        for table in insp.get_table_names():
            columns = [
                col["name"]
                for col in insp.get_columns(table)
                if isinstance(col["type"], String | Text)
            ]
            if not columns:
                continue
            names = ", ".join(f'"{col}"' for col in columns)
            for row in c.execute(text(f'SELECT {names} FROM "{table}"')):
                found.extend(str(v) for v in row if v is not None)
    return found


def test_anonymisation_keeps_every_figure_and_removes_every_name(db, db_url, capsys):
    sv = admin_backend(db)
    s = network(sv)
    before_json = [occupancy_json(db_url, day, capsys) for day in DAYS]
    assert before_json[2]["total"]["occupied"] == 4  # the two old households, in May 2014
    before = figures(sv, s)
    # Teodolinda turns 18 while placed: two minors in April, one in May.
    minors = {day: sum(bool(m) for _b, _p, m in before[f"sheet T-FAM {day}"]) for day in DAYS}
    assert (minors[D(2014, 4, 15)], minors[D(2014, 5, 10)]) == (2, 1)
    everything = "\n".join(every_text(db))
    assert all(word in everything for word in OLD_WORDS + RECENT_WORDS)

    summary = sv.retention.candidates(10)
    assert (summary.people, summary.households, summary.placements) == (5, 3, 2)
    assert summary.cut_off == D(2016, 6, 1) and summary.latest_exit == D(2015, 5, 1)

    done = sv.retention.anonymise(10)
    assert (done.people, done.households) == (5, 3)

    assert [occupancy_json(db_url, day, capsys) for day in DAYS] == before_json
    assert figures(sv, s) == before
    everything = "\n".join(every_text(db)).lower()
    assert [w for w in OLD_WORDS if w.lower() in everything] == []
    # The recent stay and the people never placed are untouched, their history too.
    assert all(word.lower() in everything for word in RECENT_WORDS)
    assert "ğülşen" in everything
    # The anonymised are found by their code, as "Anonimo".
    people = sv.directory.search_people("anonimo")
    assert len(people) == 5
    assert {p.last_name for p in people} == {"Anonimo"}
    assert all(p.first_name == p.code and p.alias == "" for p in people)
    # Nothing is left to do; one audit entry says what was done, without a name.
    assert sv.retention.candidates(10).people == 0
    with db.engine.connect() as c:
        rows = c.execute(
            text("SELECT actor, details FROM audit_entry WHERE action = 'anonymise'")
        ).all()
    assert len(rows) == 1
    details = json.loads(rows[0][1])
    assert details["people"] == 5 and details["years"] == 10
    assert details["cut_off"] == "2016-06-01"


def test_a_shorter_cut_off_takes_the_recent_too_and_the_history_follows(db):
    sv = admin_backend(db)
    network(sv)
    assert sv.retention.candidates(2).people == 6
    sv.retention.anonymise(2)
    everything = "\n".join(every_text(db)).lower()
    assert [w for w in RECENT_WORDS if w.lower() in everything] == []
    # The history of an anonymised person reads the placeholder, never the name.
    with db.engine.connect() as c:
        pid = c.execute(text("SELECT id FROM person WHERE last_name = 'Anonimo'")).scalars().first()
    entries = sv.history.of("person", pid)
    assert entries and "Anonimo" in repr(entries)


def test_people_still_placed_or_recent_are_never_candidates(db):
    sv = admin_backend(db)
    s = network(sv)
    # The scenario's household placed today: not a candidate at any cut-off.
    sv.placements.place(s.mother.id, s.families.id, D(2026, 5, 1))
    assert sv.retention.candidates(1).people == 6  # 5 old and the 2024 exit, not the mother's


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OPERATOR, Role.READER])
def test_only_an_administrator_may_anonymise(db, role):
    network(admin_backend(db))
    sv = admin_backend(db, role)
    before = "\n".join(every_text(db))
    with pytest.raises(NotAllowedError, match="Your role does not allow|Il tuo ruolo"):
        sv.retention.anonymise(10)
    assert "\n".join(every_text(db)) == before


def test_the_years_must_make_sense(db):
    sv = admin_backend(db)
    for years in (0, -3, 101):
        with pytest.raises(ValidationError):
            sv.retention.candidates(years)
        with pytest.raises(ValidationError):
            sv.retention.anonymise(years)


def test_a_failure_half_way_changes_nothing(db, monkeypatch):
    sv = admin_backend(db)
    network(sv)
    before = every_text(db)
    real = change_log.forget

    def failing(conn, table, ids):
        if table == "bed_stay":
            raise DomainError("a failure in the middle")
        return real(conn, table, ids)

    monkeypatch.setattr(change_log, "forget", failing)
    with pytest.raises(DomainError, match="in the middle"):
        sv.retention.anonymise(10)
    monkeypatch.undo()
    assert every_text(db) == before
    assert sv.retention.candidates(10).people == 5
    # The log is still frozen after the failure.
    with pytest.raises(DBAPIError, match="audit trail cannot be changed"), db.engine.begin() as c:
        c.execute(text("UPDATE change_log SET before = NULL"))


@pytest.mark.parametrize("table", ["change_log", "audit_entry"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET id = id", "DELETE FROM {t}"])
def test_the_log_stays_frozen_after_an_anonymisation(db, table, statement):
    sv = admin_backend(db)
    network(sv)
    sv.retention.anonymise(10)
    with pytest.raises(DBAPIError, match="audit trail cannot be changed"), db.engine.begin() as c:
        c.execute(text(statement.format(t=table)))


def test_the_flag_alone_opens_nothing_on_postgresql(db, engine_name):
    """The rewrite functions set the flag while they run and clear it before they
    return: an update after them, in the same transaction, is refused."""
    if engine_name != "postgresql":
        pytest.skip("the flag is PostgreSQL's")
    sv = admin_backend(db)
    network(sv)
    with pytest.raises(DBAPIError, match="audit trail cannot be changed"), db.engine.begin() as c:
        c.execute(text("SELECT acc_retention_rewrite('person', ARRAY[1]::bigint[])"))
        c.execute(text("UPDATE change_log SET before = NULL"))
    # Only the identifying columns of the tables listed: nothing else can be rewritten.
    with pytest.raises(DBAPIError, match="nothing to forget"), db.engine.begin() as c:
        c.execute(text("SELECT acc_retention_rewrite('structure', ARRAY[1]::bigint[])"))
    with db.engine.connect() as c:
        granted = c.execute(
            text(
                "SELECT has_function_privilege('public', "
                "'acc_retention_rewrite(text, bigint[])', 'EXECUTE')"
            )
        ).scalar_one()
    assert granted is False


def test_the_birth_date_keeps_the_minor_or_adult_status_of_every_night():
    first, last = D(2014, 4, 1), D(2015, 4, 30)
    # adult on every night: 1 January of the same year (still adult)
    assert reduced_birth_date(D(1985, 3, 3), first, last) == D(1985, 1, 1)
    # minor on every night, 18 long after: 31 December
    assert reduced_birth_date(D(2000, 2, 2), first, last) == D(2000, 12, 31)
    # 18 while placed, or within a year after: kept
    assert reduced_birth_date(D(1996, 5, 5), first, last) == D(1996, 5, 5)
    assert reduced_birth_date(D(1997, 9, 1), first, last) == D(1997, 9, 1)
    # never in a bed: no figure needs it
    assert reduced_birth_date(D(1975, 1, 1), None, None) is None


def test_on_postgresql_only_the_roles_granted_the_functions_rewrite_the_log(db, engine_name):
    """A login with no right on the log: it cannot update it, nor call the rewrite
    unless granted; granted (as the administrators are), the function rewrites the log
    rows of anonymised people for it, and nothing else."""
    if engine_name != "postgresql":
        pytest.skip("database logins are PostgreSQL's")
    import uuid

    import psycopg

    sv = admin_backend(db)
    network(sv)
    with db.engine.begin() as c:
        # A person anonymised without the log rewritten (as if the rewrite were to come).
        pid = c.execute(text("SELECT id FROM person WHERE first_name = 'Zelinda'")).scalar_one()
        c.execute(
            text("UPDATE person SET first_name = code, last_name = 'Anonimo' WHERE id = :p"),
            {"p": pid},
        )
        other = c.execute(text("SELECT id FROM person WHERE first_name = 'Gualtiero'")).scalar_one()
    login = f"acc_admin_{uuid.uuid4().hex[:8]}"
    url = db.engine.url
    with db.engine.begin() as c:
        c.execute(text(f"CREATE ROLE {login} LOGIN"))
        c.execute(text(f"GRANT SELECT ON change_log TO {login}"))
    try:
        with psycopg.connect(
            host=url.host, port=url.port, dbname=url.database, user=login, autocommit=True
        ) as raw:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute("UPDATE change_log SET before = NULL")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute("SELECT acc_retention_rewrite('person', ARRAY[%s]::bigint[])", (pid,))
            with db.engine.begin() as c:
                c.execute(
                    text(
                        f"GRANT EXECUTE ON FUNCTION acc_retention_rewrite(text, bigint[]) TO {login}"
                    )
                )
            # Setting the flag by hand opens nothing: the login has no right to update.
            with pytest.raises(psycopg.errors.InsufficientPrivilege), raw.transaction():
                raw.execute("SELECT set_config('acc.retention', 'on', true)")
                raw.execute("UPDATE change_log SET before = NULL")
            raw.execute(
                "SELECT acc_retention_rewrite('person', ARRAY[%s, %s]::bigint[])", (pid, other)
            )
        # Read back as the owner: row-level security shows this bare login no row.
        with db.engine.begin() as c:
            logged = c.execute(
                text(
                    "SELECT row_id, coalesce(before, '') || coalesce(after, '') FROM change_log "
                    "WHERE table_name = 'person' AND row_id IN (:a, :b)"
                ),
                {"a": pid, "b": other},
            ).all()
        theirs = " ".join(v for r, v in logged if r == pid)
        others = " ".join(v for r, v in logged if r == other)
        assert "Zelinda" not in theirs and "Quercioli" not in theirs
        # Someone not anonymised: the function leaves their rows alone.
        assert "Gualtiero" in others
    finally:
        with db.engine.begin() as c:
            c.execute(text(f"DROP OWNED BY {login}"))
            c.execute(text(f"DROP ROLE {login}"))
