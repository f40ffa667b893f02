"""Every window and dialog fits an office laptop: 1366×768 at 100 % scaling, and the
1093×614 it leaves at 125 %, title bar and taskbar included, in Italian and English.

The smallest each can be (its layout's minimum) fits the 125 % screen; the size it
opens at never goes past the screen it opens on.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from desktop.qt_i18n import install_translators
from models import i18n
from models.backend import Backend
from models.database import Database
from tests.views.all_windows import all_windows

D = dt.date
# 1093×614 less a title bar and frame (about 40 px) and the width of the frames.
LARGEST_MINIMUM = (1080, 570)


@pytest.fixture(params=["it", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    i18n.set_language(request.param)
    install_translators(qapp, request.param)
    yield request.param
    i18n.set_language("it")
    install_translators(qapp, "it")


@pytest.fixture
def backend(sqlite_template: Path, tmp_path: Path) -> Iterator[Backend]:
    """On SQLite: a window's size does not depend on the engine."""
    path = tmp_path / "sizes.sqlite3"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield Backend(db, actor="test")
    db.dispose()


def test_every_window_and_dialog_fits_a_laptop_screen(qtbot, backend, language) -> None:  # type: ignore[no-untyped-def]
    for window in all_windows(backend):
        qtbot.addWidget(window)
        name = type(window).__name__
        smallest = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert smallest.width() <= LARGEST_MINIMUM[0], (name, language, smallest)
        assert smallest.height() <= LARGEST_MINIMUM[1], (name, language, smallest)
        window.show()
        # Never bigger than the screen, unless the screen is smaller than its minimum
        # (the test's virtual screen is 800 pixels wide).
        screen = window.screen().availableGeometry()
        smallest = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert window.width() <= max(screen.width(), smallest.width()), (name, window.size())
        assert window.height() <= max(screen.height(), smallest.height()), (name, window.size())
        assert smallest.width() <= LARGEST_MINIMUM[0], (name, language, smallest)
        assert smallest.height() <= LARGEST_MINIMUM[1], (name, language, smallest)
        if isinstance(window, QDialog):
            window.reject()
        window.close()
