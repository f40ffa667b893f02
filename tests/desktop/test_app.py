"""Starting the desktop: a database that cannot be used is explained, never a traceback;
the window opens on a fresh database and quits when asked (cold-start benchmark)."""

from __future__ import annotations

import argparse
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


def test_window_opens_and_quits_when_shown(tmp_path):
    # In a child process, as a user starts it: once an application's exec() has
    # returned, Qt runs no further event loop in that process (it is "about to quit").
    path = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "ACCOGLIENZA_QUIT_WHEN_SHOWN": "1", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "desktop", "--database", str(path)],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-500:]
    assert "Traceback" not in result.stderr
    assert path.exists()  # created and migrated


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
