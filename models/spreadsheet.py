"""The spreadsheet format of a whole network (``resources/templates/accoglienza.xlsx``),
and reading and writing spreadsheets: .xlsx with openpyxl, CSV as Italian Excel writes
it with the standard library.

One workbook holds one sheet per kind of record; the first row of each sheet is its
headers, one record a row from the second. Codes are the keys between sheets (the
programme of a structure is its code, a bed is structure, room and bed label): no
database id ever appears in a sheet. Headers, sheet names and the words of the lists
(kinds, sexes, relationships...) are Italian, as in the template; the values' codes
("anti_trafficking", "reference") and the English words are accepted too.

A CSV file is one sheet, named by its file name ("Strutture.csv", "strutture.csv",
"accoglienza - Strutture.csv"): separated by semicolons (commas and tabs are recognised
too), UTF-8 with or without a BOM, or Windows-1252 as older Excel writes it, with dates
as 01/06/2023 and decimal commas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DomainError
from .i18n import _, ngettext


class SpreadsheetError(DomainError):
    """The file cannot be read as a spreadsheet at all (broken, foreign, empty)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing to correct in the file: where, and what."""

    sheet: str
    row: int  # as the spreadsheet shows it; 0 for the sheet as a whole
    column: str  # the header, "" for the row or sheet as a whole
    letter: str
    message: str

    def where(self) -> str:
        if self.row and self.column:
            return _("{sheet}, row {row}, column {column}").format(
                sheet=self.sheet,
                row=self.row,
                column=f"{self.column} ({self.letter})" if self.letter else self.column,
            )
        if self.row:
            return _("{sheet}, row {row}").format(sheet=self.sheet, row=self.row)
        if self.column:
            return _("{sheet}, column {column}").format(sheet=self.sheet, column=self.column)
        return self.sheet

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


class ImportProblems(DomainError):
    """The file has problems: nothing was imported. ``problems`` lists them all."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        n = len(self.problems)
        super().__init__(
            ngettext(
                "The spreadsheet has {n} problem: nothing was imported.",
                "The spreadsheet has {n} problems: nothing was imported.",
                n,
            ).format(n=n)
        )


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Italian, as in the template
    kind: str = "text"  # text, date, int, bool, or the name of a vocabulary
    required: bool = False
    english: str = ""
    note: str = ""  # the template's explanation (Italian)


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str  # Italian, as in the template
    columns: tuple[Column, ...]
    english: str = ""
    note: str = ""
    aliases: tuple[str, ...] = ()  # other names a sheet is known by

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _c(key: str, header: str, kind: str = "text", required: bool = False, *, en: str = "",
       note: str = "") -> Column:  # fmt: skip
    return Column(key, header, kind, required, en, note)


