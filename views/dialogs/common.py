"""Pieces shared by the workflow dialogs: the dialog frame with its red refusal line,
date fields, the household picker, the members-and-beds table and the structure chooser.

Reads here are short and run synchronously; writes are the dialogs' own ``apply()``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.errors import ConcurrentEditError, DomainError, ValidationError
from models.formatting import format_short_date
from models.i18n import _, ngettext
from models.labels import relationship_label, target_group_label
from models.results import FitReport, HouseholdInfo, PersonInfo

ERROR_STYLE = "color: #b00020; font-weight: bold;"
WARNING_COLOUR = QColor("#b35c00")
OK_COLOUR = QColor("#1b7f3b")
BAD_COLOUR = QColor("#b00020")


# -- small helpers -------------------------------------------------------------------


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


_DATE_PATTERNS = (
    re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$"),  # 04/03/1990, 4.3.90
)


def parse_date(text: str) -> dt.date | None:
    """A date typed by hand (dd/mm/yyyy, d.m.yy, yyyy-mm-dd); None when empty.

    Raises ``ValidationError`` with a clear message when the text is not a date.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", text):
            return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
        m = _DATE_PATTERNS[0].match(text)
        if m:
            d, mo, y = (int(x) for x in m.groups())
            if y < 100:
                # Two-digit years are birth years: 05 is 2005, 90 is 1990.
                y += 2000 if y <= dt.date.today().year % 100 else 1900
            return dt.date(y, mo, d)
    except ValueError:
        pass
    raise ValidationError(_("“{text}” is not a date: write it as dd/mm/yyyy.").format(text=text))


def age_on(birth: dt.date | None, day: dt.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_text(birth: dt.date | None, day: dt.date) -> str:
    """ "34 years" or "8 years · minor"; empty when the birth date is unknown."""
    age = age_on(birth, day)
    if age is None:
        return ""
    text = ngettext("{n} year", "{n} years", age).format(n=age)
    if age < 18:
        text += " · " + _("minor")
    return text


def person_name(p: PersonInfo) -> str:
    name = f"{p.last_name} {p.first_name}".strip()
    if p.alias:
        name = f"{name} “{p.alias}”".strip() if name else f"“{p.alias}”"
    return name


def targets_text(targets: Iterable[str]) -> str:
    return ", ".join(sorted(target_group_label(t) for t in targets)) or _("anyone")


def ro_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def setup_table(table: QTableWidget, headers: Sequence[str], *, stretch: int | None = None) -> None:
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)


def reach_cell_widgets_with_tab(table: QTableWidget, widgets: Sequence[QWidget]) -> None:
    """Tab leaves ``table`` for ``widgets`` (its cell widgets), in order, then goes on to the
    rest of the window. Arrow keys and Space still move inside the table. With Tab moving
    from cell to cell, widgets inside a table could only be reached with the mouse; and
    being made after the window's other fields, they came last in the focus chain."""
    table.setTabKeyNavigation(False)
    previous: QWidget = table
    for widget in widgets:
        QWidget.setTabOrder(previous, widget)
        previous = widget


# -- the dialog frame ----------------------------------------------------------------


