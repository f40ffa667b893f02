"""The installed PySide6 keeps Python's reference counts (6.12.0 does not: it is excluded).

PySide6 6.12.0 on Python 3.11 loses a reference to True on every Signal.emit and one to
None on every Qt call that returns nothing; the interpreter aborts after a few thousand.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Source(QObject):
    progress = Signal(int, int)

app = QCoreApplication([])
source = Source()
seen = []
source.progress.connect(lambda done, total: seen.append(done))
before = sys.getrefcount(True)
for i in range(3000):
    source.progress.emit(i, 3000)
assert len(seen) == 3000
print(before - sys.getrefcount(True))
"""


def test_many_emits_do_not_wear_down_true():
    # In a child process: with PySide6 6.12.0 the interpreter aborts ("bool_dealloc").
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert int(result.stdout.strip()) < 10


VOID_CALLS = """
import sys
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for i in range(20000):
    label.setText("x")
print(before - sys.getrefcount(None))
"""


def test_many_void_qt_calls_do_not_wear_down_none():
    result = subprocess.run(
        [sys.executable, "-c", VOID_CALLS],
        capture_output=True,
        text=True,
        check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert int(result.stdout.strip()) < 100
