"""Printed documents: what a coordinator reads in the PDF (text extracted with pypdf).

Every test runs on SQLite and PostgreSQL (the ``backend`` fixture). The interface
language is Italian (tests/conftest.py), the offices' language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop import cli
from desktop.printing import occupancy_sheet, occupancy_summary, presence_register
from models.backend import Backend
from models.formatting import format_date, format_short_date
from models.i18n import _, ngettext
from models.occupancy import Occupancy
from models.presence import Presence
from models.results import NewPerson
from tests.desktop.printing_scenario import DAY, PrintScenario, print_scenario

D = dt.date


def pages_text(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages]


def all_text(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))


@pytest.fixture
def sc(backend: Backend) -> PrintScenario:
    return print_scenario(backend)


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _sheet_totals(lines: list[str]) -> list[str]:
    """The seven figures of the totals row, just above the "People: ..." note."""
    note = _("People: {people} · households: {households} · minors: {minors}").split("{")[0]
    i = next(i for i, ln in enumerate(lines) if ln.startswith(note))
    return lines[i - 7 : i]


# -- occupancy sheet -------------------------------------------------------------------


def test_occupancy_sheet_lists_every_bed_with_its_occupant_and_the_totals(backend, sc):
    pdf = occupancy_sheet(backend.db, sc.families.id, DAY)
    assert pdf.startswith(b"%PDF")
    text = all_text(pdf)
    lines = _lines(text)
    # Header facts: programme, holder, structure, address.
    assert "SAI-TEST — SAI Valtellina (prova)" in text
    assert "Provincia di Prova" in text
    assert "T-FAM — Casa Glicine" in text
    assert "Via dei Tigli 3, Sondrio (SO)" in text
    # Every bed by room, with its occupant, household, dates.
    for name in ("ĞÜLŞEN Amina", "ĞÜLŞEN Łucja", "ĞÜLŞEN Omar"):
        assert name in lines
    assert (
        lines.count("Camera 1") == 2 and lines.count("Camera 2") == 2
    )  # the room on each of its beds
    assert lines.count(format_short_date(D(2024, 9, 2))) == 3  # entry date of the three
    assert lines.count(format_short_date(D(2025, 3, 1))) == 3  # planned end
    assert "04/03/1990" in lines  # birth date of the mother, as the office writes dates
    mother_code = sc.base.mother.code
    assert lines.count(mother_code) == 3
    assert lines.count(_("yes")) == 2  # the two minors are marked
    # The fourth bed is held by the reservation.
    assert _("reserved for household {code}").format(code=sc.expected.code) in text
    # Totals: capacity, beds, occupied, reserved, out of service, free.
    assert _sheet_totals(lines) == ["4", "4", "3", "1", "0", "0", "75,0 %"]


def test_occupancy_sheet_shows_out_of_service_beds_and_free_places(backend, sc):
    text = all_text(occupancy_sheet(backend.db, sc.base.men.id, DAY))
    assert "ȘTEFĂNESCU Đorđe" in text
    assert _("out of service") + ": Rete da sostituire" in text
    assert _sheet_totals(_lines(text))[:6] == ["2", "2", "1", "0", "1", "0"]


def test_names_beyond_latin_1_survive_into_the_pdf(backend, sc):
    text = all_text(occupancy_sheet(backend.db, sc.families.id, DAY))
    assert "Łucja" in text and "ĞÜLŞEN" in text
    text = all_text(occupancy_sheet(backend.db, sc.base.men.id, DAY))
    assert "Đorđe" in text and "ȘTEFĂNESCU" in text


def test_a_structure_of_40_beds_paginates_with_the_header_on_every_page(backend, sc):
    st = backend.structures.create_structure(
        sc.base.programme.id,
        "T-GRA",
        "Casa Grande",
        "SO",
        D(2014, 2, 1),
        targets=["men"],
        places=40,
        address="Via Lunga 40",
        comune="Tirano",
    )
    for r in range(10):
        backend.structures.add_room(st.id, f"Camera {r + 1:02d}", 4)
    for n in range(12):
        h = backend.people.register_household(
            [NewPerson(f"Ospite{n:02d}", "Prova", "M", D(1990, 1, 1 + n))]
        )
        backend.placements.place(h.id, st.id, D(2024, 10, 1))
    pdf = occupancy_sheet(backend.db, st.id, DAY)
    pages = pages_text(pdf)
    assert len(pages) >= 2
    header = [_("Room"), _("Bed"), _("Person"), _("Born"), _("Household")]
    for page in pages:
        lines = _lines(page)
        i = lines.index(header[0])
        assert lines[i : i + len(header)] == header
    # All 40 beds are listed exactly once across the pages, each with its room.
    beds = sum(len(re.findall(r"^Camera \d\d$", p, flags=re.M)) for p in pages)
    assert beds == 40
    assert sum(_lines(p).count(_("free")) for p in pages) == 28


def test_page_numbers_are_in_italian_on_every_page(backend, sc):
    st = backend.structures.create_structure(
        sc.base.programme.id,
        "T-GRA",
        "Casa Grande",
        "SO",
        D(2014, 2, 1),
        targets=["men"],
        places=40,
    )
    for r in range(10):
        backend.structures.add_room(st.id, f"Camera {r + 1:02d}", 4)
    pages = pages_text(occupancy_sheet(backend.db, st.id, DAY))
    n = len(pages)
    for i, page in enumerate(pages, start=1):
        assert f"Pagina {i} di {n}" in page
        assert "Stampato il" in page


# -- pseudonymised variants -------------------------------------------------------------

SECRETS = [
    "Amina",
    "Łucja",
    "Omar",
    "Ğülşen",
    "ĞÜLŞEN",
    "Đorđe",
    "Ștefănescu",
    "ȘTEFĂNESCU",
    "Yıldız",
    "Kayalı",
    "KAYALI",
    "Nadia",
    "Haddad",
    "HADDAD",
    "04/03/1990",
    "01/06/2015",
    "09/09/2018",
    "15/01/1985",
    "21/07/1998",
    "02/12/1993",
    "1990",
    "1985",
    "Via dei Tigli",
    "Via Nascosta",
    "Sondrio (SO)",
    "Milano",
]


def _assert_no_secret(text: str) -> None:
    low = text.lower()
    leaked = [s for s in SECRETS if s.lower() in low]
    assert not leaked, f"personal data in a pseudonymised document: {leaked}"


def test_pseudonymised_documents_hold_codes_and_no_name_birth_date_or_address(backend, sc):
    db = backend.db
    codes = {r.person_code for r in Presence(db).who_is_where(DAY)}
    assert len(codes) == 5
    seen = ""
    for st in (sc.families, sc.base.men, sc.base.small, sc.base.other):
        text = all_text(occupancy_sheet(db, st.id, DAY, pseudonymised=True))
        _assert_no_secret(text)
        assert _("Pseudonymised document: codes instead of names") in text
        seen += text
    assert all(code in seen for code in codes)
    assert sc.base.mother.code in seen
    for code in ("SAI-TEST", "ART18-T"):
        text = all_text(presence_register(db, 2024, 11, programme_code=code, pseudonymised=True))
        _assert_no_secret(text)
        seen += text
    text = all_text(
        presence_register(db, 2024, 11, structure_id=sc.families.id, pseudonymised=True)
    )
    _assert_no_secret(text)
    text = all_text(occupancy_summary(db, DAY, pseudonymised=True))
    _assert_no_secret(text)
    assert "Appartamento Riservato" not in text  # names of confidential apartments too
    assert "T-ART" in text


def test_a_protected_apartments_name_is_printed_only_on_its_own_named_documents(backend, sc):
    """A name can point to the place: no summary (named or not) and no pseudonymised
    sheet or register gives it; the apartment's own named sheet does."""
    db = backend.db
    name, st = "Appartamento Riservato", sc.base.other
    assert name not in all_text(occupancy_summary(db, DAY))
    assert name not in all_text(occupancy_summary(db, DAY, programme_code="ART18-T"))
    assert name not in all_text(occupancy_sheet(db, st.id, DAY))  # codes by default
    assert name not in all_text(presence_register(db, 2024, 11, structure_id=st.id))
    assert "T-ART" in all_text(presence_register(db, 2024, 11, structure_id=st.id))
    assert name in all_text(occupancy_sheet(db, st.id, DAY, pseudonymised=False))