class ErrorLabel(QLabel):
    """The red line near the OK button that says why something was refused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class WorkflowDialog(QDialog):
    """A dialog that changes something when OK is pressed, or explains why it cannot.

    Subclasses build their fields into ``self.body`` and implement ``apply()``, which
    validates the input (raising ``ValidationError``) and calls one service. A
    ``DomainError`` keeps the dialog open with its message; nothing was changed.
    """

    def __init__(
        self, backend: Any, parent: QWidget | None, *, day: dt.date, title: str, ok_text: str
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.day = day
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.setModal(True)
        outer = QVBoxLayout(self)
        outer.setSpacing(10)
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        outer.addLayout(self.body, 1)
        self.error_label = ErrorLabel(self)
        outer.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        # Ctrl+Enter confirms even from a multi-line field.
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.accept)

    # -- messages --
    def show_error(self, text: str) -> None:
        self.error_label.show_message(text)

    def clear_error(self) -> None:
        self.error_label.show_message("")

    # -- the work --
    def apply(self) -> Any:  # pragma: no cover - every dialog implements it
        raise NotImplementedError

    def reload(self) -> None:
        """Read again what the dialog works on (after a change made elsewhere)."""

    def accept(self) -> None:
        self.clear_error()
        try:
            self.result_value = self.apply()
        except ConcurrentEditError as exc:
            # Someone changed the record on another PC: show it as it is now and let the
            # coordinator check before pressing OK again.
            self.reload()
            self.show_error(
                str(exc)
                + " "
                + _("The dialog now shows the current data: check it and confirm again.")
            )
            return
        except DomainError as exc:
            self.show_error(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - no traceback reaches a user
            from views.tasks import unexpected_message

            self.show_error(unexpected_message(exc))
            return
        super().accept()


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


# -- dates ---------------------------------------------------------------------------


class DateEdit(QDateEdit):
    """A date with a calendar, written dd/mm/yyyy."""

    def __init__(self, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(to_qdate(day), parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setMinimumDate(QDate(1900, 1, 1))
        self.setMinimumWidth(130)

    def value(self) -> dt.date:
        return from_qdate(self.date())

    def set_value(self, day: dt.date) -> None:
        self.setDate(to_qdate(day))


class OptionalDateEdit(QWidget):
    """A date that may be left out (a planned end, an end of stay): a date and a "none" tick."""

    changed = Signal()

    def __init__(self, day: dt.date | None, none_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.edit = DateEdit(day or dt.date.today())
        self.edit.setMinimumWidth(130)
        self.none = QCheckBox(none_label)
        lay.addWidget(self.edit)
        lay.addWidget(self.none)
        lay.addStretch(1)
        self.none.setChecked(day is None)
        self.edit.setEnabled(day is not None)
        self.none.toggled.connect(lambda on: self.edit.setEnabled(not on))
        self.none.toggled.connect(lambda _on: self.changed.emit())
        self.edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.setFocusProxy(self.edit)

    def value(self) -> dt.date | None:
        return None if self.none.isChecked() else self.edit.value()

    def set_value(self, day: dt.date | None) -> None:
        self.none.setChecked(day is None)
        if day is not None:
            self.edit.set_value(day)


def date_row(*widgets: QWidget) -> QWidget:
    """Date fields at their natural width, left aligned, in one form row."""
    host = QWidget()
    lay = QHBoxLayout(host)
    lay.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        lay.addWidget(w)
    lay.addStretch(1)
    return host


def add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    import calendar

    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


# -- household picker ----------------------------------------------------------------


class SearchEdit(QLineEdit):
    """A search field where Enter picks the first result instead of pressing the dialog's OK,
    and the down arrow goes to the results."""

    go_down = Signal()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
        elif event.key() == Qt.Key.Key_Down:
            self.go_down.emit()


class HouseholdPicker(QWidget):
    """Search a household as you type (name, alias, code or citizenship) and pick it."""

    household_changed = Signal(object)  # HouseholdInfo | None
    SEARCH_LIMIT = 50

    def __init__(self, backend: Any, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from views.tasks import TaskRunner

        self.backend = backend
        self.day = day
        self.runner = TaskRunner(self)
        self.household: HouseholdInfo | None = None
        self._pick_when_loaded = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.search = SearchEdit()
        self.search.setObjectName("householdSearch")
        self.search.setPlaceholderText(_("Type part of a name, alias, code or citizenship"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("householdResults")
        self.results.setMaximumHeight(110)
        self.chosen = QLabel()
        self.chosen.setObjectName("householdChosen")
        self.chosen.setWordWrap(True)
        self.change = QPushButton(_("Choose another household"))
        self.change.setAutoDefault(False)
        chosen_row = QHBoxLayout()
        chosen_row.addWidget(self.chosen, 1)
        chosen_row.addWidget(self.change)
        lay.addWidget(self.search)
        lay.addWidget(self.results)
        lay.addLayout(chosen_row)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self.timer.start())
        self.search.returnPressed.connect(self._pick_first)
        self.search.go_down.connect(self._to_results)
        self.results.itemActivated.connect(self._pick_item)
        self.results.itemClicked.connect(self._pick_item)
        self.change.clicked.connect(self._unlock)
        self.setFocusProxy(self.search)
        self._show_chosen(None)

    def run_search(self) -> None:
        """Search off the UI thread (a national database has half a million people)."""
        self.timer.stop()
        text = self.search.text().strip()
        if not text:
            self.results.clear()
            return
        search, limit = self.backend.queries.search_people, self.SEARCH_LIMIT
        self.runner.run(
            lambda: search(text, limit=limit), on_success=self._show_results, key="household-search"
        )

    def _show_results(self, people: Any) -> None:
        self.results.clear()
        seen: set[int] = set()
        for p in people:
            if p.household_id is None or p.household_id in seen:
                continue
            seen.add(p.household_id)
            line = _("{name} · {code} · household {household}").format(
                name=person_name(p), code=p.code, household=p.household_code
            )
            if p.citizenship:
                line += f" · {p.citizenship}"
            item = QListWidgetItem(line)
            item.setData(Qt.ItemDataRole.UserRole, p.household_id)
            self.results.addItem(item)
        if not seen:
            item = QListWidgetItem(
                _("Nobody found: check the spelling or register the person first.")
            )
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
        else:
            self.results.setCurrentRow(0)
        if self._pick_when_loaded:
            self._pick_when_loaded = False
            first = self.results.item(0)
            if first is not None and first.data(Qt.ItemDataRole.UserRole) is not None:
                self._pick_item(first)

    def _pick_first(self) -> None:
        if not self.search.text().strip():
            return
        self._pick_when_loaded = True
        self.run_search()

    def _to_results(self) -> None:
        if self.results.count():
            self.results.setFocus()
            self.results.setCurrentRow(max(0, self.results.currentRow()))

    def _pick_item(self, item: QListWidgetItem) -> None:
        hid = item.data(Qt.ItemDataRole.UserRole)
        if hid is not None:
            self.set_household(int(hid))

    def set_household(self, household_id: int | None, *, locked: bool = False) -> None:
        self.household = (
            self.backend.queries.household(household_id) if household_id is not None else None
        )
        self._show_chosen(self.household)
        self.change.setVisible(self.household is not None and not locked)
        self.household_changed.emit(self.household)

    def _unlock(self) -> None:
        self.household = None
        self._show_chosen(None)
        self.household_changed.emit(None)
        self.search.setFocus()

    def _show_chosen(self, h: HouseholdInfo | None) -> None:
        searching = h is None
        self.search.setVisible(searching)
        self.results.setVisible(searching)
        self.change.setVisible(not searching)
        self.chosen.setVisible(not searching)
        if h is not None:
            ref = h.reference
            n = len(h.members)
            self.chosen.setText(
                "<b>{name}</b> — {code}, {members}".format(
                    name=person_name(ref) if ref else "",
                    code=_("household {code}").format(code=h.code),
                    members=ngettext("{n} person", "{n} people", n).format(n=n),
                )
            )


# -- members and beds ----------------------------------------------------------------


class MembersTable(QTableWidget):
    """The people concerned, each with a tick and (optionally) a bed to choose."""

    selection_changed = Signal()
    COL_NAME, COL_AGE, COL_REL, COL_BED = range(4)

    def __init__(self, *, with_beds: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("membersTable")
        self.with_beds = with_beds
        headers = [_("Person"), _("Age"), _("Relationship")]
        if with_beds:
            headers.append(_("Bed"))
        # The name is never cut; the relationship gives way when space is short.
        setup_table(self, headers, stretch=self.COL_REL)
        if with_beds:
            self.horizontalHeader().setSectionResizeMode(self.COL_BED, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(self.COL_BED, 175)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        self.people: list[PersonInfo] = []
        self.combos: dict[int, QComboBox] = {}
        self.itemChanged.connect(lambda _i: self.selection_changed.emit())

    def set_people(
        self, people: Sequence[PersonInfo], day: dt.date, *, checked: set[int] | None = None
    ) -> None:
        self.blockSignals(True)
        self.people = list(people)
        self.combos = {}
        self.setRowCount(len(self.people))
        for row, p in enumerate(self.people):
            name = QTableWidgetItem(person_name(p))
            name.setToolTip(p.code)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(
                Qt.CheckState.Checked
                if checked is None or p.id in checked
                else Qt.CheckState.Unchecked
            )
            name.setData(Qt.ItemDataRole.UserRole, p.id)
            self.setItem(row, self.COL_NAME, name)
            age = ro_item(age_text(p.birth_date, day))
            if p.is_minor_on(day):
                age.setForeground(WARNING_COLOUR)
            self.setItem(row, self.COL_AGE, age)
            self.setItem(row, self.COL_REL, ro_item(relationship_label(p.relationship)))
            if self.with_beds:
                combo = QComboBox()
                combo.setObjectName(f"bedCombo_{p.id}")
                self.combos[p.id] = combo
                self.setCellWidget(row, self.COL_BED, combo)
        reach_cell_widgets_with_tab(self, list(self.combos.values()))
        self.blockSignals(False)
        self.setMinimumHeight(min(6, max(2, len(self.people))) * 30 + 30)
        self.selection_changed.emit()

    def set_checked(self, person_id: int, on: bool) -> None:
        for row, p in enumerate(self.people):
            if p.id == person_id:
                self.item(row, self.COL_NAME).setCheckState(
                    Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
                )

    def checked_ids(self) -> list[int]:
        return [
            p.id
            for row, p in enumerate(self.people)
            if self.item(row, self.COL_NAME).checkState() == Qt.CheckState.Checked
        ]

    def all_checked(self) -> bool:
        return len(self.checked_ids()) == len(self.people)

    def set_bed_options(
        self,
        options: Sequence[tuple[int, str]],
        proposal: dict[int, int],
        *,
        structure_chosen: bool = True,
    ) -> None:
        """Fill each person's bed list with the free beds; preselect the proposed ones."""
        checked = set(self.checked_ids())
        for pid, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            if pid not in checked or not structure_chosen:
                combo.addItem("—" if structure_chosen else _("choose the structure"), None)
                combo.setEnabled(False)
            else:
                combo.setEnabled(bool(options))
                combo.addItem(_("— choose a bed —") if options else _("no free bed"), None)
                for bed_id, label in options:
                    combo.addItem(label, bed_id)
                wanted = proposal.get(pid)
                idx = combo.findData(wanted) if wanted is not None else -1
                combo.setCurrentIndex(max(idx, 0))
            combo.blockSignals(False)

    def chosen_beds(self) -> dict[int, int]:
        out = {}
        for pid in self.checked_ids():
            combo = self.combos.get(pid)
            if combo is not None and combo.currentData() is not None:
                out[pid] = int(combo.currentData())
        return out

    def beds_for_service(self, missing_message: str) -> dict[int, int] | None:
        """The chosen beds for the service; None when there was nothing to choose from
        (the service then proposes beds or explains why not). A bed chosen for only some
        of the ticked people is refused with ``missing_message``."""
        beds = self.chosen_beds()
        if not beds:
            return None
        if len(beds) != len(self.checked_ids()):
            raise ValidationError(missing_message)
        return beds