# The words of the lists, Italian as the sheets write them; the code itself and the
# English label (models.labels) are accepted as well.
VOCABULARIES: dict[str, dict[str, str]] = {
    "kind": {"sai": "SAI", "anti_trafficking": "art. 18", "other": "altro"},
    "sai_category": {"ord": "ORD", "dm_ds": "DM-DS", "msna": "MSNA"},
    "target": {
        "men": "uomini",
        "women": "donne",
        "families": "nuclei familiari",
        "single_parent": "nuclei monogenitoriali",
        "lgbtqia": "LGBTQIA+",
        "transgender": "persone transgender",
        "minors": "minori stranieri non accompagnati",
    },
    "sex": {"F": "F", "M": "M", "X": "X"},
    "legal_status": {
        "asylum_seeker": "richiedente protezione internazionale",
        "refugee": "status di rifugiato",
        "subsidiary_protection": "protezione sussidiaria",
        "special_protection": "protezione speciale",
        "art18_permit": "casi speciali (art. 18)",
        "unaccompanied_minor": "permesso per minore età",
        "other": "altro",
    },
    "relationship": {
        "reference": "persona di riferimento",
        "partner": "partner",
        "child": "figlio o figlia",
        "parent": "genitore",
        "sibling": "fratello o sorella",
        "other_relative": "altro parente",
        "other": "altro",
    },
    "exit_reason": {
        "socio_economic": "inserimento socio-economico",
        "term_expired": "scadenza termini",
        "voluntary_abandonment": "abbandono volontario",
        "revocation": "allontanamento / revoca",
        "assisted_return": "rimpatrio volontario assistito",
        "transfer_other_project": "trasferimento ad altro progetto",
        "dublin_transfer": "trasferimento Dublino",
        "other": "altro",
    },
    "reservation_status": {"held": "in attesa", "confirmed": "confermata"},
}
# Other spellings people type.
_SYNONYMS: dict[str, dict[str, str]] = {
    "kind": {"antitratta": "anti_trafficking", "art 18": "anti_trafficking", "art.18": "anti_trafficking"},
    "sex": {"femmina": "F", "maschio": "M", "donna": "F", "uomo": "M", "femminile": "F", "maschile": "M"},
    "relationship": {"riferimento": "reference", "figlio": "child", "figlia": "child",
                     "fratello": "sibling", "figlio/a": "child", "fratello/sorella": "sibling", "sorella": "sibling", "coniuge": "partner"},
    "target": {"famiglie": "families", "lgbtqia": "lgbtqia", "transgender": "transgender",
               "minori non accompagnati": "minors", "minori": "minors"},
    "legal_status": {"richiedente asilo": "asylum_seeker", "rifugiato": "refugee",
                     "permesso art. 18": "art18_permit"},
    "exit_reason": {"allontanamento/revoca": "revocation", "revoca": "revocation"},
    "reservation_status": {"attesa": "held", "prenotata": "held"},
}  # fmt: skip

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "programmes",
        "Programmi",
        (
            _c("code", "Codice", required=True, en="Code", note="codice del progetto, unico"),
            _c("name", "Nome", required=True, en="Name"),
            _c("kind", "Tipo", "kind", True, en="Kind", note="SAI, art. 18 o altro"),
            _c(
                "sai_category",
                "Categoria SAI",
                "sai_category",
                en="SAI category",
                note="ORD, DM-DS o MSNA (solo per i progetti SAI)",
            ),
            _c("holder", "Ente titolare", en="Holder"),
            _c("managing_partner", "Ente gestore", en="Managing partner"),
            _c("start_date", "Inizio", "date", True, en="Start"),
            _c(
                "end_date",
                "Fine",
                "date",
                en="End",
                note="ultimo giorno del progetto; vuoto se in corso",
            ),
        ),
        "Programmes",
        "un progetto SAI o programma art. 18 per riga",
    ),
    Sheet(
        "structures",
        "Strutture",
        (
            _c("code", "Codice", required=True, en="Code", note="codice della struttura, unico"),
            _c(
                "programme",
                "Programma",
                required=True,
                en="Programme",
                note="codice del programma (foglio Programmi)",
            ),
            _c("name", "Nome", required=True, en="Name"),
            _c(
                "province",
                "Provincia",
                required=True,
                en="Province",
                note="sigla di due lettere, per esempio MI",
            ),
            _c("comune", "Comune", en="Comune"),
            _c("address", "Indirizzo", en="Address"),
            _c(
                "targets",
                "Destinatari",
                "targets",
                en="Target groups",
                note="separati da virgole: uomini, donne, nuclei familiari, nuclei monogenitoriali, LGBTQIA+, persone transgender, minori stranieri non accompagnati",
            ),
            _c(
                "confidential",
                "Protetta",
                "bool",
                en="Confidential",
                note="appartamento protetto (indirizzo protetto): sì o no; vuoto: sì per i programmi art. 18",
            ),
            _c("opened_on", "Apertura", "date", True, en="Opened"),
            _c(
                "closed_on",
                "Chiusura",
                "date",
                en="Closed",
                note="ultimo giorno di apertura; vuoto se aperta",
            ),
        ),
        "Structures",
        "una struttura (appartamento) per riga",
    ),
    Sheet(
        "beds",
        "Stanze e posti letto",
        (
            _c(
                "structure",
                "Struttura",
                required=True,
                en="Structure",
                note="codice della struttura",
            ),
            _c("room", "Stanza", required=True, en="Room"),
            _c(
                "bed",
                "Posto letto",
                required=True,
                en="Bed",
                note="etichetta del posto letto, unica nella stanza",
            ),
        ),
        "Rooms and beds",
        "un posto letto per riga",
    ),
    Sheet(
        "capacity",
        "Posti autorizzati",
        (
            _c(
                "structure",
                "Struttura",
                required=True,
                en="Structure",
                note="codice della struttura",
            ),
            _c("valid_from", "Dal", "date", True, en="From"),
            _c(
                "places", "Posti", "int", True, en="Places", note="posti autorizzati da quella data"
            ),
            _c("note", "Nota", en="Note"),
        ),
        "Places",
        "i posti autorizzati di una struttura da una data (una riga per ogni cambio)",
        ("Capienza", "Capacity", "Posti"),
    ),
    Sheet(
        "outages",
        "Posti fuori servizio",
        (
            _c("structure", "Struttura", required=True, en="Structure"),
            _c("room", "Stanza", required=True, en="Room"),
            _c("bed", "Posto letto", required=True, en="Bed"),
            _c("start_date", "Dal", "date", True, en="From"),
            _c(
                "end_date",
                "Al",
                "date",
                en="Until",
                note="giorno in cui torna in servizio; vuoto se ancora fuori servizio",
            ),
            _c("reason", "Motivo", en="Reason"),
        ),
        "Beds out of service",
        "un periodo fuori servizio di un posto letto per riga (facoltativo)",
    ),
    Sheet(
        "people",
        "Persone e nuclei",
        (
            _c(
                "household",
                "Nucleo",
                required=True,
                en="Household",
                note="codice del nucleo: le persone con lo stesso codice formano un nucleo",
            ),
            _c(
                "code",
                "Codice persona",
                required=True,
                en="Person code",
                note="codice della persona, unico",
            ),
            _c("last_name", "Cognome", en="Last name"),
            _c("first_name", "Nome", en="First name"),
            _c("alias", "Alias", en="Alias", note="nome protetto; serve un nome o un alias"),
            _c("sex", "Sesso", "sex", True, en="Sex", note="F, M o X"),
            _c("gender_identity", "Identità di genere", en="Gender identity"),
            _c("birth_date", "Data di nascita", "date", en="Birth date"),
            _c("citizenship", "Cittadinanza", en="Citizenship"),
            _c("legal_status", "Status giuridico", "legal_status", en="Legal status"),
            _c(
                "relationship",
                "Relazione",
                "relationship",
                True,
                en="Relationship",
                note="una sola persona di riferimento per nucleo; le altre: partner, figlio/a, genitore, fratello/sorella, altro parente, altro",
            ),
        ),
        "People and households",
        "una persona per riga",
    ),
    Sheet(
        "stays",
        "Inserimenti",
        (
            _c("household", "Nucleo", required=True, en="Household"),
            _c("programme", "Programma", required=True, en="Programme"),
            _c(
                "entry_date",
                "Ingresso",
                "date",
                True,
                en="Entry",
                note="data di ingresso nel progetto: le righe con lo stesso nucleo, programma e ingresso sono un inserimento",
            ),
            _c("planned_end", "Fine prevista", "date", en="Planned end"),
            _c("exit_date", "Uscita", "date", en="Exit"),
            _c("exit_reason", "Motivo uscita", "exit_reason", en="Exit reason"),
            _c("exit_destination", "Destinazione", en="Destination"),
            _c("note", "Nota", en="Note"),
            _c("person", "Persona", required=True, en="Person", note="codice della persona"),
            _c("structure", "Struttura", required=True, en="Structure"),
            _c("room", "Stanza", required=True, en="Room"),
            _c("bed", "Posto letto", required=True, en="Bed"),
            _c("start_date", "Dal", "date", True, en="From", note="prima notte nel posto letto"),
            _c(
                "end_date",
                "Al",
                "date",
                en="Until",
                note="data di uscita: il giorno in cui libera il posto letto; vuoto se ancora presente",
            ),
            _c(
                "override_reason",
                "Motivo della deroga",
                en="Override reason",
                note="perché la persona è inserita fuori dai destinatari della struttura",
            ),
        ),
        "Stays",
        "una assegnazione del posto letto per riga: una persona, un posto letto, dal giorno di ingresso a quello di uscita",
        ("Permanenze", "Assegnazioni", "Placements"),
    ),
    Sheet(
        "extensions",
        "Proroghe",
        (
            _c("household", "Nucleo", required=True, en="Household"),
            _c("programme", "Programma", required=True, en="Programme"),
            _c(
                "entry_date",
                "Ingresso",
                "date",
                True,
                en="Entry",
                note="l'inserimento prorogato, come nel foglio Inserimenti",
            ),
            _c(
                "previous_planned_end",
                "Fine prevista precedente",
                "date",
                en="Previous planned end",
            ),
            _c("new_planned_end", "Nuova fine prevista", "date", True, en="New planned end"),
            _c("reason", "Motivo", required=True, en="Reason"),
            _c("authorised_by", "Autorizzata da", en="Authorised by"),
            _c("granted_on", "Concessa il", "date", True, en="Granted on"),
        ),
        "Extensions",
        "una proroga di un inserimento per riga (facoltativo)",
    ),
    Sheet(
        "reservations",
        "Prenotazioni",
        (
            _c("household", "Nucleo", required=True, en="Household"),
            _c("programme", "Programma", required=True, en="Programme"),
            _c("structure", "Struttura", required=True, en="Structure"),
            _c("room", "Stanza", required=True, en="Room"),
            _c("bed", "Posto letto", required=True, en="Bed"),
            _c("person", "Persona", en="Person"),
            _c("held_from", "Prenotato dal", "date", True, en="Held from"),
            _c("expected_on", "Atteso il", "date", True, en="Expected on"),
            _c("closed_on", "Chiusa il", "date", en="Closed on"),
            _c("status", "Stato", "reservation_status", en="Status", note="in attesa o confermata"),
            _c("note", "Nota", en="Note"),
        ),
        "Reservations",
        "un posto letto prenotato per riga (facoltativo)",
    ),
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}
NOTES_SHEET = "Istruzioni"


