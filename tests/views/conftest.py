"""Fixtures for widget tests: recorded message boxes and synchronous background tasks.

Every view test gets a ``RecordingMessages`` instead of real message boxes (a real one
would block the test) and runs the task runner synchronously, so that what a task
loads is on screen when the action that started it returns.

Every view test also fails when code of ``views/`` sends a statement to the database on
the UI thread outside the task runner: the window must never wait on the database.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from views import messages, tasks
from views.tasks import TaskRunner

VIEWS = str(Path(tasks.__file__).resolve().parent)


@pytest.fixture(autouse=True)
def recorded_messages() -> Iterator[messages.RecordingMessages]:
    fake = messages.RecordingMessages()
    previous = messages.install(fake)
    yield fake
    messages.install(previous)


@pytest.fixture(autouse=True)
def synchronous_tasks() -> Iterator[None]:
    previous = TaskRunner.synchronous
    TaskRunner.synchronous = True
    yield
    TaskRunner.synchronous = previous


def _view_frame() -> str | None:
    """The innermost frame of ``views/`` on the current stack, as file:line."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename.startswith(VIEWS):
            return (
                f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno} ({frame.f_code.co_name})"
            )
        frame = frame.f_back
    return None


@pytest.fixture(autouse=True)
def database_only_in_tasks() -> Iterator[list[str]]:
    """Records every statement a view sends on the UI thread outside a task; fails the test."""
    found: list[str] = []

    def check(*_args: object) -> None:
        if threading.current_thread() is threading.main_thread() and not tasks.inside_task():
            where = _view_frame()
            if where is not None:
                found.append(where)

    event.listen(Engine, "before_cursor_execute", check)
    yield found
    event.remove(Engine, "before_cursor_execute", check)
    assert not found, "database reached from a view outside the task runner: " + ", ".join(
        sorted(set(found))
    )