def show_destination(dialog: Any, household_id: int | None, day: dt.date) -> None:
    """After a structure is chosen in ``dialog.chooser``: the beds each ticked person may
    take there, and the reason field when the structure is for another target group.

    Used by the placement, reservation and transfer dialogs, which all have ``chooser``,
    ``members``, ``override`` and ``override_label``."""
    sid = dialog.chooser.structure_id()
    rep = dialog.chooser.report()
    if household_id is not None and sid is not None:
        options = bed_options(dialog.backend, sid, day, household_id)
        dialog.members.set_bed_options(options, dict(rep.proposed_beds) if rep else {})
    else:
        dialog.members.set_bed_options([], {}, structure_chosen=False)
    needed = bool(rep and rep.target_group_problem)
    dialog.override_label.setVisible(needed)
    dialog.override.setVisible(needed)


def bed_options(
    backend: Any, structure_id: int, day: dt.date, household_id: int | None
) -> list[tuple[int, str]]:
    """Beds of a structure that the household can take on ``day``: free, held for it, or its own."""
    sheet = backend.queries.structure_sheet(structure_id, day)
    household_code = None
    if household_id is not None:
        household_code = backend.queries.household(household_id).code
    out = []
    for b in sheet.beds:
        own = (
            b.status == "occupied"
            and b.occupant is not None
            and b.occupant.household_id == household_id
        ) or (b.status == "reserved" and household_code is not None and b.note == household_code)
        if b.status == "free" or own:
            out.append(
                (b.bed_id, _("{room} / bed {bed}").format(room=b.room_name, bed=b.bed_label))
            )
    return out


