"""Where the main window keeps what it remembers between sessions (its geometry, the
splitters, the chart's months): a store of plain values handed in by the desktop, and the
conversion of Qt's saved states to text and back."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QByteArray


class SettingsStore(Protocol):
    def load(self) -> dict[str, Any]: ...

    def save(self, values: dict[str, Any]) -> None: ...


class MemorySettings:
    """Settings kept in memory only (tests, or when nothing is given)."""

    def __init__(self, values: dict[str, Any] | None = None) -> None:
        self.values = dict(values or {})

    def load(self) -> dict[str, Any]:
        return dict(self.values)

    def save(self, values: dict[str, Any]) -> None:
        self.values.update(values)


def saved_state(value: object) -> QByteArray | None:
    """A saved Qt state (hex text in the settings), or None when missing or damaged."""
    if isinstance(value, str) and value:
        try:
            return QByteArray.fromHex(value.encode("ascii"))
        except (UnicodeEncodeError, ValueError):
            return None
    return None


def state_text(state: QByteArray) -> str:
    """A Qt state (``saveGeometry``, ``saveState``) as text the settings can hold."""
    return bytes(state.toHex().data()).decode("ascii")
