"""Regenerate the screenshots shown in the README (docs/screenshots/*.png).

    .venv/bin/python docs/screenshots.py [--scale coop] [--language it] [--out docs/screenshots]

Builds the demo network (fictitious people) in a temporary SQLite file, opens the main
window offscreen at 1280x800 and grabs each screen: the dashboard, a programme, a
structure with its beds, a confidential structure on a past date, the people page, the
workflow dialogs and the print preview. The screens the manual shows are also written,
smaller, to resources/manual/images/<language>/ (``--manual-out``), where the help window
and the installer find them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = (1280, 800)
MANUAL_WIDTH = 720  # the manual's images: as wide as the help window's text
# Screenshot -> the name the manual (resources/manual/<language>.md) uses for it.
MANUAL_IMAGES = {
    "01-dashboard": "dashboard",
    "03-structure": "structure",
    "05-people": "people",
    "06-planning-board": "board",
    "10-register-household": "register",
    "11-placement": "placement",
    "12-transfer": "transfer",
    "13-exit": "exit",
    "14-extension": "extension",
    "15-reservation": "reservation",
    "16-correction": "correction",
    "19-print-choice": "print",
}


def settle(app: Any, rounds: int = 10) -> None:
    for _i in range(rounds):
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="coop")
    parser.add_argument("--language", default="it")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--manual-out", type=Path, default=ROOT / "resources" / "manual" / "images")
    args = parser.parse_args(argv)
    manual_out = args.manual_out / args.language
    manual_out.mkdir(parents=True, exist_ok=True)

    from models import i18n

    i18n.set_language(args.language)
    from PySide6.QtWidgets import QApplication, QDialog, QWidget

    app = QApplication.instance() or QApplication([])
    from desktop.app import app_icon
    from desktop.qt_i18n import install_translators

    install_translators(app, args.language)
    app.setWindowIcon(app_icon())

    from models import schema
    from models.backend import Backend
    from models.database import Database
    from views.main_window import MainWindow, MemorySettings
    from views.navigation import PROGRAMME, Selection
    from views.tasks import TaskRunner

    TaskRunner.synchronous = True  # every screen is complete when grabbed
    today = args.today or dt.date.today()
    tmp = Path(tempfile.mkdtemp()) / "screens.sqlite3"
    db = Database(f"sqlite:///{tmp}")
    schema.upgrade(db)
    try:
        from models import demo

        demo.generate(db, scale=args.scale, seed=1, today=today)
    except ImportError:
        from models.backend import Backend
        from tests.factories import scenario

        scenario(Backend(db, actor="screenshots"))
    backend = Backend(db, actor="screenshots")
    args.out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def grab(widget: QWidget, name: str) -> None:
        settle(app)
        path = args.out / f"{name}.png"
        image = widget.grab()
        image.save(str(path))
        shots.append(path)
        manual_name = MANUAL_IMAGES.get(name)
        if manual_name is not None:
            from PySide6.QtCore import Qt
            from PySide6.QtGui import QImage

            small = image.toImage()
            if small.width() > MANUAL_WIDTH:
                small = small.scaledToWidth(
                    MANUAL_WIDTH, Qt.TransformationMode.SmoothTransformation
                )
            # 256 colours: a screen of text and flat colours stays legible, and small.
            small = small.convertToFormat(QImage.Format.Format_Indexed8)
            target = manual_out / f"{manual_name}.png"
            small.save(str(target))
            shots.append(target)

    window = MainWindow(backend, settings=MemorySettings(), today=today)
    window.resize(*SIZE)
    window.show()
    settle(app)
    grab(window, "01-dashboard")

    programmes = backend.directory.programmes()
    sai = next((p for p in programmes if p.kind == "sai"), programmes[0])
    window.navigation.select(Selection(PROGRAMME, sai.name, programme_code=sai.code))
    grab(window, "02-dashboard-programme")

    # the structure with most people today
    rows = backend.occupancy.at(today, group_by="structure")
    busiest = max(rows, key=lambda r: (r.occupied, -r.free))
    window.show_structure(busiest.structure_id)
    window.structure_page.beds_table.selectRow(0)
    grab(window, "03-structure")

    confidential = [s for s in backend.directory.structures() if s.confidential]
    if confidential:
        # a past date on which somebody lived in a protected apartment
        past = [today - dt.timedelta(days=d) for d in range(30, 3650, 30)]
        where = next(
            (
                (st, day)
                for day in past
                for st in confidential
                if backend.presence.who_is_where(day, structure_id=st.id)
            ),
            (confidential[0], past[11]),
        )
        window.show_structure(where[0].id)
        window.set_day(where[1])
        grab(window, "04-structure-confidential-history")
        window.set_day(today)

    window.show_people()
    page = window.people_page
    search = getattr(page, "search", None)
    people = backend.presence.who_is_where(today, structure_id=busiest.structure_id)
    if search is not None and people:
        search.setText(people[0].last_name[:4])
        run = getattr(page, "run_search", None)
        if callable(run):
            run()
        settle(app)
        table = getattr(page, "table", None) or getattr(page, "view", None)
        if table is not None and hasattr(table, "selectRow"):
            table.selectRow(0)
            chosen = getattr(page, "_person_chosen", None)
            if callable(chosen):
                chosen(0)
    grab(window, "05-people")

    # the planning board of an SAI programme, four weeks
    window.navigation.select(Selection(PROGRAMME, sai.name, programme_code=sai.code))
    window.show_board()
    settle(app)
    grab(window, "06-planning-board")

    # the workflow dialogs, as they open from the main window
    window.show_structure(busiest.structure_id)
    placement_id = people[0].placement_id if people else None
    household_id = people[0].household_id if people else None

    from views.dialogs.context import DialogContext

    def dialog_shot(key: str, name: str, **ids: Any) -> None:
        cls = window.dialog_class(key)
        if cls is None:
            return
        context = DialogContext(backend, window.runner, today, window.selection)
        try:
            dlg = cls(context, window, **ids)
        except Exception as exc:  # noqa: BLE001 - a screenshot script reports and goes on
            print(f"{key}: cannot open ({type(exc).__name__}: {exc})", file=sys.stderr)
            return
        dlg.show()
        window.runner.wait_all()  # the dialog reads what it shows in the background
        settle(app)
        grab(dlg, name)
        dlg.reject()

    dialog_shot("register", "10-register-household")
    held = backend.sheets.reservations()
    if held:  # a household expected in a structure: the dialog proposes its beds
        dialog_shot(
            "placement",
            "11-placement",
            household_id=held[0].household_id,
            structure_id=held[0].structure_id,
        )
    else:
        dialog_shot("placement", "11-placement", structure_id=busiest.structure_id)
    dialog_shot("transfer", "12-transfer", placement_id=placement_id, household_id=household_id)
    dialog_shot("exit", "13-exit", placement_id=placement_id, household_id=household_id)
    dialog_shot("extension", "14-extension", placement_id=placement_id, household_id=household_id)
    dialog_shot("reservation", "15-reservation", structure_id=busiest.structure_id)
    dialog_shot("correction", "16-correction", placement_id=placement_id, household_id=household_id)

    from views.dialogs.print_choice_dialog import PrintChoiceDialog

    chooser = PrintChoiceDialog(
        window.selection.title(), today, structure=True, programme=True, parent=window
    )
    chooser.show()
    grab(chooser, "19-print-choice")
    chooser.reject()

    try:
        from desktop.printing.preview import occupancy_sheet_preview

        preview: QDialog = occupancy_sheet_preview(
            db, busiest.structure_id, today, runner=window.runner, parent=window
        )
        preview.resize(*SIZE)
        preview.show()
        settle(app, 30)
        grab(preview, "20-print-preview")
        preview.reject()
    except ImportError:
        pass

    window.close()
    db.dispose()
    for path in shots:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
