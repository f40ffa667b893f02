"""The waiting list (lista d'attesa): the requests of placement, those waiting first by
priority and days waited, and for the one chosen what the free-bed finder says (from
today, for the expected stay). New request, change, place, withdraw, mark expired and
print from here; a closed request stays listed with its day and reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.errors import DomainError, ValidationError
from models.i18n import N_, _
from models.labels import PRIORITIES, REQUEST_NEEDS, TARGET_GROUPS
from models.results import Changes, FreeBedAnswer, NewRequest, PlacementInfo, RequestInfo

from ..date_edit import DateEdit
from ..free_beds import FreeBedsModel, fitting_count_text
from ..table_models import SortFilterProxy
from ..waiting_list_table import RequestsModel
from ..widgets import fit_on_screen, make_table, section_label
from .context import DialogContext
from .placement_dialog import PlacementDialog
from .styles import ERROR_STYLE, hint
from .workflow_dialog import WorkflowDialog, Write, failure_text

# The PDF of a list of requests (pseudonymised or not), given by the desktop layer.
RequestsPdf = Callable[[list[RequestInfo], bool], bytes]


class RequestDialog(WorkflowDialog):
    """A new request on the waiting list, or the correction of one still waiting."""

    TITLE, OK_TEXT = N_("Request of placement"), N_("Save")

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        request: RequestInfo | None = None,
        **ids: Any,
    ) -> None:
        self.request = request
        super().__init__(context, parent, **ids)

    def build(self) -> None:
        q = self.request
        form = QFormLayout()
        self.body.addWidget(hint(_("What the referral says: the household is not registered yet.")))
        self.body.addLayout(form)
        self.code = QLineEdit(q.referral_code if q else "")
        self.code.setObjectName("requestCode")
        self.code.setAccessibleName(_("Referral code"))
        form.addRow(_("Referral &code:"), self.code)
        self.referred = DateEdit(q.referral_date if q else self.day)
        self.referred.setObjectName("requestDate")
        self.referred.line.setAccessibleName(_("Referred on"))
        form.addRow(_("&Referred on:"), self.referred)
        self.body_name = QLineEdit(q.referring_body if q else "")
        self.body_name.setObjectName("requestBody")
        self.body_name.setAccessibleName(_("Referring body"))
        self.body_name.setPlaceholderText(
            _("e.g. SAI central service, prefecture, social services")
        )
        form.addRow(_("Referring &body:"), self.body_name)
        self.target = QComboBox()
        self.target.setObjectName("requestTarget")
        self.target.setAccessibleName(_("Target group"))
        self.target.addItem(_("not given"), None)
        for code, label in TARGET_GROUPS.items():
            self.target.addItem(_(label), code)
        if q and q.target_group:
            self.target.setCurrentIndex(self.target.findData(q.target_group))
        form.addRow(_("Target &group:"), self.target)
        people = QHBoxLayout()
        self.adults = QSpinBox()
        self.adults.setObjectName("requestAdults")
        self.adults.setRange(0, 30)
        self.adults.setValue(q.adults if q else 1)
        self.adults.setAccessibleName(_("Adults"))
        self.minors = QSpinBox()
        self.minors.setObjectName("requestMinors")
        self.minors.setRange(0, 30)
        self.minors.setValue(q.minors if q else 0)
        self.minors.setAccessibleName(_("Minors"))
        people.addWidget(self.adults)
        people.addWidget(QLabel(_("adults")))
        people.addWidget(self.minors)
        people.addWidget(QLabel(_("minors")))
        people.addStretch(1)
        form.addRow(_("&People:"), people)
        needs = QHBoxLayout()
        self.needs: dict[str, QCheckBox] = {}
        for code, label in REQUEST_NEEDS.items():
            box = QCheckBox(_(label))
            box.setObjectName(f"need_{code}")
            box.setChecked(bool(q and code in q.needs))
            self.needs[code] = box
            needs.addWidget(box)
        needs.addStretch(1)
        form.addRow(_("Needs:"), needs)
        self.priority = QComboBox()
        self.priority.setObjectName("requestPriority")
        self.priority.setAccessibleName(_("Priority"))
        for value, label in PRIORITIES.items():
            self.priority.addItem(_(label), value)
        self.priority.setCurrentIndex(self.priority.findData(q.priority if q else 3))
        form.addRow(_("Pr&iority:"), self.priority)
        self.province = QLineEdit(q.province if q else "")
        self.province.setObjectName("requestProvince")
        self.province.setMaxLength(2)
        self.province.setPlaceholderText(_("any"))
        self.province.setAccessibleName(_("Province"))
        form.addRow(_("Pro&vince wanted:"), self.province)
        self.programme = QComboBox()
        self.programme.setObjectName("requestProgramme")
        self.programme.setAccessibleName(_("Programme"))
        self.programme.addItem(_("any programme"), None)
        form.addRow(_("Progra&mme wanted:"), self.programme)
        self.stay = QSpinBox()
        self.stay.setObjectName("requestStay")
        self.stay.setRange(1, 3 * 366)
        self.stay.setValue(q.stay_days if q else 180)
        self.stay.setSuffix(" " + _("days"))
        self.stay.setAccessibleName(_("Expected stay"))
        form.addRow(_("E&xpected stay:"), self.stay)
        self.notes = QPlainTextEdit(q.notes if q else "")
        self.notes.setObjectName("requestNotes")
        self.notes.setAccessibleName(_("Notes"))
        self.notes.setFixedHeight(70)
        form.addRow(_("&Notes:"), self.notes)
        self.run(self.backend.directory.programmes, self._programmes, key="programmes")
        fit_on_screen(self, 620, 560)

    def _programmes(self, programmes: list[Any]) -> None:
        for p in programmes:
            self.programme.addItem(f"{p.code} — {p.name}", p.id)
        if self.request and self.request.programme_id:
            self.programme.setCurrentIndex(
                max(self.programme.findData(self.request.programme_id), 0)
            )

    def new_request(self) -> NewRequest:
        return NewRequest(
            referral_date=self.referred.value(),
            adults=self.adults.value(),
            minors=self.minors.value(),
            referral_code=self.code.text(),
            referring_body=self.body_name.text(),
            target_group=self.target.currentData(),
            needs=frozenset(code for code, box in self.needs.items() if box.isChecked()),
            priority=int(self.priority.currentData()),
            province=self.province.text(),
            programme_id=self.programme.currentData(),
            stay_days=self.stay.value(),
            household_id=self.request.household_id if self.request else None,
            notes=self.notes.toPlainText(),
        )

    def apply(self) -> Write:
        new = self.new_request()
        wl = self.backend.waiting_list
        q = self.request
        if q is None:
            return Write(
                lambda: wl.add(new), Changes(message=_("Request added to the waiting list"))
            )
        rid, version = q.id, q.version
        return Write(
            lambda: wl.change(rid, new, version=version), Changes(message=_("Request saved"))
        )


class CloseRequestDialog(WorkflowDialog):
    """Withdraw a request, or mark it expired: the day and why; it stays on the list."""

    TITLE, OK_TEXT = N_("Close the request"), N_("Close the request")

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        request: RequestInfo,
        expired: bool = False,
        **ids: Any,
    ) -> None:
        self.request = request
        self.expired = expired
        super().__init__(context, parent, **ids)

    def window_title(self) -> str:
        return _("Request expired") if self.expired else _("Withdraw the request")

    def ok_text(self) -> str:
        return _("Mark expired") if self.expired else _("Withdraw")

    def build(self) -> None:
        form = QFormLayout()
        self.body.addWidget(
            hint(_("The request stays on the list, closed, with the day and the reason."))
        )
        self.body.addLayout(form)
        self.when = DateEdit(self.day)
        self.when.setObjectName("closeDate")
        self.when.line.setAccessibleName(_("Day"))
        form.addRow(_("&Day:"), self.when)
        self.reason = QLineEdit()
        self.reason.setObjectName("closeReason")
        self.reason.setAccessibleName(_("Reason"))
        form.addRow(_("&Reason:") if not self.expired else _("&Reason (optional):"), self.reason)
        fit_on_screen(self, 520, 200)

    def apply(self) -> Write:
        wl, rid, version = self.backend.waiting_list, self.request.id, self.request.version
        day, reason = self.when.value(), self.reason.text()
        if self.expired:
            return Write(
                lambda: wl.expire(rid, day, reason, version=version),
                Changes(message=_("Request marked expired")),
            )
        if not reason.strip():
            raise ValidationError(_("Write why the request is withdrawn."))
        return Write(
            lambda: wl.withdraw(rid, day, reason, version=version),
            Changes(message=_("Request withdrawn")),
        )


class RequestPlacementDialog(PlacementDialog):
    """The new placement of a request's household: saving it closes the request."""

    TITLE = N_("Place from the waiting list")

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        request: RequestInfo,
        **ids: Any,
    ) -> None:
        self.request = request
        if request.household_id is not None:
            ids.setdefault("household_id", request.household_id)
        super().__init__(context, parent, **ids)

    def place_call(self) -> Callable[..., PlacementInfo]:
        wl, rid, version = self.backend.waiting_list, self.request.id, self.request.version

        def place(household_id: int, structure_id: int, entry: dt.date, **kw: Any) -> PlacementInfo:
            return wl.place(rid, household_id, structure_id, entry, version=version, **kw)

        return place


