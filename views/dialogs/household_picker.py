"""The household a dialog works on: searched as you type (name, alias, code or citizenship),
then shown as its reference person, its code and how many people it has."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.i18n import _, ngettext
from models.results import HouseholdInfo, PersonInfo
from views.widgets import SearchEdit

from .context import DialogContext
from .texts import person_name

T = TypeVar("T")


def choose_household_text() -> str:
    """What a dialog says while no household is chosen in its picker."""
    return _("Choose the household: search it by name above.")


class HouseholdPicker(QWidget):
    """Search a household as you type and pick it; ``household_changed`` says which."""

    household_changed = Signal(object)  # HouseholdInfo | None
    SEARCH_LIMIT = 50

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.on_failure = on_failure
        self.household: HouseholdInfo | None = None
        self._pick_when_loaded = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.search = SearchEdit()
        self.search.setObjectName("householdSearch")
        self.search.setAccessibleName(_("Search the household"))
        self.search.setPlaceholderText(_("Type part of a name, alias, code or citizenship"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setObjectName("householdResults")
        self.results.setAccessibleName(_("Households found"))
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

    def _read(self, fn: Callable[[], T], on_success: Callable[[T], None], key: str) -> None:
        self.context.run(self, fn, on_success=on_success, on_failure=self.on_failure, key=key)

    def run_search(self) -> None:
        """Search off the UI thread (a national database has half a million people)."""
        self.timer.stop()
        text = self.search.text().strip()
        if not text:
            self.results.clear()
            return
        backend, limit = self.context.backend, self.SEARCH_LIMIT
        self._read(
            lambda: backend.directory.search_people(text, limit=limit),
            self._show_results,
            "household-search",
        )

    def _show_results(self, people: Sequence[PersonInfo]) -> None:
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

    def set_household(self, household_id: int, *, locked: bool = False) -> None:
        """Read the household, then show it as chosen (``locked``: no other can be chosen)."""
        backend = self.context.backend
        self._read(
            lambda: backend.directory.household(household_id),
            lambda h: self.show_household(h, locked=locked),
            "household",
        )

    def show_household(self, household: HouseholdInfo, *, locked: bool = False) -> None:
        """Show a household already read as the one chosen."""
        self.household = household
        self._show_chosen(household)
        self.change.setVisible(not locked)
        self.household_changed.emit(household)

    def _unlock(self) -> None:
        self.household = None
        # Another household is another search: the last one's text and results go.
        self.search.clear()
        self.results.clear()
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
