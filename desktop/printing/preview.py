"""The desktop's print actions: a preview dialog fed by a closure over the database.

``views`` never sees the database; these functions build the ``generate`` closures
(pseudonymised flag -> PDF bytes) and open ``PrintPreviewDialog`` with the right default
(pseudonymised for anti-trafficking programmes).

The structure's code and the programme's kind name the file and decide that default; a
caller that knows them (the main window) passes them, and nothing is read before the
preview opens. Otherwise they are read here, on the calling thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from models.database import Database
from models.directory import Directory
from models.i18n import _
from models.sheets import Sheets
from views.dialogs.print_preview_dialog import PrintPreviewDialog
from views.settings_store import SettingsStore
from views.tasks import TaskRunner

from .common import pseudonymise_by_default
from .occupancy_sheet import occupancy_sheet
from .occupancy_summary import occupancy_summary
from .planning_board import planning_board
from .presence_register import presence_register

Progress = Callable[[int, int], None]


def file_stem(document: str) -> str:
    """The start of a proposed PDF name in the interface's language (foglio-occupazione…)."""
    if document == "sheet":
        # Translators: the start of a file name: no spaces, no accents.
        return _("occupancy-sheet")
    if document == "summary":
        # Translators: the start of a file name: no spaces, no accents.
        return _("occupancy-summary")
    if document == "board":
        # Translators: the start of a file name: no spaces, no accents.
        return _("planning-board")
    # Translators: the start of a file name: no spaces, no accents.
    return _("presence-register")


def _programme_kind(db: Database, code: str | None) -> str | None:
    if not code:
        return None
    return next((p.kind for p in Directory(db).programmes() if p.code == code), None)


def occupancy_sheet_preview(
    db: Database,
    structure_id: int,
    day: dt.date,
    *,
    structure_code: str | None = None,
    programme_kind: str | None = None,
    site_name: str | None = None,
    runner: TaskRunner | None = None,
    parent: QWidget | None = None,
    settings: SettingsStore | None = None,
) -> PrintPreviewDialog:
    if structure_code is None:
        sheet = Sheets(db).sheet(structure_id, day)
        structure_code, programme_kind = sheet.code, sheet.programme_kind

    def generate(pseudonymised: bool) -> bytes:
        return occupancy_sheet(
            db, structure_id, day, pseudonymised=pseudonymised, site_name=site_name
        )

    return PrintPreviewDialog(
        generate,
        title=_("Occupancy sheet"),
        pseudonymised=pseudonymise_by_default(programme_kind),
        file_name=f"{file_stem('sheet')}-{structure_code}-{day.isoformat()}.pdf",
        runner=runner,
        parent=parent,
        settings=settings,
    )


def occupancy_summary_preview(
    db: Database,
    day: dt.date,
    *,
    province: str | None = None,
    programme_code: str | None = None,
    programme_kind: str | None = None,
    site_name: str | None = None,
    runner: TaskRunner | None = None,
    parent: QWidget | None = None,
    settings: SettingsStore | None = None,
) -> PrintPreviewDialog:
    if programme_kind is None:
        programme_kind = _programme_kind(db, programme_code)

    def generate(pseudonymised: bool, progress: Progress | None = None) -> bytes:
        return occupancy_summary(
            db,
            day,
            province=province,
            programme_code=programme_code,
            pseudonymised=pseudonymised,
            progress=progress,
            site_name=site_name,
        )

    scope = programme_code or province or _("network")
    return PrintPreviewDialog(
        generate,
        title=_("Occupancy summary"),
        pseudonymised=pseudonymise_by_default(programme_kind),
        file_name=f"{file_stem('summary')}-{scope}-{day.isoformat()}.pdf",
        runner=runner,
        parent=parent,
        settings=settings,
    )


def presence_register_preview(
    db: Database,
    year: int,
    month: int,
    *,
    structure_id: int | None = None,
    programme_code: str | None = None,
    structure_code: str | None = None,
    programme_kind: str | None = None,
    site_name: str | None = None,
    runner: TaskRunner | None = None,
    parent: QWidget | None = None,
    settings: SettingsStore | None = None,
) -> PrintPreviewDialog:
    if structure_id is not None and structure_code is None:
        sheet = Sheets(db).sheet(structure_id, dt.date(year, month, 1))
        structure_code, programme_kind = sheet.code, sheet.programme_kind
    elif structure_id is None and programme_kind is None:
        programme_kind = _programme_kind(db, programme_code)
    scope = structure_code if structure_id is not None else str(programme_code)

    def generate(pseudonymised: bool, progress: Progress | None = None) -> bytes:
        return presence_register(
            db,
            year,
            month,
            structure_id=structure_id,
            programme_code=programme_code,
            pseudonymised=pseudonymised,
            progress=progress,
            site_name=site_name,
        )

    return PrintPreviewDialog(
        generate,
        title=_("Presence register"),
        pseudonymised=pseudonymise_by_default(programme_kind),
        file_name=f"{file_stem('register')}-{scope}-{year:04d}-{month:02d}.pdf",
        runner=runner,
        parent=parent,
        settings=settings,
    )


def planning_board_preview(
    db: Database,
    start: dt.date,
    *,
    province: str | None = None,
    programme_code: str | None = None,
    structure_id: int | None = None,
    scope_code: str | None = None,
    programme_kind: str | None = None,
    site_name: str | None = None,
    runner: TaskRunner | None = None,
    parent: QWidget | None = None,
    settings: SettingsStore | None = None,
) -> PrintPreviewDialog:
    """The planning board of the selection, four weeks from ``start``, a structure a page."""

    def generate(pseudonymised: bool) -> bytes:
        return planning_board(
            db,
            start,
            province=province,
            programme_code=programme_code,
            structure_id=structure_id,
            pseudonymised=pseudonymised,
            site_name=site_name,
        )

    scope = scope_code or programme_code or province or _("network")
    return PrintPreviewDialog(
        generate,
        title=_("Planning board"),
        pseudonymised=pseudonymise_by_default(programme_kind),
        file_name=f"{file_stem('board')}-{scope}-{start.isoformat()}.pdf",
        runner=runner,
        parent=parent,
        settings=settings,
    )
