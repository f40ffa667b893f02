"""Open every window and dialog on a laptop screen and list what does not fit or is cut.

Run in its own process, because the screen is chosen when Qt starts:

    QT_SCALE_FACTOR=1.25 python -m tests.views.screen_check it

A 1366x768 screen (Qt's offscreen platform, told its size by a configuration file), at
the scaling of ``QT_SCALE_FACTOR``: at 125 % the windows see the 1093x614 a Windows laptop
leaves them. Each window opens as the application opens it (its size hint, never more than
the screen, dialogs through ``fit_on_screen``); then its texts are checked as
tests/views/clipping.py does: labels, buttons, group titles, tabs, tree items and
column titles. Prints one JSON object: window -> problems (empty when all is well).
The language is ``it``, ``en`` or ``pseudo`` (every string 40 % longer, accented).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

SCREEN = (1366, 768)  # physical pixels
# Room for a title bar and the taskbar, as tests/views/test_window_sizes.py leaves.
TITLE_AND_TASKBAR = 40


def platform_for(screen: tuple[int, int], folder: Path) -> str:
    """The QT_QPA_PLATFORM value for an offscreen screen of ``screen`` pixels."""
    config = folder / "screen.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "laptop",
                        "x": 0,
                        "y": 0,
                        "width": screen[0],
                        "height": screen[1],
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    return f"offscreen:configfile={config}"


def main(language: str) -> dict[str, list[str]]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QDialog, QScrollArea

    app = QApplication.instance() or QApplication([])
    from desktop.qt_i18n import install_translators
    from models import i18n, schema
    from models.backend import Backend
    from models.database import Database
    from tests.views.all_windows import all_windows
    from tests.views.clipping import clipped
    from views import messages
    from views.tasks import TaskRunner

    if language == "pseudo":
        i18n.install_pseudo()
        install_translators(app, "en")
    else:
        i18n.set_language(language)
        install_translators(app, language)
    messages.install(messages.RecordingMessages())
    TaskRunner.synchronous = True
    folder = Path(tempfile.mkdtemp(prefix="screen-check-"))
    db = Database(f"sqlite:///{folder / 'windows.sqlite3'}")
    schema.upgrade(db)
    available = app.primaryScreen().availableGeometry()
    problems: dict[str, list[str]] = {}
    try:
        for window in all_windows(Backend(db, actor="test")):
            name = type(window).__name__
            found = []
            if window.testAttribute(Qt.WidgetAttribute.WA_Resized):
                pass  # sized by its constructor (fit_on_screen): shown at that size
            elif isinstance(window, QDialog):
                hint = window.sizeHint().expandedTo(window.minimumSizeHint())
                window.resize(
                    min(hint.width(), available.width()), min(hint.height(), available.height())
                )
            else:
                window.resize(available.width(), available.height() - TITLE_AND_TASKBAR)
            window.show()
            for _ in range(3):
                app.processEvents()
            smallest = window.minimumSizeHint().expandedTo(window.minimumSize())
            if smallest.width() > available.width() or (
                smallest.height() > available.height() - TITLE_AND_TASKBAR
            ):
                found.append(
                    f"needs at least {smallest.width()}x{smallest.height()}, the screen "
                    f"leaves {available.width()}x{available.height() - TITLE_AND_TASKBAR}"
                )
            if window.width() > available.width() or window.height() > available.height():
                found.append(f"opens at {window.width()}x{window.height()}")
            found += clipped(window)
            # A page wider than the main window scrolls sideways: tiles and tables out of
            # sight. (A dialog may scroll a wide form on purpose.)
            areas = [] if isinstance(window, QDialog) else window.findChildren(QScrollArea)
            for area in areas:
                if area.isVisible() and area.horizontalScrollBar().isVisible():
                    found.append(f"{area.objectName() or 'a scroll area'} scrolls sideways")
            if found:
                problems[name] = found
            if isinstance(window, QDialog):
                window.reject()
            window.close()
    finally:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    return problems


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), ensure_ascii=False))
    sys.stdout.flush()
    os._exit(0)  # no teardown of the windows' Qt objects at exit