def fold(text: str) -> str:
    """Lower case, without accents, spaces collapsed: how names and words are compared."""
    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s_]+", " ", text)


def _sheet_names() -> dict[str, Sheet]:
    names: dict[str, Sheet] = {}
    for s in SHEETS:
        names[fold(s.name)] = s
        names[fold(s.english)] = s
        names[fold(s.key)] = s
        for alias in s.aliases:
            names[fold(alias)] = s
    return names


def find_sheet(name: str) -> Sheet | None:
    return _sheet_names().get(fold(name))


def vocabulary_code(vocabulary: str, value: str) -> str | None:
    """The code of ``value`` in a list (Italian word, code or English label), or None."""
    from . import labels

    english: dict[str, dict[str, str]] = {
        "kind": labels.PROGRAMME_KINDS,
        "sai_category": labels.SAI_CATEGORIES,
        "target": labels.TARGET_GROUPS,
        "sex": labels.SEXES,
        "legal_status": labels.LEGAL_STATUSES,
        "relationship": labels.RELATIONSHIPS,
        "exit_reason": labels.EXIT_REASONS,
        "reservation_status": {"held": "held", "confirmed": "confirmed"},
    }
    wanted = fold(value)
    words = VOCABULARIES[vocabulary]
    for code, word in words.items():
        if wanted in (fold(code), fold(word), fold(english[vocabulary].get(code, code))):
            return code
    return _SYNONYMS.get(vocabulary, {}).get(wanted)


