"""Importing a whole network from a spreadsheet (``accoglienza import``, *File › Importa
da foglio di calcolo…*), in the format of ``models.spreadsheet``.

Everything is checked first, and every problem is listed with its sheet, row and
column; nothing is imported unless there are none. The checks are the rules of the
screens (``models.rules``, ``models.limits``): a province Italy has, one reference
person per household, a birth date between 1900 and today, a structure open and its
programme running when someone enters it, the target groups (or a reason to override
them), no minor left without an adult of the household outside MSNA programmes, no bed
or person twice on one night, the places in force when a stay starts, no bed out of
service while occupied. Then everything is written in one transaction, audited, with
the database's own overlap rules as the last guard.

Only into an empty network: importing next to existing records would have to match
codes with what is there, and is refused with a clear message.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from . import entities as e
from . import limits, rules
from .errors import DomainError, ValidationError
from .formatting import format_date
from .i18n import _, ngettext
from .people import search_text
from .spreadsheet import (
    SHEET_BY_KEY,
    SHEETS,
    Column,
    ImportProblems,
    Problem,
    RawSheet,
    Sheet,
    SpreadsheetError,
    cell_text,
    column_letter,
    find_sheet,
    fold,
    parse_bool,
    parse_date,
    parse_int,
    read_files,
    vocabulary_code,
)
from .unit_of_work import Right, UnitOfWork, UseCases

NAMES = {s.key: s.name for s in SHEETS}
# Headers of earlier drafts of the template, still read.
ALIASES = {
    "Protetta": ("Riservata",),
    "Motivo della deroga": ("Motivo deroga",),
    "Prenotato dal": ("Tenuto dal",),
    "Atteso il": ("Arrivo previsto",),
}


@dataclass
class ImportSummary:
    programmes: int = 0
    structures: int = 0
    beds: int = 0
    people: int = 0
    households: int = 0
    placements: int = 0
    stays: int = 0
    extensions: int = 0
    reservations: int = 0

    def __str__(self) -> str:
        return _(
            "Imported — programmes: {programmes}, structures: {structures}, beds: {beds}, "
            "people: {people}, households: {households}, placements: {placements}, bed "
            "stays: {stays}, extensions: {extensions}, reservations: {reservations}."
        ).format(**self.__dict__)


@dataclass
class Row:
    """A row of a known sheet, its cells read by column key."""

    sheet: Sheet
    number: int
    values: dict[str, Any]
    letters: dict[str, str]


def v(row: Row, key: str) -> Any:
    """The value read from ``row``'s cell of column ``key`` (None when empty or unreadable)."""
    return row.values.get(key)


@dataclass
class _Checker:
    today: dt.date
    problems: list[Problem] = field(default_factory=list)

    def add(self, sheet: Sheet, row: int, column: str | None, message: str,
            letters: dict[str, str] | None = None) -> None:  # fmt: skip
        header = sheet.column(column).header if column else ""
        letter = (letters or {}).get(column or "", "")
        self.problems.append(Problem(sheet.name, row, header, letter, message))

    def at(self, row: Row, column: str | None, message: str) -> None:
        self.add(row.sheet, row.number, column, message, row.letters)


# -- reading the cells -----------------------------------------------------------------


def _match_columns(raw: RawSheet, sheet: Sheet, check: _Checker) -> dict[str, int] | None:
    where: dict[str, int] = {}
    known: dict[str, Column] = {}
    for col in sheet.columns:
        for name in (col.header, col.english, col.key, *ALIASES.get(col.header, ())):
            if name:
                known[fold(name)] = col
    for index, header in enumerate(raw.headers):
        if not header:
            continue
        found = known.get(fold(header))
        if found is None:
            check.add(
                sheet,
                1,
                None,
                _("Unknown column “{column}” ({letter}): the template does not have it.").format(
                    column=header, letter=column_letter(index)
                ),
            )
            continue
        if found.key in where:
            check.add(
                sheet,
                1,
                None,
                _("Column “{column}” appears twice.").format(column=found.header),
            )
            continue
        where[found.key] = index
    missing = [c.header for c in sheet.columns if c.required and c.key not in where]
    for header in missing:
        check.add(sheet, 0, None, _("Column “{column}” is missing.").format(column=header))
    return None if missing else where


