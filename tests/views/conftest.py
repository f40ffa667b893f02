"""Fixtures for widget tests: recorded message boxes and synchronous background tasks.

Every view test gets a ``RecordingMessages`` instead of real message boxes (a real one
would block the test) and runs the task runner synchronously, so that what a task
loads is on screen when the action that started it returns.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from views import messages
from views.tasks import TaskRunner


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
