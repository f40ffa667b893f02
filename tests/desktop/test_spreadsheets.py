"""Spreadsheets in and out, as a user runs them: ``accoglienza export`` then
``accoglienza import`` of the coop demo gives the same network on both engines; a
spreadsheet with mistakes lists each of them with its sheet, row and column and
imports nothing; a CSV as Italian Excel writes it imports; a file that is no
spreadsheet gives one clear line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from desktop import cli
from models import entities as e
from models.database import Database
from models.spreadsheet import SHEETS, ImportProblems, write_template
from models.spreadsheet_import import import_files
from models.unit_of_work import UnitOfWork
from tests.desktop.test_cli import one_line_error, run

DATES = [dt.date(2019, 1, 1) + dt.timedelta(days=137 * i) for i in range(20)]


def _second_database(engine_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if engine_name == "sqlite":
        path = tmp_path / "target.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return str(request.getfixturevalue("pg_server").create())


def _occupancy(url: str, day: dt.date, capsys: pytest.CaptureFixture[str]) -> Any:
    capsys.readouterr()
    assert cli.main(["--database", url, "occupancy", "--json", "--date", day.isoformat()]) == 0
    return json.loads(capsys.readouterr().out)


def _people_and_stays(url: str) -> tuple[Any, ...]:
    db = Database(url)
    try:
        with db.read() as s:
            people = sorted(
                s.execute(
                    select(
                        e.Person.code, e.Person.first_name, e.Person.last_name, e.Person.alias,
                        e.Person.sex, e.Person.birth_date, e.Person.citizenship,
                        e.Person.legal_status, e.Household.code, e.HouseholdMember.relationship_,
                    )
                    .join(e.HouseholdMember, e.HouseholdMember.person_id == e.Person.id)
                    .join(e.Household, e.Household.id == e.HouseholdMember.household_id)
                ).all()
            )  # fmt: skip
            stays = sorted(
                s.execute(
                    select(
                        e.Person.code, e.Structure.code, e.Room.name, e.Bed.label,
                        e.BedStay.start_date, e.BedStay.end_date, e.Household.code,
                        e.Programme.code, e.Placement.entry_date, e.Placement.planned_end,
                        e.Placement.exit_date, e.Placement.exit_reason, e.Placement.status,
                    )
                    .join(e.Person, e.Person.id == e.BedStay.person_id)
                    .join(e.Bed, e.Bed.id == e.BedStay.bed_id)
                    .join(e.Room, e.Room.id == e.Bed.room_id)
                    .join(e.Structure, e.Structure.id == e.Room.structure_id)
                    .join(e.Placement, e.Placement.id == e.BedStay.placement_id)
                    .join(e.Household, e.Household.id == e.Placement.household_id)
                    .join(e.Programme, e.Programme.id == e.Placement.programme_id)
                    .where(e.BedStay.cancelled.is_(False))
                ).all()
            )  # fmt: skip
            extensions = s.scalar(select(func.count()).select_from(e.Extension))
            return people, stays, extensions
    finally:
        db.dispose()


def test_export_named_then_import_gives_the_same_network(
    db_url: str, engine_name: str, request: pytest.FixtureRequest, tmp_path: Path, capsys
) -> None:
    assert cli.main(["--database", db_url, "demo", "--scale", "coop"]) == 0
    book = tmp_path / "rete.xlsx"
    assert cli.main(["--database", db_url, "export", str(book), "--named"]) == 0
    target = _second_database(engine_name, request, tmp_path)
    capsys.readouterr()
    assert cli.main(["--database", target, "import", str(book)]) == 0, capsys.readouterr().err
    for day in DATES:
        assert _occupancy(db_url, day, capsys) == _occupancy(target, day, capsys), day
    source_people, source_stays, source_ext = _people_and_stays(db_url)
    people, stays, ext = _people_and_stays(target)
    assert len(people) > 1000 and len(stays) > 2000
    assert people == source_people
    assert stays == source_stays
    assert ext == source_ext
    # A second import into the network now full is refused, and changes nothing.
    result = cli.main(["--database", target, "import", str(book)])
    assert result == 1
    assert "empty database" in capsys.readouterr().err
    assert _people_and_stays(target)[1] == stays


def test_the_default_export_hides_the_anti_trafficking_names(sqlite_template, tmp_path) -> None:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    assert cli.main(["--database", url, "demo", "--scale", "coop"]) == 0
    named, plain = tmp_path / "named.xlsx", tmp_path / "plain.xlsx"
    assert cli.main(["--database", url, "export", str(named), "--named"]) == 0
    assert cli.main(["--database", url, "export", str(plain)]) == 0
    db = Database(url)
    with db.read() as s:
        protected = set(
            s.scalars(
                select(e.Person.code)
                .join(e.HouseholdMember, e.HouseholdMember.person_id == e.Person.id)
                .join(e.Placement, e.Placement.household_id == e.HouseholdMember.household_id)
                .join(e.Programme, e.Programme.id == e.Placement.programme_id)
                .where(e.Programme.kind == e.ProgrammeKind.ANTI_TRAFFICKING)
            )
        )
    db.dispose()
    assert protected

    def people(book: Path) -> dict[str, tuple[Any, ...]]:
        ws = openpyxl.load_workbook(book, read_only=True)["Persone e nuclei"]
        rows = list(ws.iter_rows(values_only=True))[1:]
        return {r[1]: r for r in rows}

    shown, hidden = people(named), people(plain)
    for code in protected:
        assert shown[code][2] or shown[code][3] or shown[code][4]
        last, first, alias, birth = (
            hidden[code][2],
            hidden[code][3],
            hidden[code][4],
            hidden[code][7],
        )
        assert (last, first, alias, birth) == (None, None, code, None)
    others = [c for c in shown if c not in protected]
    assert all(shown[c] == hidden[c] for c in others)


# -- a small spreadsheet written by hand ---------------------------------------------

GOOD: dict[str, list[list[Any]]] = {
    "Programmi": [
        ["Codice", "Nome", "Tipo", "Categoria SAI", "Ente titolare", "Ente gestore", "Inizio", "Fine"],
        ["SAI-X", "SAI Valtellina", "SAI", "ORD", "Provincia di Sondrio", "", "01/01/2020", ""],
        ["ART-X", "Ali aperte", "art. 18", "", "Comune di Milano", "", "1/10/22", ""],
    ],
    "Strutture": [
        ["Codice", "Programma", "Nome", "Provincia", "Comune", "Indirizzo", "Destinatari", "Protetta", "Apertura", "Chiusura"],
        ["S-1", "SAI-X", "Casa Adda", "SO", "Sondrio", "via Roma 1", "nuclei familiari, donne", "no", "01/01/2020", ""],
        ["S-2", "ART-X", "Casa Lario", "co", "Como", "", "donne", "", "01/10/2022", ""],
    ],
    "Stanze e posti letto": [
        ["Struttura", "Stanza", "Posto letto"],
        ["S-1", "A", "1"], ["S-1", "A", "2"], ["S-1", "B", "1"],
        ["S-2", "Unica", "1"], ["S-2", "Unica", "2"],
    ],
    "Posti autorizzati": [
        ["Struttura", "Dal", "Posti"],
        ["S-1", "01/01/2020", "3"],
        ["S-2", "01/10/2022", "2"],
    ],
    "Persone e nuclei": [
        ["Nucleo", "Codice persona", "Cognome", "Nome", "Alias", "Sesso", "Data di nascita", "Relazione"],
        ["N1", "P1", "Rossi", "Ada", "", "F", "12/03/1990", "persona di riferimento"],
        ["N1", "P2", "Rossi", "Bruno", "", "M", "05/05/2015", "figlio/a"],
        ["N2", "P3", "", "", "Stella", "F", "1/2/95", "persona di riferimento"],
    ],
    "Inserimenti": [
        ["Nucleo", "Programma", "Ingresso", "Fine prevista", "Uscita", "Motivo uscita", "Persona", "Struttura", "Stanza", "Posto letto", "Dal", "Al"],
        ["N1", "SAI-X", "01/06/2023", "31/12/2024", "", "", "P1", "S-1", "A", "1", "01/06/2023", ""],
        ["N1", "SAI-X", "01/06/2023", "31/12/2024", "", "", "P2", "S-1", "A", "2", "01/06/2023", ""],
        ["N2", "ART-X", "01/11/2022", "", "01/03/2023", "scadenza termini", "P3", "S-2", "Unica", "1", "01/11/2022", "01/03/2023"],
    ],
}  # fmt: skip


def write_book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def counts(db: Database) -> tuple[int, ...]:
    with db.read() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(cls)) or 0
            for cls in (e.Programme, e.Structure, e.Bed, e.Person, e.BedStay, e.Placement)
        )


def test_a_spreadsheet_written_by_hand_imports(db: Database, tmp_path: Path) -> None:
    sheets = {k: [list(r) for r in v] for k, v in GOOD.items()}
    # An Excel date cell is a date as much as 01/06/2023 is.
    sheets["Programmi"][1][6] = dt.datetime(2020, 1, 1)
    path = write_book(tmp_path / "rete.xlsx", sheets)
    summary = import_files(UnitOfWork(db, actor="test"), [path])
    assert (summary.programmes, summary.structures, summary.beds, summary.people) == (2, 2, 5, 3)
    assert counts(db) == (2, 2, 5, 3, 3, 2)
    with db.read() as s:
        st = s.scalar(select(e.Structure).where(e.Structure.code == "S-2"))
        assert st is not None and st.province == "CO" and st.confidential  # art. 18 default
        child = s.scalar(select(e.Person).where(e.Person.code == "P2"))
        assert child is not None and child.birth_date == dt.date(2015, 5, 5)
        star = s.scalar(select(e.Person).where(e.Person.code == "P3"))
        assert star is not None and star.birth_date == dt.date(1995, 2, 1)


def test_ten_mistakes_are_each_reported_and_nothing_is_imported(
    db: Database, tmp_path: Path
) -> None:
    sheets = {k: [list(r) for r in v] for k, v in GOOD.items()}
    sheets["Strutture"][2][3] = "ZZ"  # 1 unknown province: Strutture row 3, D
    sheets["Stanze e posti letto"].append(["S-1", "A", "2"])  # 2 a bed twice: row 7, C
    sheets["Posti autorizzati"][1][1] = "31/02/2020"  # 3 a date that does not exist: row 2, B
    sheets["Posti autorizzati"][2][2] = "due"  # 4 not a number: row 3, C
    sheets["Persone e nuclei"][2][5] = "Q"  # 5 unknown sex: row 3, F
    sheets["Persone e nuclei"][3][6] = "ieri"  # 6 unreadable date: row 4, G
    sheets["Persone e nuclei"].append(
        ["N3", "P4", "Verdi", "Luca", "", "M", "01/01/2012", "persona di riferimento"]
    )
    sheets["Inserimenti"].append(  # 7 a minor alone: row 5, column Persona (G)
        ["N3", "SAI-X", "01/06/2023", "", "", "", "P4", "S-1", "B", "1", "01/06/2023", ""]
    )
    sheets["Inserimenti"].append(  # 8 a person twice on the same nights: row 6, K
        [
            "N2",
            "ART-X",
            "01/11/2022",
            "",
            "01/03/2023",
            "scadenza termini",
            "P3",
            "S-2",
            "Unica",
            "2",
            "01/12/2022",
            "01/03/2023",
        ]
    )
    sheets["Inserimenti"][1][2] = "2023-13-01"  # 9 an entry date it cannot read: row 2, C
    sheets["Inserimenti"].append(  # 10 a bed the structure does not have: row 7, J
        [
            "N2",
            "ART-X",
            "01/11/2022",
            "",
            "01/03/2023",
            "scadenza termini",
            "P3",
            "S-2",
            "Unica",
            "7",
            "01/03/2023",
            "",
        ]
    )
    path = write_book(tmp_path / "errori.xlsx", sheets)
    with pytest.raises(ImportProblems) as caught:
        import_files(UnitOfWork(db, actor="test"), [path])
    found = {(p.sheet, p.row, p.letter) for p in caught.value.problems}
    expected = {
        ("Strutture", 3, "D"),
        ("Stanze e posti letto", 7, "C"),
        ("Posti autorizzati", 2, "B"),
        ("Posti autorizzati", 3, "C"),
        ("Persone e nuclei", 3, "F"),
        ("Persone e nuclei", 4, "G"),
        ("Inserimenti", 5, "G"),
        ("Inserimenti", 6, "K"),
        ("Inserimenti", 2, "C"),
        ("Inserimenti", 7, "J"),
    }
    assert expected <= found, [str(p) for p in caught.value.problems]
    assert len(caught.value.problems) == 10, "\n".join(str(p) for p in caught.value.problems)
    assert counts(db) == (0, 0, 0, 0, 0, 0)
    # Each problem reads as a sentence with its place, in the interface's language.
    first = sorted(caught.value.problems)[0]
    assert str(first).startswith(f"{first.sheet}, riga {first.row}, colonna {first.column}")


def test_unknown_sheets_and_missing_columns_are_reported(db: Database, tmp_path: Path) -> None:
    sheets = {k: [list(r) for r in v] for k, v in GOOD.items()}
    sheets["Foglio1"] = [["a", "b"], [1, 2]]
    del sheets["Posti autorizzati"]
    sheets["Capienza"] = [["Struttura", "Dal"], ["S-1", "01/01/2020"]]  # an older name
    path = write_book(tmp_path / "rete.xlsx", sheets)
    with pytest.raises(ImportProblems) as caught:
        import_files(UnitOfWork(db, actor="test"), [path])
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "Foglio1" in text and "Posti" in text
    assert counts(db) == (0, 0, 0, 0, 0, 0)


def _italian_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig") -> Path:
    text = "\r\n".join(";".join(str(c) for c in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_files_as_italian_excel_writes_them_import(db: Database, tmp_path: Path) -> None:
    files = []
    for name, rows in GOOD.items():
        rows = [list(r) for r in rows]
        if name == "Posti autorizzati":
            rows[1][2] = "3,0"  # a decimal comma
        encoding = "cp1252" if name == "Persone e nuclei" else "utf-8-sig"
        files.append(_italian_csv(tmp_path / f"{name}.csv", rows, encoding))
    # A name with an accent, written by an older Excel in Windows-1252.
    people = (tmp_path / "Persone e nuclei.csv").read_bytes().decode("cp1252")
    (tmp_path / "Persone e nuclei.csv").write_bytes(people.replace("Ada", "Adà").encode("cp1252"))
    summary = import_files(UnitOfWork(db, actor="test"), files)
    assert (summary.programmes, summary.structures, summary.people, summary.stays) == (2, 2, 3, 3)
    with db.read() as s:
        assert s.scalar(select(e.Person.first_name).where(e.Person.code == "P1")) == "Adà"
        assert s.scalar(select(e.CapacityPeriod.places).order_by(e.CapacityPeriod.id)) == 3


def test_the_template_is_the_generated_one_and_imports_empty(tmp_path: Path) -> None:
    fresh = write_template(tmp_path / "template.xlsx")
    committed = Path(__file__).resolve().parents[2] / "resources" / "templates" / "accoglienza.xlsx"
    assert committed.exists()

    def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
        book = openpyxl.load_workbook(path, read_only=True)
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}

    assert cells(fresh) == cells(committed)
    assert [s.name for s in SHEETS] == list(cells(fresh))[1:]


# -- the command line ----------------------------------------------------------------


def test_a_foreign_file_is_one_clear_line(tmp_path: Path) -> None:
    pdf = tmp_path / "rete.xlsx"
    pdf.write_bytes(b"%PDF-1.4 not a workbook")
    line = one_line_error(run("--database", str(tmp_path / "x.sqlite3"), "import", str(pdf)))
    assert "not a spreadsheet" in line
    other = write_book(tmp_path / "spesa.xlsx", {"Spesa": [["Cosa", "Quanto"], ["pane", 2]]})
    line = one_line_error(run("--database", str(tmp_path / "x.sqlite3"), "import", str(other)))
    assert "Accoglienza spreadsheet" in line
    line = one_line_error(
        run("--database", str(tmp_path / "x.sqlite3"), "import", str(tmp_path / "none.xlsx"))
    )
    assert "does not exist" in line


def test_problems_on_the_command_line_one_a_line(tmp_path: Path) -> None:
    sheets = {k: [list(r) for r in v] for k, v in GOOD.items()}
    sheets["Strutture"][2][3] = "ZZ"
    sheets["Posti autorizzati"][2][2] = "due"
    path = write_book(tmp_path / "errori.xlsx", sheets)
    result = run("--database", str(tmp_path / "x.sqlite3"), "import", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("Strutture, row 3, column Provincia (D): Unknown province: ZZ")
    assert lines[1].startswith("Posti autorizzati, row 3, column Posti (C)")
    assert lines[-1] == "accoglienza: The spreadsheet has 2 problems: nothing was imported."
    assert len(lines) == 3


def test_export_wants_an_xlsx_name(tmp_path: Path) -> None:
    line = one_line_error(
        run("--database", str(tmp_path / "x.sqlite3"), "export", str(tmp_path / "a.pdf"))
    )
    assert ".xlsx" in line


def test_target_groups_are_the_dialogs_unless_a_reason_is_given(
    db: Database, tmp_path: Path
) -> None:
    sheets = {k: [list(r) for r in v] for k, v in GOOD.items()}
    sheets["Strutture"][1][6] = "uomini"  # the family's structure now takes men only
    path = write_book(tmp_path / "rete.xlsx", sheets)
    with pytest.raises(ImportProblems) as caught:
        import_files(UnitOfWork(db, actor="test"), [path])
    [problem] = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Inserimenti", 2, "Motivo della deroga")
    assert counts(db) == (0, 0, 0, 0, 0, 0)
    sheets["Inserimenti"][0].append("Motivo della deroga")
    sheets["Inserimenti"][1].append("Nessun altro posto per il nucleo")
    path = write_book(tmp_path / "rete.xlsx", sheets)
    import_files(UnitOfWork(db, actor="test"), [path])
    with db.read() as s:
        reasons = set(s.scalars(select(e.BedStay.override_reason)))
    assert "Nessun altro posto per il nucleo" in reasons


def test_a_stay_beyond_the_places_is_refused(db: Database, tmp_path: Path) -> None:
    sheets = {k: [list(r) for r in v] for k, v in GOOD.items()}
    sheets["Posti autorizzati"][1][2] = "1"  # one place for the mother and her child
    path = write_book(tmp_path / "rete.xlsx", sheets)
    with pytest.raises(ImportProblems) as caught:
        import_files(UnitOfWork(db, actor="test"), [path])
    assert [(p.sheet, p.column) for p in caught.value.problems] == [("Inserimenti", "Dal")] * 2
    assert counts(db) == (0, 0, 0, 0, 0, 0)


def test_check_only_and_a_csv_named_after_no_sheet(tmp_path: Path) -> None:
    good = write_book(tmp_path / "rete.xlsx", GOOD)
    result = run("--database", str(tmp_path / "x.sqlite3"), "import", "--check", str(good))
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout
    assert not (tmp_path / "x.sqlite3").exists()  # a check opens no database
    unnamed = _italian_csv(tmp_path / "esportazione.csv", GOOD["Strutture"])
    result = run("--database", str(tmp_path / "x.sqlite3"), "import", str(unnamed))
    line = one_line_error(result)
    assert "Accoglienza spreadsheet" in line