def _read_cell(col: Column, value: Any, row: Row, check: _Checker) -> Any:
    text = cell_text(value)
    if text == "" and not (col.kind == "date" and value not in (None, "")):
        if col.required:
            check.at(row, col.key, _("A value is needed here."))
        return None
    try:
        if col.kind == "date":
            return parse_date(value, check.today)
        if col.kind == "int":
            return parse_int(value)
        if col.kind == "bool":
            return parse_bool(value)
    except (ValueError, OverflowError):
        if col.kind == "date":
            check.at(
                row,
                col.key,
                _("“{value}” is not a date: write it as 01/06/2023.").format(value=text[:40]),
            )
        elif col.kind == "int":
            check.at(row, col.key, _("“{value}” is not a whole number.").format(value=text[:40]))
        else:
            check.at(row, col.key, _("“{value}”: write yes or no.").format(value=text[:40]))
        return None
    if col.kind == "text":
        return text
    if col.kind == "targets":
        codes = []
        for part in text.replace(";", ",").split(","):
            if not part.strip():
                continue
            code = vocabulary_code("target", part)
            if code is None:
                check.at(
                    row,
                    col.key,
                    _("Unknown target group: “{value}”.").format(value=part.strip()[:40]),
                )
            else:
                codes.append(code)
        return codes
    code = vocabulary_code(col.kind, text)
    if code is None:
        from .spreadsheet import VOCABULARIES

        check.at(
            row,
            col.key,
            _("Unknown value “{value}”: use one of {choices}.").format(
                value=text[:40], choices=", ".join(VOCABULARIES[col.kind].values())
            ),
        )
    return code


def read_rows(raw_sheets: Sequence[RawSheet], check: _Checker) -> dict[str, list[Row]]:
    found: dict[str, list[Row]] = {s.key: [] for s in SHEETS}
    seen: dict[str, str] = {}
    for raw in raw_sheets:
        sheet = find_sheet(raw.name)
        if sheet is None:
            if fold(raw.name) in (fold("Istruzioni"), fold("Instructions")):
                continue
            if not raw.rows and not any(raw.headers):
                continue
            names = ", ".join(_("“{name}”").format(name=s.name) for s in SHEETS)
            if raw.csv:
                message = _(
                    "The file's name does not say which sheet it holds: name it as one of "
                    "{names} (for example Strutture.csv)."
                ).format(names=names)
            else:
                message = _("Unknown sheet: the template's sheets are {names}.").format(names=names)
            check.problems.append(Problem(f"{raw.name} ({raw.source})", 0, "", "", message))
            continue
        if sheet.key in seen:
            check.add(sheet, 0, None, _("The sheet is given twice ({first} and {second}).").format(
                first=seen[sheet.key], second=raw.source))  # fmt: skip
            continue
        seen[sheet.key] = raw.source
        # Problems name the sheet as the file does ("Capienza", an older name, too).
        sheet = replace(sheet, name=raw.name)
        where = _match_columns(raw, sheet, check)
        if where is None:
            continue
        letters = {key: column_letter(i) for key, i in where.items()}
        for number, cells in raw.rows:
            row = Row(sheet, number, {}, letters)
            for col in sheet.columns:
                index = where.get(col.key)
                value = cells[index] if index is not None and index < len(cells) else None
                row.values[col.key] = _read_cell(col, value, row, check)
            found[sheet.key].append(row)
    return found


# -- checking the records --------------------------------------------------------------


@dataclass
class _Stay:
    row: Row
    person: str
    bed: tuple[str, str, str]
    structure: str
    start: dt.date
    end: dt.date | None
    placement: tuple[str, str, dt.date]


def _overlaps(a: _Stay | tuple[dt.date, dt.date | None], b: _Stay | tuple[dt.date, dt.date | None]) -> bool:  # fmt: skip
    sa, ea = (a.start, a.end) if isinstance(a, _Stay) else a
    sb, eb = (b.start, b.end) if isinstance(b, _Stay) else b
    return rules.overlaps(sa, ea, sb, eb)


def _intervals_overlapping(items: list[_Stay]) -> list[tuple[_Stay, _Stay]]:
    """Pairs of stays of one bed (or one person) sharing a night."""
    pairs = []
    ordered = sorted(items, key=lambda x: (x.start, x.row.number))
    latest: _Stay | None = None
    for stay in ordered:
        if latest is not None and (latest.end is None or latest.end > stay.start):
            pairs.append((latest, stay))
        if latest is None or latest.end is not None and (stay.end is None or stay.end > latest.end):
            latest = stay
    return pairs


