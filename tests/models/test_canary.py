"""Canary names, aliases and addresses planted in a protected programme appear nowhere a
reader (or an operator of another programme) can reach: lists, a person's details, a
structure's page, the dashboard, the planning board, the history, every print, the
spreadsheet export. The administrator sees them (the test can fail).

On PostgreSQL the reader reads as a login of its own with the column privileges of a
reader (no names, no addresses): a statement naming a hidden column is refused there.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from models.access import Principal, Role
from models.backend import Backend
from models.database import Database
from models.results import NewPerson, NewRequest
from tests.factories import scenario

D = dt.date
DAY = D(2024, 11, 15)
CANARIES = (
    "Zzyzx",  # last name
    "Canarino",  # first name
    "Passerotto",  # a member's first name
    "Qwertania",  # citizenship
    "Via Segreta 99",  # the confidential structure's address
    "Casa Nascondiglio",  # the confidential structure's name
)
ALIAS = "Fenice"  # an alias is what a protected person is shown by: it may appear


@dataclass
class Planted:
    url: str
    structure_id: int  # the confidential structure
    open_structure_id: int  # a structure of the SAI programme
    household_id: int
    person_id: int
    person_code: str
    programme_id: int  # the anti-trafficking programme
    sai_programme_id: int
    sai_person_id: int


def plant(backend: Backend) -> Planted:
    sc = scenario(backend)
    st = backend.structures.create_structure(
        sc.other_programme.id,
        "T-NID",
        "Casa Nascondiglio",
        "MI",
        D(2020, 1, 1),
        targets=["women", "single_parent", "families"],
        places=2,
        confidential=True,
        address="Via Segreta 99",
        comune="Milano",
    )
    backend.structures.add_room(st.id, "Camera 1", 2)
    h = backend.people.register_household(
        [
            NewPerson(
                "Canarino", "Zzyzx", "F", D(1995, 1, 2), alias=ALIAS, citizenship="Qwertania"
            ),
            NewPerson("Passerotto", "Zzyzx", "F", D(2016, 5, 6), relationship="child"),
        ]
    )
    backend.placements.place(h.id, st.id, D(2024, 10, 1), planned_end=D(2024, 11, 30))
    ref = h.reference
    assert ref is not None
    backend.people.update_person(ref.id, ref.version, alias=ALIAS)
    backend.placements.place(sc.mother.id, sc.families.id, D(2024, 10, 1))
    # the household asks to move (a request on the waiting list names it)
    backend.waiting_list.add(
        NewRequest(
            D(2024, 11, 1),
            adults=1,
            minors=1,
            programme_id=sc.other_programme.id,
            household_id=h.id,
        )
    )
    return Planted(
        backend.db.url,
        st.id,
        sc.families.id,
        h.id,
        ref.id,
        ref.code,
        sc.other_programme.id,
        sc.programme.id,
        sc.mother.members[0].person.id,
    )


@pytest.fixture
def planted(backend: Backend) -> Planted:
    return plant(backend)


@pytest.fixture
def reader_url(planted: Planted) -> Iterator[str]:
    """A URL to read as a reader of both programmes: on PostgreSQL a reader's own login,
    made by the users' use cases (its rights and row-level security are the server's,
    ``models.pg_security``); on a local file the file."""
    url = make_url(planted.url)
    if url.get_backend_name() == "sqlite":
        yield planted.url
        return
    role = f"acc_canary_{uuid.uuid4().hex[:8]}"
    owner = Database(planted.url)
    try:  # the first user is an administrator
        Backend(owner).users.add(role + "_admin", Role.ADMINISTRATOR, password="una password lunga")
        Backend(owner).users.add(
            role,
            Role.READER,
            programmes=[planted.programme_id, planted.sai_programme_id],
            password="una password lunga",
        )
    finally:
        owner.dispose()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        yield url.set(username=role).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            for login in (role, role + "_admin"):
                c.execute(text(f"DROP OWNED BY {login}"))
                c.execute(text(f"DROP ROLE {login}"))
        admin.dispose()


READER = Principal.assigned("lettore", Role.READER)


def _as(url: str, principal: Principal) -> Iterator[Backend]:
    db = Database(url)
    try:
        yield Backend(db, principal=principal, today=lambda: DAY)
    finally:
        db.dispose()


@pytest.fixture
def as_reader(reader_url: str) -> Iterator[Backend]:
    """A reader: on PostgreSQL signed in as the server says (the login's own user)."""
    for b in _as(reader_url, READER):
        if not b.db.is_sqlite:
            b.who_signs_in()
            assert b.principal.role is Role.READER
        yield b


@pytest.fixture
def as_other_operator(planted: Planted) -> Iterator[Backend]:
    """An operator of the SAI programme (not the anti-trafficking one), on the same
    login as the owner: what the program itself hides (on a local file there is no
    row-level security)."""
    yield from _as(planted.url, Principal.assigned("op", Role.OPERATOR, [planted.sai_programme_id]))


@pytest.fixture
def as_admin(planted: Planted) -> Iterator[Backend]:
    yield from _as(planted.url, Principal.assigned("admin", Role.ADMINISTRATOR))


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for ws in wb.worksheets
        for row in ws.iter_rows(values_only=True)
    )