def test_anti_trafficking_prints_codes_by_default_and_names_only_when_asked(backend, sc):
    db = backend.db
    text = all_text(occupancy_sheet(db, sc.base.other.id, DAY))
    assert "KAYALI" not in text and "Yıldız" not in text
    code = sc.woman.members[0].person.code
    assert code in text
    named = all_text(occupancy_sheet(db, sc.base.other.id, DAY, pseudonymised=False))
    assert "KAYALI Yıldız" in named
    # A confidential apartment never shows its address, even with names.
    assert "Via Nascosta" not in named
    assert _("confidential") in named
    # SAI prints names by default.
    assert "ĞÜLŞEN Amina" in all_text(occupancy_sheet(db, sc.families.id, DAY))
    reg = all_text(presence_register(db, 2024, 11, programme_code="ART18-T"))
    assert "KAYALI" not in reg and code in reg


# -- occupancy summary -------------------------------------------------------------------


def test_summary_has_a_line_per_structure_subtotals_and_the_grand_total(backend, sc):
    db = backend.db
    calls: list[tuple[int, int]] = []
    pdf = occupancy_summary(db, DAY, progress=lambda done, total: calls.append((done, total)))
    lines = _lines(all_text(pdf))
    for code in ("T-FAM", "T-UOM", "T-PIC", "T-ART"):
        assert code in lines
    net = Occupancy(db).at(DAY, group_by="network")[0]
    grand = ngettext(
        "Grand total ({n} structure)", "Grand total ({n} structures)", net.structures
    ).format(n=net.structures)
    i = lines.index(grand)
    assert lines[i + 1 : i + 6] == [
        str(net.capacity),
        str(net.occupied),
        str(net.reserved),
        str(net.out_of_service),
        str(net.free),
    ]
    assert [net.capacity, net.occupied, net.reserved, net.out_of_service, net.free] == [
        12,
        5,
        1,
        1,
        5,
    ]
    so = ngettext(
        "Total province {province} ({n} structure)", "Total province {province} ({n} structures)", 3
    ).format(province="SO", n=3)
    i = lines.index(so)
    assert lines[i + 1 : i + 6] == ["8", "4", "1", "1", "2"]
    assert calls[0] == (0, 4) and calls[-1] == (4, 4)


