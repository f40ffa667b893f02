"""The application survives many Qt calls, whatever the PySide6/Python combination."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
from desktop import refcount_guard
refcount_guard.install(app)
w = QWidget()
for i in range(30000):
    w.setWindowTitle("x")
print("alive")
"""


def test_thirty_thousand_qt_calls_do_not_abort_the_process():
    result = subprocess.run([sys.executable, "-c", SCRIPT.format(root=str(ROOT))], capture_output=True, text=True,
                            timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "alive"
