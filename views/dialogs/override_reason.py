"""The reason for placing, moving or holding beds for people outside a structure's target
group (a man in a women-only apartment): asked for only when the chosen structure is for
another target group, required then, and recorded with the stays."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from models.errors import ValidationError
from models.results import FitReport


class OverrideReasonEdit(QLineEdit):
    """The reason field with its label; both hidden until a structure needs a reason."""

    def __init__(
        self, label: str, refusal: str, *, placeholder: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overrideReason")
        self.setPlaceholderText(placeholder)
        self.label = QLabel(label)
        self.label.setBuddy(self)
        self.refusal = refusal
        self.needed = False
        self.set_needed(False)

    def add_to(self, form: QFormLayout) -> None:
        form.addRow(self.label, self)

    def set_needed(self, needed: bool) -> None:
        """Shown when the chosen structure is for another target group."""
        self.needed = needed
        self.setVisible(needed)
        self.label.setVisible(needed)

    def reason(self, report: FitReport | None) -> str:
        """The reason to hand to the service; refused with the dialog's words when the
        structure is for another target group and none was written."""
        reason = self.text().strip() if self.needed else ""
        if report is not None and report.target_group_problem and not reason:
            self.setFocus()
            raise ValidationError(self.refusal)
        return reason