def _check_text(check: _Checker, row: Row, key: str, entity_key: str, limit: int) -> None:
    value = row.values.get(key)
    if isinstance(value, str) and value:
        try:
            limits.check_text(entity_key, value, limit)
        except ValidationError as exc:
            check.at(row, key, str(exc))


def _text_limits(cls: type) -> dict[str, int]:
    return dict(limits._text_columns(cls))


@dataclass
class Plan:
    """The checked records, ready to be written."""

    rows: dict[str, list[Row]]


def check_rows(rows: dict[str, list[Row]], check: _Checker) -> None:  # noqa: C901 - one pass per sheet
    today = check.today

    # Programmes
    programmes: dict[str, Row] = {}
    plimits = _text_limits(e.Programme)
    for row in rows["programmes"]:
        code = v(row, "code")
        if code:
            if code in programmes:
                check.at(row, "code", _("Programme {code} is given twice (also on row {row}).").format(
                    code=code, row=programmes[code].number))  # fmt: skip
            else:
                programmes[code] = row
        start, end = v(row, "start_date"), v(row, "end_date")
        if start and end and end <= start:
            check.at(row, "end_date", _("The end date must come after the start date."))
        if v(row, "sai_category") and v(row, "kind") not in (None, "sai"):
            check.at(row, "sai_category", _("Only SAI programmes have a SAI category."))
        for key in ("code", "name", "holder", "managing_partner"):
            _check_text(check, row, key, key, plimits[key])

    # Structures
    structures: dict[str, Row] = {}
    slimits = _text_limits(e.Structure)
    for row in rows["structures"]:
        code = v(row, "code")
        if code:
            if code in structures:
                check.at(row, "code", _("Structure {code} is given twice (also on row {row}).").format(
                    code=code, row=structures[code].number))  # fmt: skip
            else:
                structures[code] = row
        prog = v(row, "programme")
        if prog and prog not in programmes:
            check.at(row, "programme", _("Unknown programme: {code} is not in the sheet “{sheet}”.").format(sheet=NAMES["programmes"], code=prog))  # fmt: skip
        prov = v(row, "province")
        if prov:
            try:
                row.values["province"] = limits.province(prov)
            except ValidationError as exc:
                check.at(row, "province", str(exc))
        opened, closed = v(row, "opened_on"), v(row, "closed_on")
        if opened and closed and closed <= opened:
            check.at(row, "closed_on", _("The closing date must come after the opening date."))
        for key in ("code", "name", "address", "comune"):
            _check_text(check, row, key, key, slimits[key])

    # Beds
    beds: dict[tuple[str, str, str], Row] = {}
    for row in rows["beds"]:
        st, room, bed = v(row, "structure"), v(row, "room"), v(row, "bed")
        if st and st not in structures:
            check.at(row, "structure", _("Unknown structure: {code} is not in the sheet “{sheet}”.").format(sheet=NAMES["structures"], code=st))  # fmt: skip
        if st and room and bed:
            bed_key = (st, room, bed)
            if bed_key in beds:
                check.at(row, "bed", _("Bed {bed} of room {room} is given twice (also on row {row}).").format(
                    bed=bed, room=room, row=beds[bed_key].number))  # fmt: skip
            else:
                beds[bed_key] = row
        _check_text(check, row, "room", "name", 80)
        _check_text(check, row, "bed", "label", 40)

    def known_bed(row: Row) -> tuple[str, str, str] | None:
        st, room, bed = v(row, "structure"), v(row, "room"), v(row, "bed")
        if not (st and room and bed):
            return None
        if st not in structures:
            check.at(row, "structure", _("Unknown structure: {code} is not in the sheet “{sheet}”.").format(sheet=NAMES["structures"], code=st))  # fmt: skip
            return None
        if (st, room, bed) not in beds:
            check.at(row, "bed", _("Structure {structure} has no bed {bed} in room {room} in the sheet “{sheet}”.").format(sheet=NAMES["beds"],
                structure=st, bed=bed, room=room))  # fmt: skip
            return None
        return (st, room, bed)

    # Capacity
    capacity: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    seen_periods: dict[tuple[str, dt.date], Row] = {}
    for row in rows["capacity"]:
        st, day, places = v(row, "structure"), v(row, "valid_from"), v(row, "places")
        if st and st not in structures:
            check.at(row, "structure", _("Unknown structure: {code} is not in the sheet “{sheet}”.").format(sheet=NAMES["structures"], code=st))  # fmt: skip
            continue
        if places is not None and places < 0:
            check.at(row, "places", _("The number of places cannot be negative."))
        if st and day:
            opened = v(structures[st], "opened_on")
            if opened and day < opened:
                check.at(row, "valid_from", _("The date comes before the structure opened."))
            if (st, day) in seen_periods:
                check.at(row, "valid_from", _("The places of structure {code} from this date are given twice (also on row {row}).").format(
                    code=st, row=seen_periods[(st, day)].number))  # fmt: skip
            else:
                seen_periods[(st, day)] = row
                if places is not None:
                    capacity[st].append((day, places))
        _check_text(check, row, "note", "note", 300)
    for periods in capacity.values():
        periods.sort()

    def places_on(st: str, day: dt.date) -> int | None:
        found = None
        for start, places in capacity.get(st, []):
            if start <= day:
                found = places
        return found

    # People and households
    people: dict[str, Row] = {}
    households: dict[str, list[Row]] = defaultdict(list)
    plim = _text_limits(e.Person)
    for row in rows["people"]:
        code, hh = v(row, "code"), v(row, "household")
        if code:
            if code in people:
                check.at(row, "code", _("Person {code} is given twice (also on row {row}); a person belongs to one household.").format(
                    code=code, row=people[code].number))  # fmt: skip
            else:
                people[code] = row
        if hh:
            households[hh].append(row)
        if not (v(row, "first_name") or v(row, "last_name") or v(row, "alias")):
            check.at(row, "last_name", _("A person needs a name or an alias."))
        try:
            limits.check_birth_date(v(row, "birth_date"), today)
        except ValidationError as exc:
            check.at(row, "birth_date", str(exc))
        for key in ("code", "first_name", "last_name", "alias", "gender_identity", "citizenship"):
            _check_text(check, row, key, key, plim[key])
        _check_text(check, row, "household", "code", 40)
    for members in households.values():
        refs = [m for m in members if v(m, "relationship") == "reference"]
        if len(refs) != 1 and all(v(m, "relationship") for m in members):
            check.at(
                refs[1] if len(refs) > 1 else members[0],
                "relationship",
                _("A household needs exactly one reference person."),
            )

    def minor_on(person: str, day: dt.date) -> bool:
        return e.is_minor(v(people[person], "birth_date"), day)

    # Stays and placements
    placements: dict[tuple[str, str, dt.date], Row] = {}
    stays: list[_Stay] = []
    incomplete: set[str] = set()
    same = ("planned_end", "exit_date", "exit_reason", "exit_destination", "note")
    for row in rows["stays"]:
        hh, prog, entry = v(row, "household"), v(row, "programme"), v(row, "entry_date")
        person, start, end = v(row, "person"), v(row, "start_date"), v(row, "end_date")
        ok = True
        if hh and hh not in households:
            check.at(row, "household", _("Unknown household: {code} is not in the sheet “{sheet}”.").format(sheet=NAMES["people"], code=hh))  # fmt: skip
            ok = False
        if prog and prog not in programmes:
            check.at(row, "programme", _("Unknown programme: {code} is not in the sheet “{sheet}”.").format(sheet=NAMES["programmes"], code=prog))  # fmt: skip
            ok = False
        if person and person not in people:
            check.at(row, "person", _("Unknown person: {code} is not in the sheet “{sheet}”.").format(sheet=NAMES["people"], code=person))  # fmt: skip
            ok = False
        elif person and hh and v(people[person], "household") != hh:
            check.at(row, "person", _("Person {code} is not a member of household {household}.").format(code=person, household=hh))  # fmt: skip
            ok = False
        bed = known_bed(row)
        planned, exit_date = v(row, "planned_end"), v(row, "exit_date")
        if entry and planned and planned <= entry:
            check.at(row, "planned_end", _("The planned end must come after the entry date."))
        if entry and exit_date and exit_date < entry:
            check.at(row, "exit_date", _("The exit date comes before the entry date."))
        if exit_date and not v(row, "exit_reason"):
            check.at(row, "exit_reason", _("An exit needs its reason."))
        if start and end and end <= start:
            check.at(row, "end_date", _("The end date must come after the start date."))
            ok = False
        if entry and start and start < entry:
            check.at(row, "start_date", _("The stay starts before the entry into the programme."))
        if bed and prog and prog in programmes and v(structures[bed[0]], "programme") != prog:
            check.at(row, "structure", _("Structure {structure} does not belong to programme {programme}.").format(
                structure=bed[0], programme=prog))  # fmt: skip
        _check_text(check, row, "note", "note", limits.TEXT_MAX)
        _check_text(check, row, "exit_destination", "exit_destination", 300)
        _check_text(check, row, "override_reason", "override_reason", 500)
        if not (ok and hh and prog and entry and person and bed and start):
            # A row that cannot be read would make its household look incomplete: the
            # household's rules are checked again once it is corrected.
            if hh:
                incomplete.add(hh)
            continue
        pkey = (hh, prog, entry)
        first = placements.setdefault(pkey, row)
        for name in same:
            if v(first, name) != v(row, name):
                check.at(row, name, _("The rows of one placement (household, programme and entry) must agree: row {row} says otherwise.").format(
                    row=first.number))  # fmt: skip
        stays.append(_Stay(row, person, bed, bed[0], start, end, pkey))

    def report_pairs(groups: dict[Any, list[_Stay]], message: Callable[[_Stay], str]) -> None:
        for items in groups.values():
            for a, b in _intervals_overlapping(items):
                check.at(b.row, "start_date", message(a))

    by_bed: dict[Any, list[_Stay]] = defaultdict(list)
    by_person: dict[Any, list[_Stay]] = defaultdict(list)
    for stay in stays:
        by_bed[stay.bed].append(stay)
        by_person[stay.person].append(stay)
    report_pairs(by_bed, lambda a: _("The bed is already occupied on those dates (row {row}).").format(row=a.row.number))  # fmt: skip
    report_pairs(by_person, lambda a: _("The person already has a bed on those dates (row {row}).").format(row=a.row.number))  # fmt: skip

    # The screens' rules, on transient records (never added to a session).
    prog_objects = {
        code: e.Programme(
            code=code,
            name=v(row, "name") or code,
            kind=e.ProgrammeKind(v(row, "kind") or "other"),
            sai_category=e.SaiCategory(v(row, "sai_category")) if v(row, "sai_category") else None,
            start_date=v(row, "start_date") or dt.date.min,
            end_date=v(row, "end_date"),
        )
        for code, row in programmes.items()
    }
    st_objects: dict[str, e.Structure] = {}
    for code, row in structures.items():
        st = e.Structure(
            code=code,
            name=v(row, "name") or code,
            opened_on=v(row, "opened_on") or dt.date.min,
            closed_on=v(row, "closed_on"),
        )
        st.targets = set(v(row, "targets") or [])
        st_objects[code] = st
    person_objects = {
        code: (
            e.Person(
                code=code,
                sex=e.Sex(v(row, "sex") or "X"),
                birth_date=v(row, "birth_date"),
                gender_identity=v(row, "gender_identity") or "",
            ),
            e.Relationship(v(row, "relationship") or "other"),
        )
        for code, row in people.items()
    }
    by_structure: dict[str, list[_Stay]] = defaultdict(list)
    for stay in stays:
        by_structure[stay.structure].append(stay)

    def present(st: str, day: dt.date) -> list[_Stay]:
        return [x for x in by_structure[st] if x.start <= day and (x.end is None or x.end > day)]

    # First the rule no reason can override: no minor without an adult of the household
    # (outside MSNA programmes); then, as the placement dialog does, the target groups.
    minor_alone: set[tuple[str, str, dt.date]] = set()
    for stay in stays:
        hh, prog, _entry = stay.placement
        if hh in incomplete or prog_objects[prog].sai_category == e.SaiCategory.MSNA:
            continue
        if not minor_on(stay.person, stay.start):
            continue
        adults = [
            x for x in by_structure[stay.structure]
            if x is not stay and v(people[x.person], "household") == hh
            and not minor_on(x.person, stay.start)
        ]  # fmt: skip
        # The nights to look at: the first, and each night an adult leaves while the minor stays.
        nights = {stay.start} | {
            x.end for x in adults if x.end and x.end > stay.start and (stay.end is None or x.end < stay.end)
        }  # fmt: skip
        for night in sorted(nights):
            if not minor_on(stay.person, night):
                break
            if not any(x.start <= night and (x.end is None or x.end > night) for x in adults):
                check.at(stay.row, "person", _(
                    "A minor of the household would be left in a structure without an adult of the household (on {date}).").format(
                    date=format_date(night)))  # fmt: skip
                minor_alone.add((hh, stay.structure, stay.start))
                break
    checked_groups: set[tuple[str, str, dt.date]] = set(minor_alone)
    for stay in stays:
        hh, prog, _entry = stay.placement
        try:
            rules.check_structure_open(st_objects[stay.structure], prog_objects[prog], stay.start)
        except DomainError as exc:
            check.at(stay.row, "start_date", str(exc))
        there = present(stay.structure, stay.start)
        places = places_on(stay.structure, stay.start)
        if places is not None and len(there) > places:
            check.at(stay.row, "start_date", _(
                "On {date} structure {structure} has {places_phrase}: with this stay it would hold more people.").format(
                structure=stay.structure, date=format_date(stay.start),
                places_phrase=ngettext("{n} place", "{n} places", places).format(n=places)))  # fmt: skip
        group = (hh, stay.structure, stay.start)
        if hh in incomplete or group in checked_groups:
            continue
        checked_groups.add(group)
        household = [x for x in there if v(people[x.person], "household") == hh]
        # A household keeps the group it entered the programme as (a single-parent family
        # whose child comes of age during the placement is still one when it moves): the
        # ages are those at the entry, the people those together in the structure that day.
        problem = rules.target_problem(
            st_objects[stay.structure],
            [person_objects[x.person] for x in household],
            min(stay.placement[2], stay.start),
        )
        if problem and not any(
            v(x.row, "override_reason") for x in household if x.start == stay.start
        ):
            check.at(
                stay.row,
                "override_reason",
                problem
                + " "
                + _("Give the reason in column “{column}” to place them anyway.").format(
                    column=SHEET_BY_KEY["stays"].column("override_reason").header
                ),
            )

    # Beds out of service
    for row in rows["outages"]:
        bed = known_bed(row)
        start, end = v(row, "start_date"), v(row, "end_date")
        if start and end and end <= start:
            check.at(row, "end_date", _("The end date must come after the start date."))
            continue
        if bed and start:
            for stay in by_bed.get(bed, []):
                if _overlaps(stay, (start, end)):
                    check.at(row, "start_date", _("The bed is occupied during that period (sheet “{sheet}”, row {row}).").format(sheet=NAMES["stays"], row=stay.row.number))  # fmt: skip
                    break
        _check_text(check, row, "reason", "reason", 300)

    # Extensions
    for row in rows["extensions"]:
        xkey = (v(row, "household"), v(row, "programme"), v(row, "entry_date"))
        if all(xkey) and xkey not in placements:
            check.at(row, "entry_date", _("No placement of household {household} in programme {programme} enters on this date in the sheet “{sheet}”.").format(sheet=NAMES["stays"],
                household=xkey[0], programme=xkey[1]))  # fmt: skip
        _check_text(check, row, "reason", "reason", 500)
        _check_text(check, row, "authorised_by", "authorised_by", 200)

    # Reservations
    for row in rows["reservations"]:
        hh, prog = v(row, "household"), v(row, "programme")
        if hh and hh not in households:
            check.at(row, "household", _("Unknown household: {code} is not in the sheet “{sheet}”.").format(sheet=NAMES["people"], code=hh))  # fmt: skip
        if prog and prog not in programmes:
            check.at(row, "programme", _("Unknown programme: {code} is not in the sheet “{sheet}”.").format(sheet=NAMES["programmes"], code=prog))  # fmt: skip
        person = v(row, "person")
        if person and (person not in people or v(people[person], "household") != hh):
            check.at(row, "person", _("Person {code} is not a member of household {household}.").format(code=person, household=hh))  # fmt: skip
        known_bed(row)
        held, expected, closed = v(row, "held_from"), v(row, "expected_on"), v(row, "closed_on")
        if held and expected and expected < held:
            check.at(row, "expected_on", _("The expected day comes before the beds are held."))
        if held and closed and closed < held:
            check.at(row, "closed_on", _("The end date must come after the start date."))
        _check_text(check, row, "note", "note", 500)


