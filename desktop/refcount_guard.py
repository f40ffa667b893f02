"""Workaround for a reference-counting bug of PySide6 6.12.0 on Python 3.10 and 3.11.

With that binding, every call of a Qt function that returns nothing (``setText``,
``processEvents``, a ``paintEvent`` override...) takes one reference away from ``None``
without ever having given it, and every signal emitted from a worker thread does the same
to ``True``. After a few thousand calls the count reaches zero and the interpreter aborts
("Fatal Python error: none_dealloc"): the application would die after minutes of use.
Python 3.12 and later are immune (``None`` and ``True`` are immortal there), and so are
bindings without the bug: ``install`` then does nothing.

The guard keeps the counts far from zero: it holds extra references in a list and tops
them up once a second (8 bytes per lost reference). Remove it when the project runs on
Python 3.12+ only or on a fixed PySide6.
"""

from __future__ import annotations

import sys
from typing import Any

LOW_WATER = 300_000
TOP_UP_TO = 600_000
CHECK_MS = 1_000

_ballast: list[Any] = []
_timer: Any = None
_pinned = False


def _pin_ballast() -> None:
    """The list must never be freed, not even when the interpreter shuts down: freeing
    it would give back references that Qt already took, and abort the process."""
    global _pinned
    if not _pinned:
        import ctypes

        ctypes.pythonapi.Py_IncRef(ctypes.py_object(_ballast))
        _pinned = True


_leaks: bool | None = None


def binding_leaks() -> bool:
    """True when Qt calls returning nothing lose references to ``None`` (probed once)."""
    global _leaks
    if _leaks is None:
        if sys.version_info >= (3, 12):
            _leaks = False
        else:
            from PySide6.QtCore import QObject

            probe = QObject()
            before = sys.getrefcount(None)
            for _i in range(50):
                probe.setObjectName("probe")
            _leaks = sys.getrefcount(None) < before - 25
    return _leaks


def keep_alive() -> None:
    """Top up now if the binding needs it (tests call this before each test)."""
    if binding_leaks():
        top_up()


def top_up() -> None:
    """Give ``None``, ``True`` and ``False`` enough references to survive until the next check."""
    _pin_ballast()
    for obj in (None, True, False):
        count = sys.getrefcount(obj)
        if count < LOW_WATER:
            _ballast.extend([obj] * (TOP_UP_TO - count))


def install(app: Any = None) -> bool:
    """Start the guard when the binding needs it; returns whether it is active."""
    global _timer
    if not binding_leaks():
        return False
    top_up()
    if app is not None and _timer is None:
        from PySide6.QtCore import QTimer

        _timer = QTimer(app)
        _timer.setInterval(CHECK_MS)
        _timer.timeout.connect(top_up)
        _timer.start()
    return True