def test_summary_of_one_programme_or_province(backend, sc):
    db = backend.db
    text = all_text(occupancy_summary(db, DAY, programme_code="SAI-TEST"))
    assert "T-FAM" in text and "T-ART" not in text
    text = all_text(occupancy_summary(db, DAY, province="MI"))
    assert "T-ART" in text and "T-FAM" not in text


# -- presence register -------------------------------------------------------------------


def _register_totals(text: str) -> tuple[dict[str, int], int]:
    """Per person code, the days column; and the grand total of the last row."""
    lines = _lines(text)
    totals: dict[str, int] = {}
    for i, ln in enumerate(lines):
        if re.fullmatch(r"P\d{6}", ln):
            totals[ln] = int(next(x for x in lines[i + 1 :] if x.isdigit()))
    j = lines.index(_("Present"))
    per_night = []
    for x in lines[j + 1 :]:
        if not x.replace(".", "").isdigit():
            break
        per_night.append(int(x.replace(".", "")))
    return totals, per_night[-1]


def test_presence_register_totals_equal_the_presence_days_query(backend, sc):
    db = backend.db
    placement = Presence(db).who_is_where(DAY, household_id=sc.man.id)[0].placement_id
    backend.placements.record_exit(placement, D(2024, 11, 20), "socio_economic")
    pdf = presence_register(db, 2024, 11, programme_code="SAI-TEST")
    text = all_text(pdf)
    expected = {
        p.person_code: p.total
        for p in Presence(db).month_nights(2024, 11, programme_code="SAI-TEST")
    }
    totals, grand = _register_totals(text)
    assert totals == expected
    assert grand == sum(expected.values())
    man_code = sc.man.members[0].person.code
    assert totals[man_code] == 19  # 1st to 19th of November: the night of the 20th he is gone
    assert "ȘTEFĂNESCU Đorđe" in text
    assert "novembre 2024" in text
    assert _("Signature of the coordinator") in text


def test_register_of_a_structure_lists_its_people(backend, sc):
    db = backend.db
    text = all_text(presence_register(db, 2024, 11, structure_id=sc.families.id))
    totals, grand = _register_totals(text)
    assert set(totals) == {m.person.code for m in sc.base.mother.members}
    assert grand == 90


# -- command line ---------------------------------------------------------------------------