# -- writing ---------------------------------------------------------------------------


def _network_is_empty(work: UnitOfWork) -> bool:
    with work.db.read() as s:
        return not any(
            s.scalar(select(func.count()).select_from(cls))
            for cls in (e.Programme, e.Structure, e.Person, e.Household)
        )


NOT_EMPTY = (
    "The database already holds a network: a spreadsheet is imported only into an empty "
    "database. Create a new database (File › Open database…) and import into it. Nothing "
    "was imported."
)


def check_file(paths: Sequence[Path], today: dt.date) -> tuple[dict[str, list[Row]], list[Problem]]:
    """The rows of the files and every problem found in them (none: ready to import)."""
    check = _Checker(today)
    raws = read_files(paths)
    if not any(find_sheet(r.name) for r in raws):
        names = ", ".join(_("“{name}”").format(name=s.name) for s in SHEETS)
        raise SpreadsheetError(
            _(
                "None of the sheets is one of the template's ({names}): this does not look "
                "like an Accoglienza spreadsheet. Nothing was imported."
            ).format(names=names)
        )
    rows = read_rows(raws, check)
    if not check.problems:
        check_rows(rows, check)
    else:
        # Cells that cannot be read are reported with the rest the checks find.
        check_rows(rows, check)
    return rows, sorted(set(check.problems), key=_order)


