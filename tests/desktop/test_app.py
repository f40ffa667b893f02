"""Starting the desktop: a database that cannot be used is explained, never a traceback;
the window opens on a fresh database and quits when asked (cold-start benchmark)."""

from __future__ import annotations

import argparse
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


def test_window_opens_and_quits_when_shown(qapp, tmp_path, monkeypatch, keep_excepthook):
    monkeypatch.setenv("ACCOGLIENZA_QUIT_WHEN_SHOWN", "1")
    path = tmp_path / "fresh.sqlite3"
    args = argparse.Namespace(database=str(path))
    assert desktop_app.run_desktop(args) == 0
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
