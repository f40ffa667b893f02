"""Starting the desktop: a database that cannot be used is explained, never a traceback;
the window opens on a fresh database and quits when asked (cold-start benchmark)."""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys

import pytest

from desktop import app as desktop_app


@pytest.fixture
def keep_excepthook():
    previous = sys.excepthook
    yield
    sys.excepthook = previous


def test_unusable_database_is_explained(qapp, monkeypatch, keep_excepthook):
    shown = []
    monkeypatch.setattr(desktop_app, "_show_fatal", shown.append)
    args = argparse.Namespace(database="postgresql://nobody@127.0.0.1:1/nothing")
    assert desktop_app.run_desktop(args) == 1
    [message] = shown
    assert "Traceback" not in message and message.strip()
    assert gc.isenabled()  # put off while starting, never left off


def test_window_opens_and_quits_when_shown(tmp_path):
    # In a child process, as a user starts it: once an application's exec() has
    # returned, Qt runs no further event loop in that process (it is "about to quit").
    path = tmp_path / "fresh.sqlite3"
    path.touch()  # an empty file: a missing one would be asked about first
    env = {**os.environ, "ACCOGLIENZA_QUIT_WHEN_SHOWN": "1", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--database", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert "Traceback" not in result.stderr
    assert path.stat().st_size > 0  # migrated
    # The window was painted first, its data afterwards (the benchmark reads these lines).
    moments = dict(
        line.split() for line in result.stdout.splitlines() if line.startswith(("shown ", "data "))
    )
    assert float(moments["shown"]) <= float(moments["data"])


def test_the_first_database_is_let_go_after_opening_another(tmp_path):
    # The start freezes its objects for the garbage collector (gc.freeze) once the first
    # database is open; after File > Open database that database must still be freed.
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    first.touch()  # empty files: missing ones would be asked about first
    second.touch()
    code = f"""
import argparse, gc, sys, weakref
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from desktop import app as desktop_app
from views.main_window import MainWindow
engines = []
real_open = desktop_app.open_backend
def recording_open(target, password=None):
    backend = real_open(target, password)
    engines.append(weakref.ref(backend.db.engine))
    return backend
desktop_app.open_backend = recording_open
def window():
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
def switch():
    win = window()
    if win.backend is None or win.runner.pending():
        QTimer.singleShot(50, switch)
        return
    win.set_backend(win.open_backend({str(second)!r}))
    QTimer.singleShot(200, check)
def check():
    win = window()
    win.runner.wait_all()
    gc.collect()
    print("engines", len(engines), "first freed", engines[0]() is None, flush=True)
    app.quit()
QTimer.singleShot(100, switch)
sys.exit(desktop_app.run_desktop(argparse.Namespace(database={str(first)!r})))
"""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-800:]
    assert "engines 2 first freed True" in result.stdout, (result.stdout, result.stderr[-800:])


def test_window_shows_without_loading_the_database_layer():
    # What the window needs before it is painted: no SQLAlchemy, Alembic or Babel, no
    # dialogs, no structure or people page (they come behind it, or when first used); nor
    # the message boxes or platformdirs, which would slow the start (docs/performance.md).
    code = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from desktop import settings
from desktop.app import app_icon
from desktop.print_actions import make_print_handler
from views.main_window import MainWindow
app.setWindowIcon(app_icon())
w = MainWindow(None, settings=settings, print_handler=make_print_handler())
w.show()
app.processEvents()
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic", "babel", "reportlab")
               or m.startswith(("views.dialogs.", "views.people_page", "views.structure_page", "models.backend", "models.rules"))
               or m in ("views.messages", "platformdirs"))
print(heavy)
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-800:]
    assert result.stdout.strip() == "[]"


def test_closing_the_window_while_the_database_opens(qapp, monkeypatch, keep_excepthook):
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from views.main_window import MainWindow

    disposed = []

    class SlowBackend:
        class db:  # noqa: N801 - stands for Database
            @staticmethod
            def dispose():
                disposed.append(True)

    def slow_open(_target, _password=None):
        time.sleep(0.5)  # in the worker: the window is on screen meanwhile
        return SlowBackend()

    def close_window():
        [window] = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        window.close()

    monkeypatch.setattr(desktop_app, "open_backend", slow_open)
    QTimer.singleShot(100, close_window)
    assert desktop_app.run_desktop(argparse.Namespace(database=None)) == 0
    assert disposed == [True]  # the database opened behind the window is let go
    assert gc.isenabled()


def test_unexpected_error_in_a_slot_becomes_a_message(keep_excepthook, recorded):
    desktop_app.install_excepthook()
    try:
        raise KeyError("Ğülşen")
    except KeyError:
        sys.excepthook(*sys.exc_info())
    [text] = recorded.texts("error")
    assert "KeyError" in text and "Ğülşen" not in text


@pytest.fixture
def recorded():
    from views import messages

    fake = messages.RecordingMessages()
    previous = messages.install(fake)
    yield fake
    messages.install(previous)


@pytest.mark.parametrize("answer", [False, True])
def test_a_missing_database_is_created_only_when_the_user_says_so(
    qapp, monkeypatch, keep_excepthook, tmp_path, answer
):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from views.main_window import MainWindow

    path = tmp_path / "nuovo.sqlite3"
    asked = []

    def ask(missing):
        asked.append(missing.path)
        return answer

    def close_window():
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible() and w.backend is not None:
                w.close()
                return
        QTimer.singleShot(50, close_window)

    monkeypatch.setattr(desktop_app, "_ask_to_create", ask)
    monkeypatch.setattr(desktop_app, "DAILY_BACKUP_DELAY_MS", 60_000)
    if answer:
        QTimer.singleShot(100, close_window)
    assert desktop_app.run_desktop(argparse.Namespace(database=str(path))) == 0
    assert asked == [str(path)]
    assert path.exists() is answer