def test_cli_prints_the_three_documents(backend, sc, db_url, tmp_path: Path, capsys):
    base = ["--language", "it", "--database", db_url, "print"]
    out = tmp_path / "foglio.pdf"
    assert (
        cli.main(
            [*base, "occupancy", "--structure", "T-FAM", "--date", "2024-11-15", "-o", str(out)]
        )
        == 0
    )
    assert "ĞÜLŞEN Amina" in all_text(out.read_bytes())
    out = tmp_path / "foglio-p.pdf"
    assert (
        cli.main(
            [
                *base,
                "occupancy",
                "--structure",
                "T-FAM",
                "--date",
                "2024-11-15",
                "--pseudonymised",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    _assert_no_secret(all_text(out.read_bytes()))
    out = tmp_path / "art.pdf"
    assert (
        cli.main(
            [
                *base,
                "occupancy",
                "--structure",
                "T-ART",
                "--date",
                "2024-11-15",
                "--named",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    assert "KAYALI Yıldız" in all_text(out.read_bytes())
    out = tmp_path / "riepilogo.pdf"
    assert (
        cli.main([*base, "summary", "--province", "SO", "--date", "2024-11-15", "-o", str(out)])
        == 0
    )
    assert "T-UOM" in all_text(out.read_bytes())
    out = tmp_path / "registro.pdf"
    assert (
        cli.main(
            [*base, "register", "--programme", "SAI-TEST", "--month", "2024-11", "-o", str(out)]
        )
        == 0
    )
    assert len(PdfReader(out).pages) == 1
    out = tmp_path / "registro-s.pdf"
    assert (
        cli.main([*base, "register", "--structure", "T-UOM", "--month", "2024-11", "-o", str(out)])
        == 0
    )
    assert "ȘTEFĂNESCU Đorđe" in all_text(out.read_bytes())


def test_cli_fails_cleanly_for_an_unknown_structure(backend, sc, db_url, tmp_path: Path, capsys):
    capsys.readouterr()
    out = tmp_path / "x.pdf"
    code = cli.main(
        [
            "--language",
            "it",
            "--database",
            db_url,
            "print",
            "occupancy",
            "--structure",
            "NOPE",
            "-o",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code != 0
    assert len(err.strip().splitlines()) == 1 and "NOPE" in err
    assert "Traceback" not in err
    assert not out.exists()
    code = cli.main(
        [
            "--language",
            "it",
            "--database",
            db_url,
            "print",
            "register",
            "--programme",
            "NOPE",
            "--month",
            "2024-11",
            "-o",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1 and "NOPE" in err


def test_register_of_the_current_month_counts_no_night_after_the_printing_day(backend, sc):
    """Printed on 2 December, December's register attests the night of the 1st only."""
    db = backend.db
    text = all_text(
        presence_register(db, 2024, 12, structure_id=sc.families.id, printed_on=D(2024, 12, 2))
    )
    totals, grand = _register_totals(text)
    assert totals == {m.person.code: 1 for m in sc.base.mother.members}
    assert grand == 3
    assert _(
        "Printed on {date}: the nights from that day on have not passed yet and are left blank."
    ).format(date=format_date(D(2024, 12, 2))) in " ".join(_lines(text))
    # Printed once the month is over, every night counts and the note is gone.
    text = all_text(
        presence_register(db, 2024, 12, structure_id=sc.families.id, printed_on=D(2025, 1, 1))
    )
    totals, grand = _register_totals(text)
    assert grand == 93 and set(totals.values()) == {31}
    assert "left blank" not in text and "in bianco" not in text


def _fonts_of(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use, by name, with whether its program is embedded."""
    reader = PdfReader(io.BytesIO(pdf))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


def test_every_pdf_embeds_every_font_it_names_and_carries_its_metadata(backend, sc):
    """A printout is self-contained (archivable): no standard font named without its program."""
    documents = {
        "sheet": occupancy_sheet(backend.db, sc.families.id, DAY),
        "summary": occupancy_summary(backend.db, DAY),
        "register": presence_register(backend.db, DAY.year, DAY.month, structure_id=sc.families.id),
    }
    for name, pdf in documents.items():
        fonts = _fonts_of(pdf)
        assert fonts, name
        assert all(fonts.values()), (name, fonts)
        assert b"Helvetica" not in pdf, name
        reader = PdfReader(io.BytesIO(pdf))
        meta = reader.metadata
        assert meta is not None and meta.title and meta.author and meta.subject, name
        assert reader.trailer["/Root"].get("/Lang") == "it", name