def everything_reachable(b: Backend, p: Planted, tmp_path: Path) -> dict[str, str]:
    """What a user of ``b`` can read of the planted records, by output."""
    from desktop.printing import (
        occupancy_sheet,
        occupancy_summary,
        planning_board,
        presence_register,
    )
    from models.spreadsheet_export import export_network

    out: dict[str, Any] = {}
    out["search by alias"] = b.directory.search_people(ALIAS, day=DAY)
    out["search by code"] = b.directory.search_people(p.person_code, day=DAY)
    out["search by name"] = b.directory.search_people("Zzyzx", day=DAY)
    out["details"] = (
        b.directory.household(p.household_id),
        b.directory.person_history(p.person_id),
        b.directory.placements_of_household(p.household_id),
        b.presence.who_is_where(DAY, household_id=p.household_id),
    )
    # The transfer dialog's opening read and the destination's beds read with its fit.
    at = b.directory.placement_id_expression(None, p.household_id)
    out["transfer dialog"] = b.read_together(
        b.directory.placement_reading(None, p.household_id),
        b.directory.household_reading(p.household_id),
        b.presence.who_is_where_reading([DAY], placement_id=at),
        b.sheets.sheet_reading(p.structure_id, DAY),
    )
    out["structure list"] = b.directory.structures()
    out["structure page"] = b.sheets.page(p.structure_id, DAY)
    out["occupancy"] = b.occupancy.overview(DAY)
    out["dashboard"] = b.read_together(
        b.presence.expiring_reading(DAY), b.presence.coming_of_age_reading(DAY)
    )
    rows = b.planning.rows()
    out["planning board"] = (
        rows,
        b.planning.window([r.structure_id for r in rows], D(2024, 10, 1), D(2024, 12, 1)),
    )
    out["history"] = (
        b.history.of("person", p.person_id),
        b.history.of("structure", p.structure_id),
    )
    pseudo = None if b.principal.may_print_named else True
    out["occupancy sheet"] = _pdf_text(
        occupancy_sheet(b.db, p.structure_id, DAY, pseudonymised=pseudo)
    )
    out["occupancy summary"] = _pdf_text(occupancy_summary(b.db, DAY, pseudonymised=pseudo))
    out["presence register"] = _pdf_text(
        presence_register(b.db, 2024, 10, structure_id=p.structure_id, pseudonymised=pseudo)
    )
    out["planning board print"] = _pdf_text(
        planning_board(b.db, D(2024, 10, 1), structure_id=p.structure_id, pseudonymised=pseudo)
    )
    from desktop.printing.waiting_list import waiting_list_pdf

    requests = b.waiting_list.requests()
    out["waiting list"] = (requests, b.waiting_list.summary())
    out["waiting list print"] = _pdf_text(waiting_list_pdf(requests, pseudo is not None))
    out["free beds"] = b.finder.free(D(2024, 12, 1), D(2024, 12, 10), adults=1)
    xlsx = tmp_path / f"export-{uuid.uuid4().hex[:6]}.xlsx"
    export_network(b.db, xlsx, named=b.principal.may_print_named)
    out["spreadsheet export"] = _xlsx_text(xlsx)
    return {k: str(v) for k, v in out.items()}