class WaitingListDialog(QDialog):
    """The requests above, the finder's answer for the chosen one below."""

    HELP_ANCHOR = "waiting-list"

    def __init__(
        self,
        context: DialogContext,
        parent: QWidget | None = None,
        *,
        requests_pdf: RequestsPdf | None = None,
        **_ids: Any,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.backend = context.backend
        self.requests_pdf = requests_pdf
        self.changes = Changes()
        self.changed = False  # a request was added, changed or closed
        # Tests replace it to answer the dialogs opened from here without a real prompt.
        self.exec_dialog: Callable[[QDialog], int] = lambda dialog: dialog.exec()
        self.setWindowTitle(_("Waiting list"))
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("waitingSummary")
        top.addWidget(self.summary, 1)
        self.show_closed = QCheckBox(_("Show &closed requests too"))
        self.show_closed.setObjectName("showClosed")
        self.show_closed.toggled.connect(self.reload)
        top.addWidget(self.show_closed)
        lay.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical)
        self.model = RequestsModel(self)
        self.proxy = SortFilterProxy(self.model, self)
        self.table = make_table("requestsTable", self)
        self.table.setSortingEnabled(False)  # the list's own order: priority, then the wait
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(_("Requests of placement"))
        self.table.selectionModel().selectionChanged.connect(self._chosen)
        self.table.doubleClicked.connect(self._double_clicked)
        split.addWidget(self.table)
        below = QWidget()
        below_lay = QVBoxLayout(below)
        below_lay.setContentsMargins(0, 0, 0, 0)
        self.answer_title = section_label(_("Free beds for the request chosen"))
        below_lay.addWidget(self.answer_title)
        self.answer_summary = QLabel()
        self.answer_summary.setObjectName("answerSummary")
        self.answer_summary.setWordWrap(True)
        below_lay.addWidget(self.answer_summary)
        self.answers = FreeBedsModel(self)
        self.answers_view = make_table("requestAnswers", self)
        self.answers_proxy = SortFilterProxy(self.answers, self)
        self.answers_view.setModel(self.answers_proxy)
        self.answers_view.setAccessibleName(_("Structures and free beds for the request"))
        self.answers_view.doubleClicked.connect(lambda _i: self.place_selected())
        below_lay.addWidget(self.answers_view)
        split.addWidget(below)
        lay.addWidget(split, 1)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox()
        role = QDialogButtonBox.ButtonRole.ActionRole

        def button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
            b = buttons.addButton(text, role)
            b.setObjectName(name)
            b.clicked.connect(lambda _c=False: slot())
            return b

        self.new_button = button(_("&New request…"), "newRequest", self.new_request)
        self.change_button = button(_("C&hange…"), "changeRequest", self.change_request)
        self.place_button = button(_("&Place…"), "placeRequest", self.place_selected)
        self.withdraw_button = button(_("&Withdraw…"), "withdrawRequest", self.withdraw)
        self.expire_button = button(_("E&xpired…"), "expireRequest", self.expire)
        self.print_button = button(_("P&rint…"), "printRequests", self.print_list)
        self.print_button.setEnabled(requests_pdf is not None)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeButton")
        close.clicked.connect(self.accept)
        lay.addWidget(buttons)
        self._update_buttons()
        fit_on_screen(self, 1200, 700)
        self.reload()

    # -- reads --
    def _run(self, fn: Callable[[], Any], done: Callable[[Any], None], key: str) -> None:
        self.context.run(self, fn, on_success=done, on_failure=self._failed, key=key)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(failure_text(exc))
        self.error.setVisible(True)

    def reload(self) -> None:
        wl, closed = self.backend.waiting_list, self.show_closed.isChecked()
        self._run(lambda: wl.requests(waiting_only=not closed), self._show, key="requests")

    def _show(self, requests: list[RequestInfo]) -> None:
        chosen = self.selected()
        self.model.set_rows(requests)
        self.table.resizeColumnsToContents()
        waiting = [q for q in requests if q.waiting]
        self.summary.setText(
            _("{count} requests waiting; the longest has waited {days} days.").format(
                count=len(waiting), days=max((q.days_waited for q in waiting), default=0)
            )
        )
        rows = [i for i, q in enumerate(requests) if chosen is not None and q.id == chosen.id]
        if rows or requests:
            self.table.selectRow(rows[0] if rows else 0)
        else:
            self.answers.set_rows([])
            self.answer_summary.setText("")
        self._update_buttons()

    def selected(self) -> RequestInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.row_at(rows[0].row()) if rows else None

    def _chosen(self, *_args: object) -> None:
        self._update_buttons()
        q = self.selected()
        if q is None or not q.waiting:
            self.answers.set_rows([])
            self.answer_summary.setText(_("This request is closed.") if q is not None else "")
            return
        wl = self.backend.waiting_list
        self._run(lambda: wl.answer(q), self._show_answer, key="answer")

    def _show_answer(self, answers: list[FreeBedAnswer]) -> None:
        self.answers.set_rows(answers)
        self.answers_view.resizeColumnsToContents()
        q = self.selected()
        days = q.stay_days if q is not None else 0
        self.answer_summary.setText(
            _("From today for {days} days: {answer}").format(
                days=days, answer=fitting_count_text(answers)
            )
        )

    def _update_buttons(self) -> None:
        q = self.selected()
        for b in (self.change_button, self.place_button, self.withdraw_button, self.expire_button):
            b.setEnabled(q is not None and q.waiting)

    def _double_clicked(self, _index: QModelIndex) -> None:
        q = self.selected()
        if q is not None and q.waiting:
            self.change_request()

    # -- writes: each through its own dialog --
    def _open(self, dialog: QDialog) -> None:
        self.error.hide()
        if self.exec_dialog(dialog) == QDialog.DialogCode.Accepted:
            self.changes = self.changes | getattr(dialog, "changes", Changes())
            self.changed = True
            self.reload()

    def new_request(self) -> None:
        self._open(RequestDialog(self.context, self))

    def change_request(self) -> None:
        q = self.selected()
        if q is not None and q.waiting:
            self._open(RequestDialog(self.context, self, request=q))

    def withdraw(self) -> None:
        q = self.selected()
        if q is not None and q.waiting:
            self._open(CloseRequestDialog(self.context, self, request=q))

    def expire(self) -> None:
        q = self.selected()
        if q is not None and q.waiting:
            self._open(CloseRequestDialog(self.context, self, request=q, expired=True))

    def place_selected(self) -> None:
        """The new placement of the request's household, in the structure chosen below
        when one fits; saving it closes the request."""
        q = self.selected()
        if q is None or not q.waiting:
            self._failed(DomainError(_("Choose a request that is waiting.")))
            return
        rows = self.answers_view.selectionModel().selectedRows()
        answer = self.answers_proxy.row_at(rows[0].row()) if rows else None
        ids: dict[str, int] = {}
        if isinstance(answer, FreeBedAnswer) and answer.fits:
            ids["structure_id"] = answer.structure_id
        self._open(RequestPlacementDialog(self.context, self, request=q, **ids))

    def print_list(self) -> None:
        if self.requests_pdf is None:
            return
        from .print_preview_dialog import PrintPreviewDialog

        rows, pdf = self.model.rows(), self.requests_pdf
        dialog = PrintPreviewDialog(
            lambda pseudonymised: pdf(rows, pseudonymised),
            title=_("Waiting list"),
            pseudonymised=True,
            # Translators: the start of a file name: no spaces, no accents.
            file_name=f"{_('waiting-list')}-{self.context.day.isoformat()}.pdf",
            runner=self.context.runner,
            parent=self,
        )
        self.exec_dialog(dialog)
