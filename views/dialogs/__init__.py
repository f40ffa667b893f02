"""Workflow dialogs, one per file: register, place, transfer, exit, extend, reserve, correct;
and the network's: programme, structure, move, close, rooms and beds.

Each dialog is built as ``XDialog(context, parent=None, *, household_id=None,
placement_id=None, structure_id=None)`` from a ``context.DialogContext`` (backend, task
runner, date, selection). It reads and writes only through the runner. ``exec()`` returns
Accepted only when it changed something, and then ``dialog.changes`` says what
(``models.results.Changes``). A refusal is shown in the dialog itself, which stays open.

The pieces they share are in modules of their own: ``workflow_dialog`` (the frame and its
write), ``placement_workflow_dialog``, ``household_picker``, ``members_table``,
``structure_chooser``, ``destination``, ``override_reason``, ``dates``, ``texts``.
"""

from __future__ import annotations

import importlib

# action key -> (module in this package, class name). Dialogs are imported when first
# opened: the main window shows without loading them (nor the services they use).
WORKFLOWS: dict[str, tuple[str, str]] = {
    "register": ("register_household_dialog", "RegisterHouseholdDialog"),
    "placement": ("placement_dialog", "PlacementDialog"),
    "transfer": ("transfer_dialog", "TransferDialog"),
    "exit": ("exit_dialog", "ExitDialog"),
    "extension": ("extension_dialog", "ExtensionDialog"),
    "reservation": ("reservation_dialog", "ReservationDialog"),
    "correction": ("correction_dialog", "CorrectionDialog"),
    "history": ("history_dialog", "HistoryDialog"),
    # File › Anonymise old records (administrators)
    "anonymise": ("anonymise_dialog", "AnonymiseDialog"),
    # The network (Rete): programmes, structures, rooms and beds.
    "new_programme": ("programme_dialog", "ProgrammeDialog"),
    "edit_programme": ("programme_dialog", "EditProgrammeDialog"),
    "new_structure": ("structure_dialog", "StructureDialog"),
    "edit_structure": ("structure_dialog", "EditStructureDialog"),
    "move_structure": ("move_structure_dialog", "MoveStructureDialog"),
    "close": ("close_dialog", "CloseDialog"),
    "rooms": ("rooms_beds_dialog", "RoomsBedsDialog"),
}

# The workflows that change the network and work on the structure selected.
STRUCTURE_WORKFLOWS = frozenset({"edit_structure", "move_structure", "close", "rooms"})


def workflow_class(key: str) -> type:
    """The dialog class of a workflow ("placement", "exit"...), imported now."""
    module_name, class_name = WORKFLOWS[key]
    cls: type = getattr(importlib.import_module(f"{__name__}.{module_name}"), class_name)
    return cls