def leaks(found: dict[str, str]) -> dict[str, list[str]]:
    return {
        k: [c for c in CANARIES if c in v]
        for k, v in found.items()
        if any(c in v for c in CANARIES)
    }


def test_a_reader_reaches_no_canary(as_reader: Backend, planted: Planted, tmp_path: Path) -> None:
    found = everything_reachable(as_reader, planted, tmp_path)
    assert leaks(found) == {}
    # the person is still there, by code and alias
    assert planted.person_code in found["search by alias"]
    assert ALIAS in found["details"]


def test_an_operator_of_another_programme_reaches_no_canary(
    as_other_operator: Backend, planted: Planted, tmp_path: Path
) -> None:
    found = everything_reachable(as_other_operator, planted, tmp_path)
    if not as_other_operator.db.is_sqlite:
        # On the shared server another programme's people are not even read: row-level
        # security (models.pg_security, tested with it) hides them from the operator's
        # own login; this test's login is the owner's. A confidential structure's name
        # and address are hidden by the reads themselves.
        places = ("Via Segreta 99", "Casa Nascondiglio")
        assert {k: v for k, v in leaks(found).items() if set(v) & set(places)} == {}
        return
    assert leaks(found) == {}
    assert planted.person_code in found["search by alias"]
    # people of the operator's own programme are shown by name
    assert "Ğülşen" in found["structure list"] + str(
        as_other_operator.directory.household(
            as_other_operator.directory.search_people("Amina")[0].household_id or 0
        )
    )


def test_the_administrator_sees_the_canaries(
    as_admin: Backend, planted: Planted, tmp_path: Path
) -> None:
    found = everything_reachable(as_admin, planted, tmp_path)
    seen = leaks(found)
    for output in ("search by name", "details", "transfer dialog", "structure page", "history"):
        assert output in seen, output
    assert "Via Segreta 99" in found["structure list"]


def _reads(url: str) -> list[tuple[str, str, str, int]]:
    db = Database(url)
    try:
        with db.read() as s:
            return [
                tuple(r)
                for r in s.execute(
                    text(
                        "SELECT actor, action, entity, entity_id, details FROM audit_entry"
                        " WHERE action = 'read' ORDER BY id"
                    )
                )
            ]
    finally:
        db.dispose()


def test_reading_a_protected_persons_details_is_recorded_without_names(
    as_reader: Backend, as_admin: Backend, planted: Planted
) -> None:
    before = as_admin.directory.change_marker()
    as_reader.directory.person_history(planted.person_id, record_read=True)
    as_admin.directory.person_history(planted.person_id, record_read=True)
    # an unprotected person's details: nothing recorded
    as_admin.directory.person_history(planted.sai_person_id, record_read=True)
    # a read without showing details (a print, a check): nothing recorded
    as_admin.directory.person_history(planted.person_id)
    reads = _reads(planted.url)
    assert [(a, act, ent, pid) for a, act, ent, pid, _d in reads] == [
        (as_reader.principal.login, "read", "person", planted.person_id),
        ("admin", "read", "person", planted.person_id),
    ]
    assert not any(c in str(reads) for c in CANARIES)
    # other PCs are not told to refresh by a reading
    assert as_admin.directory.audit_ids_after(before) == []