# -- structure chooser ---------------------------------------------------------------


class StructureChooser(QWidget):
    """Programme, then structure: every structure says whether the household fits, and why not."""

    structure_changed = Signal()
    COL_NAME, COL_PROV, COL_FOR, COL_FREE, COL_FIT = range(5)

    def __init__(
        self, backend: Any, parent: QWidget | None = None, *, day: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        from views.tasks import TaskRunner

        self.runner = TaskRunner(self)
        self.computing = False
        self.free: dict[int, int] = {}
        self.reports: dict[int, FitReport] = {}
        self.structures: list[Any] = []
        self.user_chose_programme = False
        self._context: tuple[int | None, tuple[int, ...] | None, dt.date] | None = None
        # Places are checked for the nights up to the planned end (None: open-ended); with
        # a programme given, in that programme only (the others are open-ended).
        self._until: tuple[dt.date | None, int | None] = (None, None)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.programme = QComboBox()
        self.programme.setObjectName("programmeCombo")
        # Programmes with a structure open on the date first; the others after, marked.
        day = day or dt.date.today()
        open_ids = backend.queries.programmes_with_open_structures(day)
        programmes = backend.queries.list_programmes()
        for p in [p for p in programmes if p.id in open_ids] + [
            p for p in programmes if p.id not in open_ids
        ]:
            text = f"{p.code} — {p.name}"
            if p.id not in open_ids:
                text += " " + _("(no structure open on this date)")
            self.programme.addItem(text, p.id)
        self.programme.activated.connect(self._programme_activated)
        form.addRow(_("&Programme:"), self.programme)
        lay.addLayout(form)
        self.table = QTableWidget()
        self.table.setObjectName("structureTable")
        setup_table(
            self.table,
            [_("Structure"), _("Province"), _("For"), _("Free beds"), _("Fits?")],
            stretch=self.COL_FOR,
        )
        self.table.setWordWrap(True)
        self.table.setMinimumHeight(150)
        lay.addWidget(self.table, 1)
        self.explanation = QLabel()
        self.explanation.setObjectName("fitExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setMinimumHeight(36)
        lay.addWidget(self.explanation)
        self.programme.currentIndexChanged.connect(self._load_structures)
        self.table.itemSelectionChanged.connect(self._selected)
        self._load_structures()

    def _programme_activated(self, _index: int) -> None:
        self.user_chose_programme = True

    def prefer_programme(self, programme_id: int | None) -> None:
        """Show this programme unless the user already chose one (the household's last programme)."""
        if programme_id is not None and not self.user_chose_programme:
            self.select_programme(programme_id)

    def select_programme(self, programme_id: int) -> None:
        idx = self.programme.findData(programme_id)
        if idx >= 0:
            self.programme.setCurrentIndex(idx)

    def select_structure(self, structure_id: int) -> None:
        for st in self.backend.queries.list_structures():
            if st.id == structure_id:
                self.select_programme(st.programme_id)
                break
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == structure_id:
                self.table.selectRow(row)
                return

    def _load_structures(self) -> None:
        pid = self.programme.currentData()
        self.structures = (
            self.backend.queries.list_structures(programme_id=pid) if pid is not None else []
        )
        self.table.setRowCount(len(self.structures))
        for row, st in enumerate(self.structures):
            name = ro_item(f"{st.name} ({st.code})")
            name.setData(Qt.ItemDataRole.UserRole, st.id)
            self.table.setItem(row, self.COL_NAME, name)
            self.table.setItem(row, self.COL_PROV, ro_item(st.province))
            self.table.setItem(row, self.COL_FOR, ro_item(targets_text(st.targets)))
            self.table.setItem(row, self.COL_FREE, ro_item(""))
            self.table.setItem(row, self.COL_FIT, ro_item(""))
        self.reports = {}
        if self._context is not None:
            self._compute()
        self.table.resizeRowsToContents()
        self._selected()

    def set_context(
        self,
        household_id: int | None,
        person_ids: Sequence[int] | None,
        day: dt.date,
        until: dt.date | None = None,
        *,
        until_programme: int | None = None,
    ) -> None:
        """Recompute the fit of every structure for these people from ``day`` up to
        ``until`` (the planned end; open-ended when None). With ``until_programme``,
        ``until`` holds in that programme only, and the others are open-ended (a transfer
        keeps its placement's planned end within its programme)."""
        self._context = (household_id, tuple(person_ids) if person_ids is not None else None, day)
        self._until = (until, until_programme)
        self._compute()
        self._selected()

    def _compute(self) -> None:
        """Check every structure of the programme off the UI thread, then show the answers."""
        assert self._context is not None
        household_id, person_ids, day = self._context
        structures = list(self.structures)
        backend = self.backend
        until, until_programme = self._until
        self.reports = {}
        self.computing = True
        for row in range(self.table.rowCount()):
            self.table.item(row, self.COL_FIT).setText("…")

        def work() -> tuple[list[Any], dict[int, int], dict[int, FitReport]]:
            free: dict[int, int] = {}
            reports: dict[int, FitReport] = {}
            if structures:
                code = structures[0].programme_code
                free = {
                    r.structure_id: r.free
                    for r in backend.queries.occupancy(day, programme_code=code)
                }
            if household_id is None or (person_ids is not None and not person_ids):
                return structures, free, reports
            for st in structures:
                try:
                    end = until if until_programme in (None, st.programme_id) else None
                    reports[st.id] = backend.services.check_fit(
                        household_id, st.id, day, person_ids=person_ids, until=end
                    )
                except DomainError as exc:
                    reports[st.id] = FitReport(st.id, False, (str(exc),), False, {})
            return structures, free, reports

        self.runner.run(work, on_success=self._show_fit, key="fit")

    def _show_fit(self, result: tuple[list[Any], dict[int, int], dict[int, FitReport]]) -> None:
        structures, free, reports = result
        if [s.id for s in structures] != [s.id for s in self.structures]:
            return  # the programme changed meanwhile; its own check is on the way
        self.computing = False
        self.reports = reports
        self.free = free
        day = self._context[2] if self._context else dt.date.today()
        for row, st in enumerate(structures):
            free_item = self.table.item(row, self.COL_FREE)
            free_item.setText(str(free[st.id]) if st.id in free else _("closed"))
            free_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item = self.table.item(row, self.COL_FIT)
            rep = reports.get(st.id)
            if rep is None:
                item.setText("")
            elif rep.fits:
                item.setText("✔ " + _("fits"))
                item.setForeground(OK_COLOUR)
            elif rep.target_group_problem and len(rep.reasons) == 1:
                item.setText("⚠ " + _("other target group"))
                item.setForeground(WARNING_COLOUR)
            else:
                item.setText("✘ " + short_reason(rep, st, day))
                item.setForeground(BAD_COLOUR)
        self.table.resizeColumnToContents(self.COL_FIT)
        self.table.resizeRowsToContents()
        self._selected()

    def structure_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return int(self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole))

    def structure(self) -> Any:
        sid = self.structure_id()
        return next((s for s in self.structures if s.id == sid), None)

    def report(self) -> FitReport | None:
        sid = self.structure_id()
        return self.reports.get(sid) if sid is not None else None

    def _selected(self) -> None:
        rep = self.report()
        st = self.structure()
        if st is None:
            self.explanation.setText(
                _("Choose a structure from the list.")
                if self.structures
                else _("This programme has no structures: choose another programme.")
            )
            self.explanation.setStyleSheet("")
        elif rep is None:
            self.explanation.setText(_("Checking the structures…") if self.computing else "")
            self.explanation.setStyleSheet("")
        elif rep.fits:
            text = _("{structure} has room for them: the proposed beds are below.").format(
                structure=st.name
            )
            if self.free.get(st.id) == 0:
                text += " " + _("They are the beds held for this household.")
            self.explanation.setText(text)
            self.explanation.setStyleSheet(f"color: {OK_COLOUR.name()};")
        else:
            self.explanation.setText("\n".join(rep.reasons))
            colour = (
                WARNING_COLOUR if rep.target_group_problem and len(rep.reasons) == 1 else BAD_COLOUR
            )
            self.explanation.setStyleSheet(f"color: {colour.name()};")
        self.structure_changed.emit()


def short_reason(rep: FitReport, st: Any = None, day: dt.date | None = None) -> str:
    """A few words for the list; the full reasons are shown below it."""
    parts = []
    closed = (
        st is not None
        and day is not None
        and (day < st.opened_on or (st.closed_on is not None and day >= st.closed_on))
    )
    if closed:
        parts.append(_("closed on that date"))
    if rep.target_group_problem:
        parts.append(_("other target group"))
    others = len(rep.reasons) - int(rep.target_group_problem) - int(closed)
    if others > 0:
        parts.append(_("not enough free beds") if not closed else _("not available"))
    return ", ".join(parts) or _("does not fit")


def household_people(h: HouseholdInfo) -> list[PersonInfo]:
    """Members with their relationship filled in, reference person first."""
    from dataclasses import replace

    people = [replace(m.person, relationship=m.relationship) for m in h.members]
    people.sort(key=lambda p: p.relationship != "reference")
    return people


def active_placement(backend: Any, household_id: int) -> Any:
    """The household's active placement, if any (the latest one)."""
    active = [
        p for p in backend.queries.placements_of_household(household_id) if p.status == "active"
    ]
    return active[-1] if active else None


def last_programme(backend: Any, household_id: int) -> int | None:
    """The programme of the household's latest placement, the usual one for the next step."""
    placements = [
        p for p in backend.queries.placements_of_household(household_id) if p.status != "cancelled"
    ]
    return placements[-1].programme_id if placements else None


def date_text(day: dt.date | None) -> str:
    return format_short_date(day) if day else "—"


# -- the placement a dialog works on -------------------------------------------------


def find_placement(backend: Any, placement_id: int | None, household_id: int | None) -> Any:
    """The placement given, or the household's active one; None when there is none."""
    if placement_id is not None:
        return backend.queries.placement(placement_id)
    if household_id is not None:
        return active_placement(backend, household_id)
    return None


def placement_summary(backend: Any, placement: Any, day: dt.date) -> str:
    """One rich-text line: who, which programme, since when, where they sleep now."""
    h = backend.queries.household(placement.household_id)
    ref = h.reference
    rows = [
        r
        for r in backend.queries.who_is_where(day, household_id=h.id)
        if r.placement_id == placement.id
    ]
    where = sorted({r.structure_name for r in rows})
    text = _("<b>{name}</b> — household {code}, {programme} since {entry}").format(
        name=person_name(ref) if ref else "",
        code=h.code,
        programme=placement.programme_code,
        entry=date_text(placement.entry_date),
    )
    if placement.planned_end:
        text += ", " + _("planned end {date}").format(date=date_text(placement.planned_end))
    if where:
        text += "<br>" + _("On {date} in: {structures}").format(
            date=date_text(day), structures=", ".join(where)
        )
    return text