def _order(p: Problem) -> tuple[int, int, str, str]:
    sheet = find_sheet(p.sheet)
    return (SHEETS.index(sheet) if sheet else -1, p.row, p.letter.rjust(3), p.message)


def import_files(work: UnitOfWork, paths: Sequence[Path]) -> ImportSummary:
    """Check the files, then import them all in one transaction, or nothing."""
    if not _network_is_empty(work):
        raise ValidationError(_(NOT_EMPTY))
    rows, problems = check_file(paths, work.today())
    if problems:
        raise ImportProblems(problems)
    return _write(work, rows)


def _write(work: UnitOfWork, rows: dict[str, list[Row]]) -> ImportSummary:  # noqa: C901
    summary = ImportSummary()
    with work.transaction() as s:
        work.require(s, Right.PROGRAMMES)  # a whole network: programmes, structures, people
        if s.scalar(select(func.count()).select_from(e.Programme)):
            raise ValidationError(_(NOT_EMPTY))
        programmes: dict[str, e.Programme] = {}
        for row in rows["programmes"]:
            p = e.Programme(
                code=v(row, "code"),
                name=v(row, "name"),
                kind=e.ProgrammeKind(v(row, "kind")),
                sai_category=e.SaiCategory(v(row, "sai_category"))
                if v(row, "sai_category")
                else None,
                holder=v(row, "holder") or "",
                managing_partner=v(row, "managing_partner") or "",
                start_date=v(row, "start_date"),
                end_date=v(row, "end_date"),
            )
            programmes[p.code] = p
        s.add_all(programmes.values())
        structures: dict[str, e.Structure] = {}
        for row in rows["structures"]:
            programme = programmes[v(row, "programme")]
            confidential = v(row, "confidential")
            if confidential is None:
                confidential = programme.kind == e.ProgrammeKind.ANTI_TRAFFICKING
            st = e.Structure(
                programme=programme,
                code=v(row, "code"),
                name=v(row, "name"),
                province=v(row, "province"),
                comune=v(row, "comune") or "",
                address=v(row, "address") or "",
                confidential=confidential,
                opened_on=v(row, "opened_on"),
                closed_on=v(row, "closed_on"),
            )
            st.targets = set(v(row, "targets") or [])
            structures[st.code] = st
        s.add_all(structures.values())
        rooms: dict[tuple[str, str], e.Room] = {}
        beds: dict[tuple[str, str, str], e.Bed] = {}
        for row in rows["beds"]:
            key = (v(row, "structure"), v(row, "room"))
            room = rooms.get(key)
            if room is None:
                room = rooms[key] = e.Room(structure=structures[key[0]], name=key[1])
                s.add(room)
            bed = e.Bed(room=room, label=v(row, "bed"))
            beds[(*key, v(row, "bed"))] = bed
            s.add(bed)
        s.flush()
        for row in rows["capacity"]:
            s.add(
                e.CapacityPeriod(
                    structure_id=structures[v(row, "structure")].id,
                    valid_from=v(row, "valid_from"),
                    places=v(row, "places"),
                    note=v(row, "note") or "",
                )
            )
        for row in rows["outages"]:
            bed = beds[(v(row, "structure"), v(row, "room"), v(row, "bed"))]
            s.add(
                e.BedOutage(
                    bed_id=bed.id,
                    start_date=v(row, "start_date"),
                    end_date=v(row, "end_date"),
                    reason=v(row, "reason") or "",
                )
            )
        households: dict[str, e.Household] = {}
        people: dict[str, e.Person] = {}
        for row in rows["people"]:
            hh = households.get(v(row, "household"))
            if hh is None:
                hh = households[v(row, "household")] = e.Household(
                    code=v(row, "household"), members=[]
                )
                s.add(hh)
            person = e.Person(
                code=v(row, "code"),
                first_name=v(row, "first_name") or "",
                last_name=v(row, "last_name") or "",
                alias=v(row, "alias") or "",
                sex=e.Sex(v(row, "sex")),
                gender_identity=v(row, "gender_identity") or "",
                birth_date=v(row, "birth_date"),
                citizenship=v(row, "citizenship") or "",
                legal_status=e.LegalStatus(v(row, "legal_status") or "other"),
            )
            person.search_text = search_text(
                person.first_name, person.last_name, person.alias, person.code, person.citizenship
            )
            people[person.code] = person
            s.add(person)
            hh.members.append(
                e.HouseholdMember(
                    person=person, relationship_=e.Relationship(v(row, "relationship"))
                )
            )
        s.flush()
        placements: dict[tuple[str, str, dt.date], e.Placement] = {}
        stays = []
        for row in rows["stays"]:
            pkey = (v(row, "household"), v(row, "programme"), v(row, "entry_date"))
            pl = placements.get(pkey)
            if pl is None:
                exit_date = v(row, "exit_date")
                pl = placements[pkey] = e.Placement(
                    household_id=households[pkey[0]].id,
                    programme_id=programmes[pkey[1]].id,
                    entry_date=pkey[2],
                    planned_end=v(row, "planned_end"),
                    exit_date=exit_date,
                    exit_reason=e.ExitReason(v(row, "exit_reason"))
                    if v(row, "exit_reason")
                    else None,
                    exit_destination=v(row, "exit_destination") or "",
                    status=e.PlacementStatus.EXITED if exit_date else e.PlacementStatus.ACTIVE,
                    note=v(row, "note") or "",
                    extensions=[],
                )
                s.add(pl)
            stays.append((row, pl))
        s.flush()
        for row, pl in stays:
            s.add(
                e.BedStay(
                    placement_id=pl.id,
                    person_id=people[v(row, "person")].id,
                    bed_id=beds[(v(row, "structure"), v(row, "room"), v(row, "bed"))].id,
                    start_date=v(row, "start_date"),
                    end_date=v(row, "end_date"),
                    override_reason=v(row, "override_reason") or "",
                )
            )
        for row in rows["extensions"]:
            pl = placements[(v(row, "household"), v(row, "programme"), v(row, "entry_date"))]
            s.add(
                e.Extension(
                    placement_id=pl.id,
                    previous_planned_end=v(row, "previous_planned_end"),
                    new_planned_end=v(row, "new_planned_end"),
                    reason=v(row, "reason"),
                    authorised_by=v(row, "authorised_by") or "",
                    granted_on=v(row, "granted_on"),
                )
            )
        reservations: dict[tuple[Any, ...], e.Reservation] = {}
        for row in rows["reservations"]:
            rkey = (v(row, "household"), v(row, "programme"), v(row, "structure"),
                    v(row, "held_from"), v(row, "expected_on"), v(row, "closed_on"),
                    v(row, "status") or "held")  # fmt: skip
            res = reservations.get(rkey)
            if res is None:
                res = reservations[rkey] = e.Reservation(
                    household_id=households[rkey[0]].id,
                    programme_id=programmes[rkey[1]].id,
                    structure_id=structures[rkey[2]].id,
                    held_from=rkey[3],
                    expected_on=rkey[4],
                    closed_on=rkey[5],
                    status=e.ReservationStatus(rkey[6]),
                    note=v(row, "note") or "",
                    beds=[],
                )
                s.add(res)
            who = v(row, "person")
            res.beds.append(
                e.ReservationBed(
                    bed_id=beds[(v(row, "structure"), v(row, "room"), v(row, "bed"))].id,
                    person_id=people[who].id if who else None,
                )
            )
        s.flush()
        summary = ImportSummary(
            programmes=len(programmes),
            structures=len(structures),
            beds=len(beds),
            people=len(people),
            households=len(households),
            placements=len(placements),
            stays=len(stays),
            extensions=len(rows["extensions"]),
            reservations=len(reservations),
        )
        work.audit(s, "import", "network", None, **summary.__dict__)
    return summary


class Spreadsheets(UseCases):
    """Spreadsheets in (``backend.spreadsheets``): a whole network into an empty database."""

    def import_files(self, paths: Sequence[Path | str]) -> ImportSummary:
        """Check ``paths`` (one .xlsx, or .csv files, one a sheet) and import them in one
        transaction; ``ImportProblems`` lists every problem when there is any."""
        return import_files(self.work, [Path(p) for p in paths])
