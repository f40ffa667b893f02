"""Workflow dialogs, one per file: register, place, transfer, exit, extend, reserve, correct.

Each dialog is built as ``XDialog(backend, parent=None, *, day, household_id=None,
placement_id=None, structure_id=None)``; ``exec()`` returns Accepted only when it changed
something. A refusal of the services is shown in the dialog itself, which stays open.
"""
