"""What every workflow dialog is built from: the backend, the task runner, the date and
the selection of the window that opens it.

    context = DialogContext(backend, runner, day, selection)
    dialog = PlacementDialog(context, parent, household_id=12)

The window (or page) makes one context per opening. A dialog and the widgets inside it
reach the database only through ``context.run``, which hands the work to the runner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import shiboken6
from PySide6.QtCore import QObject

from views.selection import Selection

if TYPE_CHECKING:
    from models.backend import Backend
    from views.tasks import TaskRunner

T = TypeVar("T")


@dataclass(frozen=True)
class DialogContext:
    """The backend and runner of the window, its date (the dialog's default date) and what
    is selected in its navigation (the network when the opener has no selection)."""

    backend: Backend
    runner: TaskRunner
    day: dt.date
    selection: Selection = field(default_factory=Selection)

    def run(
        self,
        owner: QObject,
        fn: Callable[[], T],
        *,
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
        key: str | None = None,
    ) -> None:
        """``runner.run`` on behalf of ``owner``: ``fn`` runs off the UI thread and must not
        touch a widget. A ``key`` belongs to ``owner`` alone (two widgets may use the same
        name), and nothing is delivered once ``owner`` has been deleted."""

        def deliver(result: T) -> None:
            if shiboken6.isValid(owner):
                on_success(result)

        def fail(exc: BaseException) -> None:
            if shiboken6.isValid(owner) and on_failure is not None:
                on_failure(exc)

        self.runner.run(
            fn,
            on_success=deliver,
            on_failure=fail if on_failure is not None else None,
            key=f"{key}@{id(owner)}" if key is not None else None,
        )
