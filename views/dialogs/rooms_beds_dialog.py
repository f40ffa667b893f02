"""Stanze e posti letto: the rooms and beds of a structure. Add a room with its beds, add
a bed to a room, rename a room or a bed, retire a bed from a date.

A bed with history is never deleted: it is retired, and from that night it counts no
more (its stays before stay in the history). Each button is one change, saved at once
through the task runner; a refusal shows in red and changes nothing. "Done" closes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from models.errors import ValidationError
from models.i18n import N_, _
from models.results import BedInfo, Changes, RoomInfo

from ..widgets import fit_on_screen
from .dates import DateEdit
from .texts import date_text
from .workflow_dialog import WorkflowDialog, Write

ROOM, BED = "room", "bed"
ITEM_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class RoomsBedsDialog(WorkflowDialog):
    HELP_ANCHOR = "network"  # its section of the manual (views.help)
    TITLE, OK_TEXT = N_("Rooms and beds"), N_("Done")

    def build(self) -> None:
        self.rooms: list[RoomInfo] = []
        self._busy = False
        self.cancel_button.hide()  # each change is saved at once; "Done" closes
        self.tree = QTreeWidget()
        self.tree.setObjectName("roomsTree")
        self.tree.setAccessibleName(_("Rooms and beds of the structure"))
        self.tree.setHeaderLabels([_("Room / bed"), _("State")])
        self.tree.setColumnWidth(0, 260)
        self.tree.currentItemChanged.connect(lambda *_a: self._chosen())
        self.body.addWidget(self.tree, 1)

        add_box = QGroupBox(_("Add"))
        add = QFormLayout(add_box)
        self.room_name = QLineEdit()
        self.room_name.setObjectName("newRoomName")
        self.room_name.setAccessibleName(_("Name of the new room"))
        self.room_name.setPlaceholderText(_("For example Stanza 1"))
        self.room_beds = QSpinBox()
        self.room_beds.setObjectName("newRoomBeds")
        self.room_beds.setAccessibleName(_("Beds in the new room"))
        self.room_beds.setRange(1, 50)
        self.add_room_button = QPushButton(_("Add &room"))
        self.add_room_button.setObjectName("addRoomButton")
        self.add_room_button.clicked.connect(self.add_room)
        add.addRow(_("&New room:"), _row(self.room_name, self.room_beds, self.add_room_button))
        self.bed_label = QLineEdit()
        self.bed_label.setObjectName("newBedLabel")
        self.bed_label.setAccessibleName(_("Label of the new bed"))
        self.bed_label.setPlaceholderText(_("For example C"))
        self.add_bed_button = QPushButton(_("Add &bed to the chosen room"))
        self.add_bed_button.setObjectName("addBedButton")
        self.add_bed_button.clicked.connect(self.add_bed)
        add.addRow(_("New b&ed:"), _row(self.bed_label, self.add_bed_button))
        self.body.addWidget(add_box)

        change_box = QGroupBox(_("Change the room or bed chosen"))
        change = QFormLayout(change_box)
        self.new_name = QLineEdit()
        self.new_name.setObjectName("renameText")
        self.new_name.setAccessibleName(_("New name or label"))
        self.rename_button = QPushButton(_("Re&name"))
        self.rename_button.setObjectName("renameButton")
        self.rename_button.clicked.connect(self.rename)
        change.addRow(_("New na&me:"), _row(self.new_name, self.rename_button))
        self.retire_from = DateEdit(self.day)
        self.retire_from.setObjectName("retireFrom")
        self.retire_from.setAccessibleName(_("Retired from (first night out of use)"))
        self.retire_button = QPushButton(_("Re&tire the bed"))
        self.retire_button.setObjectName("retireButton")
        self.retire_button.clicked.connect(self.retire)
        change.addRow(_("Retire &from:"), _row(self.retire_from, self.retire_button))
        self.body.addWidget(change_box)
        fit_on_screen(self, 640, 600)
        self._chosen()
        self.reload()

    # -- reads --
    def reload(self) -> None:
        sid = self.structure_id
        if sid is None:
            self.show_error(_("Choose a structure in the navigation on the left."))
            for b in (self.add_room_button, self.add_bed_button):
                b.setEnabled(False)
            return
        backend = self.backend
        self.run(lambda: backend.structures.rooms(sid), self._show_rooms, key="rooms")

    def _show_rooms(self, rooms: list[RoomInfo]) -> None:
        chosen = self.chosen()
        self.rooms = rooms
        self.tree.clear()
        select: QTreeWidgetItem | None = None
        for room in rooms:
            item = QTreeWidgetItem([room.name, ""])
            item.setData(0, ITEM_ROLE, (ROOM, room))
            self.tree.addTopLevelItem(item)
            if chosen is not None and chosen[0] == ROOM and chosen[1].id == room.id:
                select = item
            for bed in room.beds:
                state = (
                    _("retired from {date}").format(date=date_text(bed.retired_on))
                    if bed.retired_on is not None
                    else _("in service")
                )
                child = QTreeWidgetItem([bed.label, state])
                child.setData(0, ITEM_ROLE, (BED, bed))
                item.addChild(child)
                if chosen is not None and chosen[0] == BED and chosen[1].id == bed.id:
                    select = child
        self.tree.expandAll()
        if select is not None:
            self.tree.setCurrentItem(select)
        self._chosen()

    def chosen(self) -> tuple[str, Any] | None:
        item = self.tree.currentItem()
        data = item.data(0, ITEM_ROLE) if item is not None else None
        return data if isinstance(data, tuple) else None

    def chosen_room(self) -> RoomInfo | None:
        chosen = self.chosen()
        if chosen is None:
            return None
        if chosen[0] == ROOM:
            room: RoomInfo = chosen[1]
            return room
        bed: BedInfo = chosen[1]
        return next((r for r in self.rooms if r.id == bed.room_id), None)

    def _chosen(self) -> None:
        chosen = self.chosen()
        self.rename_button.setEnabled(chosen is not None and not self._busy)
        self.add_bed_button.setEnabled(chosen is not None and not self._busy)
        self.retire_button.setEnabled(
            chosen is not None
            and chosen[0] == BED
            and chosen[1].retired_on is None
            and not self._busy
        )
        self.add_room_button.setEnabled(self.structure_id is not None and not self._busy)
        if chosen is not None:
            self.new_name.setText(chosen[1].name if chosen[0] == ROOM else chosen[1].label)

    # -- writes, one per button --
    def _write(self, call: Any, message: str) -> None:
        if self._busy:
            return
        self.clear_error()
        self._busy = True
        self._chosen()

        def done(_result: object) -> None:
            self._busy = False
            sid = self.structure_id
            assert sid is not None
            self.changes = self.changes | Changes(
                structures=frozenset({sid}), network=True, message=message
            )
            self.reload()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._chosen()
            self.show_failure(exc)
            self.reload()  # a stale copy shows as it is now

        self.context.run(self, call, on_success=done, on_failure=failed)

    def add_room(self) -> None:
        sid, name, beds = self.structure_id, self.room_name.text().strip(), self.room_beds.value()
        if sid is None:
            return
        if not name:
            self.room_name.setFocus()
            self.show_error(_("A room needs a name."))
            return
        backend = self.backend
        self._write(
            lambda: backend.structures.add_room(sid, name, beds),
            _("Room added: {name}").format(name=name),
        )
        self.room_name.clear()

    def add_bed(self) -> None:
        room, label = self.chosen_room(), self.bed_label.text().strip()
        if room is None:
            self.show_error(_("Choose a room first."))
            return
        if not label:
            self.bed_label.setFocus()
            self.show_error(_("Give each bed of the room a different label."))
            return
        backend = self.backend
        self._write(
            lambda: backend.structures.add_bed(room.id, label),
            _("Bed added: {room} / {bed}").format(room=room.name, bed=label),
        )
        self.bed_label.clear()

    def rename(self) -> None:
        chosen, text = self.chosen(), self.new_name.text().strip()
        if chosen is None:
            return
        backend = self.backend
        kind, record = chosen
        if kind == ROOM:
            self._write(
                lambda: backend.structures.rename_room(record.id, record.version, text),
                _("Room renamed: {name}").format(name=text),
            )
        else:
            self._write(
                lambda: backend.structures.rename_bed(record.id, record.version, text),
                _("Bed renamed: {room} / {bed}").format(room=record.room_name, bed=text),
            )

    def retire(self) -> None:
        chosen = self.chosen()
        if chosen is None or chosen[0] != BED:
            return
        bed: BedInfo = chosen[1]
        try:
            problem = self.retire_from.problem()
            if problem:
                raise ValidationError(problem)
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        day, backend = self.retire_from.value(), self.backend
        self._write(
            lambda: backend.structures.retire_bed(bed.id, bed.version, day),
            _("Bed {room} / {bed} retired from {date}").format(
                room=bed.room_name, bed=bed.label, date=date_text(day)
            ),
        )

    # -- closing --
    def apply(self) -> Write:  # pragma: no cover - "Done" does not write
        raise NotImplementedError

    def accept(self) -> None:
        if self._busy:
            return
        if self.changes == Changes():
            self.done(self.DialogCode.Rejected)
            return
        self.done(self.DialogCode.Accepted)

    def reject(self) -> None:
        self.accept()  # changes already saved are handed to the window either way


def _row(*widgets: QWidget) -> QWidget:
    host = QWidget()
    lay = QHBoxLayout(host)
    lay.setContentsMargins(0, 0, 0, 0)
    for i, w in enumerate(widgets):
        lay.addWidget(w, 1 if i == 0 else 0)
    return host