def vocabulary_word(vocabulary: str, code: str | None) -> str:
    if not code:
        return ""
    return VOCABULARIES[vocabulary].get(code, code)


# -- cells ---------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: Any, today: dt.date | None = None) -> dt.date:
    """A day from a cell: an Excel date, 01/06/2023, 1/6/23, 1.6.2023 or 2023-06-01.
    Raises ValueError when it is none of those."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell read as its serial number (a CSV saved from a date column as number).
        if 1 <= value < 2958466 and float(value).is_integer():
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError(value)
    text = str(value).strip()
    m = _DATE.match(text)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            pivot = (today or dt.date.today()).year + 20
            year += 2000 if 2000 + year <= pivot else 1900
        return dt.date(year, month, day)
    m = _ISO.match(text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+[,.]0+", text):
        return int(re.split(r"[,.]", text)[0])
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):  # 1.234 with a thousands point
        return int(text.replace(".", ""))
    raise ValueError(text)


_TRUE = {"si", "sì", "s", "yes", "y", "true", "vero", "x", "1"}
_FALSE = {"no", "n", "false", "falso", "0"}


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    text = fold(value)
    if text in {fold(t) for t in _TRUE}:
        return True
    if text in _FALSE:
        return False
    raise ValueError(text)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


# -- reading -------------------------------------------------------------------------


@dataclass
class RawSheet:
    """A sheet as found in a file: its headers (with their column letters) and rows
    (the row number as the spreadsheet shows it, and the cells)."""

    name: str
    source: str  # file name
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    csv: bool = False


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _foreign(path: Path) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "{file} is not a spreadsheet Accoglienza can read: use an Excel workbook "
            "(.xlsx) or a CSV file saved from Excel or LibreOffice. Nothing was imported."
        ).format(file=path.name)
    )


def read_files(paths: Sequence[Path]) -> list[RawSheet]:
    """The sheets of the files: each .xlsx gives its sheets, each .csv one sheet."""
    sheets: list[RawSheet] = []
    for path in paths:
        if not path.exists():
            raise SpreadsheetError(
                _("{file} does not exist. Nothing was imported.").format(file=str(path))
            )
        suffix = path.suffix.lower()
        if suffix in (".csv", ".txt"):
            sheets.append(read_csv(path))
        elif suffix in (".xlsx", ".xlsm"):
            sheets.extend(read_xlsx(path))
        else:
            raise _foreign(path)
    return sheets


def read_xlsx(path: Path) -> list[RawSheet]:
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise _foreign(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any damage in the file says the same
        raise _foreign(path) from exc
    sheets = []
    try:
        for ws in book.worksheets:
            rows = ws.iter_rows(values_only=True)
            header: list[Any] | None = None
            number = 0
            found = RawSheet(ws.title, path.name, [])
            for row in rows:
                number += 1
                cells = list(row)
                if header is None:
                    if all(c is None or cell_text(c) == "" for c in cells):
                        continue
                    header = cells
                    found.headers = [cell_text(c) for c in cells]
                    continue
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    continue
                found.rows.append((number, cells))
            sheets.append(found)
    except Exception as exc:  # noqa: BLE001 - a broken sheet inside a zip
        raise _foreign(path) from exc
    finally:
        book.close()
    return sheets


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(path: Path) -> RawSheet:
    data = path.read_bytes()
    if b"\x00" in data[:4096] or data[:2] == b"PK":
        raise _foreign(path)
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", "\t", ","), key=first.count) if first else ";"
    if first.count(delimiter) == 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    sheet = RawSheet(_csv_sheet_name(path), path.name, [], csv=True)
    header_seen = False
    for number, row in enumerate(reader, start=1):
        if not header_seen:
            if not any(c.strip() for c in row):
                continue
            sheet.headers = [c.strip() for c in row]
            header_seen = True
            continue
        if not any(c.strip() for c in row):
            continue
        sheet.rows.append((number, list(row)))
    if not header_seen:
        raise SpreadsheetError(_("{file} is empty. Nothing was imported.").format(file=path.name))
    return sheet


def _csv_sheet_name(path: Path) -> str:
    """The sheet a CSV file holds, from its name: "Strutture.csv", "rete - Strutture.csv"."""
    stem = path.stem
    if find_sheet(stem) is not None:
        return stem
    for part in re.split(r"[-–_.]| - ", stem)[::-1]:
        if find_sheet(part) is not None:
            return part.strip()
    for sheet in SHEETS:  # the longest name contained in the file's name
        for name in (sheet.name, sheet.english):
            if fold(name) in fold(stem):
                return name
    return stem


# -- writing -------------------------------------------------------------------------

DATE_FORMAT = "DD/MM/YYYY"


@dataclass
class Table:
    """What one sheet of a written spreadsheet holds: headers, and rows of plain values
    (str, int, float, date, bool, None). ``formats`` gives an Excel number format by
    column index (percentages, decimals)."""

    name: str
    headers: list[str]
    rows: list[list[Any]]
    formats: dict[int, str] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)


def write_xlsx(path: Path, tables: Iterable[Table], *, notes: Table | None = None) -> None:
    """The tables as the sheets of one workbook (streamed: the whole region network in
    seconds), headers bold on the first row, which stays in view; dates as dates."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE6F0")
    top = Alignment(vertical="top")
    wrapped = Alignment(wrap_text=True, vertical="top")
    all_tables = ([notes] if notes is not None else []) + list(tables)
    for table in all_tables:
        ws = book.create_sheet(table.name[:31])
        for index, header in enumerate(table.headers):
            width = table.widths.get(index)
            if width is None:
                longest = max(
                    [len(str(header))]
                    + [len(_shown(r[index])) for r in table.rows[:200] if index < len(r)]
                )
                width = min(max(longest + 2, 8), 60)
            ws.column_dimensions[column_letter(index)].width = width
        if table is not notes:
            ws.freeze_panes = "A2"
        heads = []
        for header in table.headers:
            cell = WriteOnlyCell(ws, value=header)
            cell.font, cell.fill, cell.alignment = bold, fill, top
            heads.append(cell)
        ws.append(heads)
        for row in table.rows:
            out: list[Any] = []
            for index, value in enumerate(row):
                value = _xlsx_value(value)
                fmt = table.formats.get(index)
                if isinstance(value, dt.datetime):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = DATE_FORMAT
                    out.append(cell)
                elif fmt and isinstance(value, int | float) and not isinstance(value, bool):
                    cell = WriteOnlyCell(ws, value=value)
                    cell.number_format = fmt
                    out.append(cell)
                elif table is notes:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.alignment = wrapped
                    out.append(cell)
                else:
                    out.append(value)
            ws.append(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return "00/00/0000"
    return "" if value is None else str(value)


def csv_value(value: Any, percent: bool = False) -> str:
    """A value as Italian Excel writes it in a CSV: 01/06/2023, 12,5."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        if percent:
            return f"{value * 100:.1f}".replace(".", ",") + "%"
        return repr(value).replace(".", ",") if not value.is_integer() else str(int(value))
    return str(value)


def write_csv(path: Path, table: Table) -> None:
    """One table as a CSV that Italian Excel opens as it is: semicolons, a BOM."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    percents = {i for i, f in table.formats.items() if "%" in f}
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";", lineterminator="\r\n")
        out.writerow(table.headers)
        for row in table.rows:
            out.writerow([csv_value(v, i in percents) for i, v in enumerate(row)])
    tmp.replace(path)


