"""The navigation on the left: the whole network, its programmes, provinces and structures.

The tree is built from two short lists (programmes, structures) loaded by the task
runner. Structures are added under a province only when it is opened, so that the
national network (8,000 structures) does not fill the tree at once. A filter box finds a
structure by code, name, comune or province.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush
from PySide6.QtWidgets import (
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.formatting import format_date
from models.i18n import _, ngettext
from models.labels import programme_kind_label
from models.results import ProgrammeInfo, StructureInfo

from . import colours
from .names import structure_text
from .selection import NETWORK, PROGRAMME, PROVINCE, STRUCTURE, PrintScope, Selection
from .widgets import SearchEdit, natural_key

if TYPE_CHECKING:
    from models.backend import Backend

SELECTION_ROLE = int(Qt.ItemDataRole.UserRole) + 10
LOADED_ROLE = int(Qt.ItemDataRole.UserRole) + 11
MAX_FILTER_RESULTS = 300


@dataclass(frozen=True, slots=True)
class NavigationData:
    """The two lists the tree is built from."""

    programmes: Sequence[ProgrammeInfo]
    structures: Sequence[StructureInfo]


def load_navigation(backend: Backend) -> NavigationData:
    """Runs in a task: the two lists the tree is built from (one round trip)."""
    programmes, structures = backend.read_together(
        backend.directory.programmes_reading(), backend.directory.structures_reading()
    )
    return NavigationData(programmes, structures)


class NavigationTree(QWidget):
    """Tree of the network; emits ``selection_changed(Selection)``."""

    selection_changed = Signal(object)
    # A click (or Enter) on the item already chosen: show it again, from another page.
    selection_clicked = Signal(object)
    # The context menu's network workflows: the workflow's key ("new_structure",
    # "edit_programme"...), for the item right-clicked (selected first).
    network_action_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.filter_edit = SearchEdit(self)
        self.filter_edit.setObjectName("navigationFilter")
        self.filter_edit.setAccessibleName(_("Find a structure"))
        self.filter_edit.setPlaceholderText(_("Find a structure (code, name, town)…"))
        self.filter_edit.setClearButtonEnabled(True)
        layout.addWidget(self.filter_edit)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("navigationTree")
        self.tree.setAccessibleName(_("Network: programmes, provinces and structures"))
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        # Names whole: the column as wide as the longest name shown, the tree scrolls.
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tree, 1)
        self._by_group: dict[tuple[str, str], list[StructureInfo]] = defaultdict(list)
        self._structures: list[StructureInfo] = []
        self._programmes: dict[str, ProgrammeInfo] = {}
        self._structure_items: dict[int, QTreeWidgetItem] = {}
        self._last: Selection | None = None
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        # Enter opens the first structure or programme found; the down arrow goes to them.
        self.filter_edit.returnPressed.connect(self._open_first)
        self.filter_edit.go_down.connect(self._to_found)
        self.tree.itemExpanded.connect(self._fill)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.last_menu: QMenu | None = None  # the context menu shown last (tests read it)

    # -- context menu -------------------------------------------------------------------

    def network_actions(self, selection: Selection) -> list[tuple[str, str]]:
        """The network workflows offered for ``selection``: (key, text) in menu order."""
        new = [("new_programme", _("New programme…")), ("new_structure", _("New structure…"))]
        if selection.kind == STRUCTURE:
            return [
                ("edit_structure", _("Edit structure…")),
                ("rooms", _("Rooms and beds…")),
                ("move_structure", _("Move to another programme…")),
                ("close", _("Close structure…")),
                *new,
            ]
        if selection.kind == PROGRAMME:
            return [
                ("edit_programme", _("Edit programme…")),
                ("close", _("End programme…")),
                *new,
            ]
        return new

    def context_menu_for(self, item: QTreeWidgetItem | None) -> QMenu:
        """The menu of ``item`` (selected first: the workflows work on the selection)."""
        if item is not None:
            self.tree.setCurrentItem(item)
        selection = self.current_selection() or Selection(NETWORK, _("All network"))
        menu = QMenu(self)
        menu.setObjectName("navigationMenu")
        for i, (key, text) in enumerate(self.network_actions(selection)):
            if key == "new_programme" and i:
                menu.addSeparator()
            act = QAction(text, menu)
            act.setObjectName(f"navigation_{key}")
            act.triggered.connect(lambda _c=False, k=key: self.network_action_requested.emit(k))
            menu.addAction(act)
        self.last_menu = menu
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu_for(self.tree.itemAt(pos))
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    # -- data ---------------------------------------------------------------------------

    def set_data(self, data: NavigationData) -> None:
        """Rebuild the tree, keeping the current selection when it still exists."""
        previous = self.current_selection()
        self._programmes = {p.code: p for p in data.programmes}
        self._structures = list(data.structures)
        self._by_group = defaultdict(list)
        # In the order people count: BS-5 before BS-39 before BS-50.
        for st in sorted(self._structures, key=lambda st: natural_key(f"{st.code} {st.name}")):
            self._by_group[(st.programme_code, st.province)].append(st)
        self._build()
        if previous is not None:
            self.select(previous, emit=False)

    def structure(self, structure_id: int) -> StructureInfo | None:
        for st in self._structures:
            if st.id == structure_id:
                return st
        return None

    def programme_name(self, code: str | None) -> str | None:
        p = self._programmes.get(code or "")
        return p.name if p is not None else None

    def path(self, selection: Selection) -> str:
        """Where ``selection`` is, as a path: All network › programme › province › structure."""
        parts = [_("All network")]
        programme = self.programme_name(selection.programme_code)
        if programme:
            parts.append(programme)
        if selection.province:
            parts.append(selection.province)
        if selection.kind == STRUCTURE:
            parts.append(selection.label)
        return "  ›  ".join(parts)

    def print_scope(self, selection: Selection, day: dt.date) -> PrintScope:
        """What a print of ``selection`` needs to know, from the lists already loaded."""
        structure_id = selection.chosen_structure()
        structure = self.structure(structure_id) if structure_id is not None else None
        if structure is not None:
            return PrintScope(selection, day, structure.code, structure.programme_kind)
        programme = self._programmes.get(selection.programme_code or "")
        return PrintScope(selection, day, None, programme.kind if programme else None)

    def structures(self) -> list[StructureInfo]:
        return list(self._structures)

    def _build(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        self._structure_items = {}
        root = QTreeWidgetItem([_("All network")])
        root.setData(0, SELECTION_ROLE, Selection(NETWORK, _("All network")))
        root.setToolTip(
            0,
            ngettext("{n} structure", "{n} structures", len(self._structures)).format(
                n=len(self._structures)
            ),
        )
        font = root.font(0)
        font.setBold(True)
        root.setFont(0, font)
        self.tree.addTopLevelItem(root)
        provinces_of: dict[str, list[str]] = defaultdict(list)
        for programme_code, province in sorted(self._by_group):
            provinces_of[programme_code].append(province)
        for code in sorted(self._programmes, key=lambda c: natural_key(self._programmes[c].name)):
            p = self._programmes[code]
            count = sum(len(self._by_group[(code, prov)]) for prov in provinces_of[code])
            item = QTreeWidgetItem([p.name])
            item.setData(0, SELECTION_ROLE, Selection(PROGRAMME, p.name, programme_code=code))
            item.setToolTip(
                0,
                f"{p.code} · {programme_kind_label(p.kind)} · {p.holder} · "
                + ngettext("{n} structure", "{n} structures", count).format(n=count),
            )
            root.addChild(item)
            for prov in provinces_of[code]:
                n = len(self._by_group[(code, prov)])
                child = QTreeWidgetItem([f"{prov} ({n})"])
                child.setData(
                    0,
                    SELECTION_ROLE,
                    Selection(PROVINCE, f"{p.name} · {prov}", programme_code=code, province=prov),
                )
                child.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
                item.addChild(child)
        root.setExpanded(True)
        self.tree.setCurrentItem(root)
        self.tree.blockSignals(False)

    def _structure_item(self, st: StructureInfo) -> QTreeWidgetItem:
        item = QTreeWidgetItem([structure_text(st.code, st.name)])
        item.setData(
            0,
            SELECTION_ROLE,
            Selection(
                STRUCTURE,
                f"{st.code} · {st.name}",
                programme_code=st.programme_code,
                province=st.province,
                structure_id=st.id,
            ),
        )
        where = _("confidential address") if st.confidential else (st.comune or st.province)
        item.setToolTip(0, f"{st.name} · {where}")
        if st.closed_on is not None and st.closed_on < dt.date.today():
            # A closed structure stays in the tree for its history, greyed.
            item.setForeground(0, QBrush(colours.muted()))
            item.setToolTip(
                0,
                f"{st.name} · {where} · "
                + _(
                    "This structure was open until {date}: nobody can be placed in it after."
                ).format(date=format_date(st.closed_on)),
            )
        return item

    def _fill(self, item: QTreeWidgetItem) -> None:
        """Add the structures of a province when it is first opened."""
        sel = item.data(0, SELECTION_ROLE)
        if not isinstance(sel, Selection) or sel.kind != PROVINCE or item.data(0, LOADED_ROLE):
            return
        item.setData(0, LOADED_ROLE, True)
        for st in self._by_group.get((sel.programme_code or "", sel.province or ""), []):
            child = self._structure_item(st)
            item.addChild(child)
            self._structure_items[st.id] = child

    # -- selection ----------------------------------------------------------------------

    def current_selection(self) -> Selection | None:
        item = self.tree.currentItem()
        sel = item.data(0, SELECTION_ROLE) if item is not None else None
        return sel if isinstance(sel, Selection) else None

    def _current_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if current is None:
            return
        sel = current.data(0, SELECTION_ROLE)
        if isinstance(sel, Selection):
            self._last = sel
            self.selection_changed.emit(sel)

    def _clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        sel = item.data(0, SELECTION_ROLE)
        if isinstance(sel, Selection):
            self.selection_clicked.emit(sel)

    def _find(self, match: Callable[[Selection], bool]) -> QTreeWidgetItem | None:
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            sel = item.data(0, SELECTION_ROLE)
            if isinstance(sel, Selection) and match(sel):
                return item
            stack.extend(item.child(i) for i in range(item.childCount()))
        return None

    def select(self, selection: Selection, *, emit: bool = True) -> bool:
        """Make ``selection`` current (opening its province if needed)."""
        if selection.kind == STRUCTURE:
            province_item = self._find(
                lambda s: (
                    s.kind == PROVINCE
                    and s.programme_code == selection.programme_code
                    and s.province == selection.province
                )
            )
            if province_item is not None:
                self._fill(province_item)
                programme_item = province_item.parent()
                if programme_item is not None:
                    programme_item.setExpanded(True)
                province_item.setExpanded(True)
            item = self._find(
                lambda s: s.kind == STRUCTURE and s.structure_id == selection.structure_id
            )
        else:
            item = self._find(
                lambda s: (
                    s.kind == selection.kind
                    and s.programme_code == selection.programme_code
                    and s.province == selection.province
                )
            )
        if item is None:
            return False
        self._last = selection
        self.tree.blockSignals(not emit)
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        self.tree.blockSignals(False)
        return True

    def select_structure(self, structure_id: int) -> bool:
        st = self.structure(structure_id)
        if st is None:
            return False
        return self.select(
            Selection(
                STRUCTURE,
                f"{st.code} · {st.name}",
                programme_code=st.programme_code,
                province=st.province,
                structure_id=st.id,
            )
        )

    # -- filter -------------------------------------------------------------------------

    def _first_found(self) -> QTreeWidgetItem | None:
        """The first item the filter found (the filter applied now if it was waiting)."""
        if not self.filter_edit.text().strip():
            return None
        if self._filter_timer.isActive():
            self._filter_timer.stop()
            self._apply_filter()
        item = self.tree.topLevelItem(0)
        if item is None or not isinstance(item.data(0, SELECTION_ROLE), Selection):
            return None  # "No structure found"
        return item

    def _open_first(self) -> None:
        item = self._first_found()
        if item is not None:
            self.tree.setCurrentItem(item)
            self._clicked(item)

    def _to_found(self) -> None:
        item = self._first_found()
        if item is not None:
            self.tree.setFocus()
            if self.tree.currentItem() is None:
                self.tree.setCurrentItem(item)

    def _apply_filter(self) -> None:
        """Programmes (in bold) and structures whose code, name, holder or town contain
        every word typed."""
        words = [w for w in self.filter_edit.text().casefold().split() if w]
        if not words:
            self._build()
            if self._last is not None:
                self.select(self._last, emit=False)
            return
        self.tree.blockSignals(True)
        self.tree.clear()
        self._structure_items = {}
        found = 0
        for code in sorted(self._programmes, key=lambda c: natural_key(self._programmes[c].name)):
            p = self._programmes[code]
            if all(w in f"{p.code} {p.name} {p.holder}".casefold() for w in words):
                item = QTreeWidgetItem([p.name])
                item.setData(0, SELECTION_ROLE, Selection(PROGRAMME, p.name, programme_code=code))
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                item.setToolTip(0, f"{p.code} · {programme_kind_label(p.kind)} · {p.holder}")
                self.tree.addTopLevelItem(item)
                found += 1
                if found >= MAX_FILTER_RESULTS:
                    break
        for st in self._structures:
            if found >= MAX_FILTER_RESULTS:
                break
            text = f"{st.code} {st.name} {'' if st.confidential else st.comune} {st.province} {st.programme_code}".casefold()
            if all(w in text for w in words):
                item = self._structure_item(st)
                self.tree.addTopLevelItem(item)
                self._structure_items[st.id] = item
                found += 1
                if found >= MAX_FILTER_RESULTS:
                    break
        if found == 0:
            empty = QTreeWidgetItem([_("No structure found")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.tree.addTopLevelItem(empty)
        self.tree.blockSignals(False)
