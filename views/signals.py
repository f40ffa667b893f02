"""``emit(signal, *args)``: emit a Qt signal from Python without losing a reference to True.

PySide6 6.12.0 on CPython 3.11 returns the ``bool`` result of ``SignalInstance.emit`` without
counting the reference it hands back, so every ``signal.emit(...)`` made from Python takes
one reference away from ``True``. After a few hundred emits ``True`` is freed and the
interpreter aborts ("Fatal Python error: bool_dealloc"). PySide6 6.11 does not do it.

``emit`` measures the fault once (a few emits of a private signal) and gives the
reference back when it is there; on a sound PySide6 it is a plain ``emit``.

(Wrapping ``SignalInstance.emit`` itself for the whole application does not work:
``a.connect(b.emit)`` then fails, because PySide6 recognises only its own ``emit``.)
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_steals: bool | None = None


class _Probe(QObject):
    ping = Signal()


def emit_steals_reference() -> bool:
    """True when this PySide6 drops a reference to the result of ``emit``."""
    global _steals
    if _steals is None:
        probe = _Probe()
        rounds = 16
        before = sys.getrefcount(True)
        for _i in range(rounds):
            probe.ping.emit()
        after = sys.getrefcount(True)
        _steals = before - after >= rounds // 2
        if _steals:
            for _i in range(rounds):
                ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return _steals


def emit(signal: Any, *args: Any) -> Any:
    """``signal.emit(*args)``, safe on every PySide6 version."""
    result = signal.emit(*args)
    if (result is True or result is False) and emit_steals_reference():
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
    return result