def write_table(path: Path, table: Table) -> None:
    """One table to ``path``: .csv as Italian Excel writes it, otherwise .xlsx."""
    if path.suffix.lower() == ".csv":
        write_csv(path, table)
    else:
        write_xlsx(path, [table])


# -- the template ----------------------------------------------------------------------


def notes_table() -> Table:
    """The template's first sheet: what each sheet and column is for (Italian)."""
    rows: list[list[Any]] = [
        [
            "",
            "",
            "Compilare i fogli dalla seconda riga; la prima riga sono le intestazioni, da "
            "non cambiare. Date come 01/06/2023. I codici collegano i fogli tra loro. "
            "I fogli facoltativi si possono lasciare vuoti. Il file si importa con "
            "File › Importa da foglio di calcolo… oppure: accoglienza import FILE.xlsx",
        ]
    ]
    for sheet in SHEETS:
        rows.append([sheet.name, "", sheet.note])
        for col in sheet.columns:
            what = col.note or ""
            if col.required:
                what = ("obbligatoria; " + what).rstrip("; ")
            rows.append(["", col.header, what])
    return Table(
        NOTES_SHEET, ["Foglio", "Colonna", "Spiegazione"], rows, widths={0: 22, 1: 22, 2: 90}
    )


def empty_tables() -> list[Table]:
    return [Table(s.name, [c.header for c in s.columns], []) for s in SHEETS]


TEMPLATE_NAME = "accoglienza.xlsx"


def template_path() -> Path:
    import sys

    frozen = getattr(sys, "_MEIPASS", None)
    base = Path(frozen) if frozen else Path(__file__).resolve().parent.parent
    return base / "resources" / "templates" / TEMPLATE_NAME


def write_template(path: Path | None = None) -> Path:
    """Write the empty template (``python -m models.spreadsheet``)."""
    path = path or template_path()
    write_xlsx(path, empty_tables(), notes=notes_table())
    return path


if __name__ == "__main__":
    print(write_template())