def _cli(monkeypatch: pytest.MonkeyPatch, principal: Principal, *argv: str) -> int:
    import desktop.cli
    import desktop.cli_options
    import desktop.cli_print
    import desktop.cli_users

    for module in (desktop.cli, desktop.cli_options, desktop.cli_print, desktop.cli_users):
        monkeypatch.setattr(module, "principal_of", lambda _args: principal)
    return desktop.cli.main(list(argv))


@pytest.mark.parametrize("who", ["reader", "operator", "administrator"])
def test_command_line_and_log(
    who: str,
    planted: Planted,
    reader_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The commands' output (occupancy, free, print, export), their files and the logs."""
    principal = {
        "reader": READER,
        "operator": Principal.assigned("op", Role.OPERATOR, [planted.sai_programme_id]),
        "administrator": Principal.assigned("admin", Role.ADMINISTRATOR),
    }[who]
    url = reader_url if who == "reader" else planted.url
    seen = ""
    db = ["--database", url]
    assert _cli(monkeypatch, principal, "occupancy", *db, "--date", "2024-11-15") == 0
    assert _cli(monkeypatch, principal, "occupancy", *db, "--date", "2024-11-15", "--json") == 0
    free = ["free", *db, "--from", "2024-11-20", "--to", "2024-11-25", "--all"]
    assert _cli(monkeypatch, principal, *free) == 0
    assert _cli(monkeypatch, principal, *free, "--json") == 0
    pdfs = {
        "occupancy": ["--structure", "T-NID", "--date", "2024-11-15"],
        "summary": ["--date", "2024-11-15"],
        "register": ["--structure", "T-NID", "--month", "2024-10"],
    }
    for document, options in pdfs.items():
        out = tmp_path / f"{document}.pdf"
        for variant in ([], ["--named"]):
            code = _cli(
                monkeypatch, principal, "print", document, *db, *options, *variant, "-o", str(out)
            )
            if variant and who == "reader":
                assert code != 0  # refused, in one line
                assert not out.exists()
                continue
            assert code == 0
            seen += _pdf_text(out.read_bytes())
            out.unlink()
    for variant in ([], ["--named"]):
        xlsx = tmp_path / "export.xlsx"
        code = _cli(monkeypatch, principal, "export", str(xlsx), *db, *variant)
        if variant and who == "reader":
            assert code != 0
            assert not xlsx.exists()
            continue
        assert code == 0
        seen += _xlsx_text(xlsx)
        xlsx.unlink()
    captured = capsys.readouterr()
    seen += captured.out + captured.err
    logs = Path(os.environ["XDG_DATA_HOME"])
    seen += "".join(p.read_text(errors="replace") for p in logs.rglob("*.log*") if p.is_file())
    found = [c for c in CANARIES if c in seen]
    if who == "operator" and not url.startswith("sqlite"):
        found = [c for c in found if c in ("Via Segreta 99", "Casa Nascondiglio")]  # see above
    if who == "administrator":
        assert "Zzyzx" in seen and "Via Segreta 99" in seen  # named prints and export
    else:
        assert found == []


def test_a_person_one_may_not_identify_is_not_changed(
    as_other_operator: Backend, as_admin: Backend, planted: Planted
) -> None:
    from models.errors import DomainError

    if not as_other_operator.db.is_sqlite:
        pytest.skip("on the shared server row-level security hides the person altogether")
    person = as_admin.directory.household(planted.household_id).reference
    assert person is not None
    with pytest.raises(DomainError):  # not their programme, nor may they identify them
        as_other_operator.people.update_person(person.id, person.version, first_name="X")
    after = as_admin.directory.household(planted.household_id).reference
    assert after is not None and after.first_name == "Canarino" and after.version == person.version
    # the operator's own programme's people are changed as before
    mine = as_admin.directory.search_people("Amina")[0]
    as_other_operator.people.update_person(mine.id, mine.version, citizenship="Turchia ")
