"""The waiting list (lista d'attesa): the requests of placement, those waiting first by
priority and days waited, and for the one chosen what the free-bed finder says (from
today, for the expected stay). New request, change, place, withdraw, mark expired and
print from here; a closed request stays listed with its day and reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.errors import DomainError
from models.i18n import _, ngettext
from models.results import Changes, FreeBedAnswer, RequestInfo
from views.dialogs.close_request_dialog import CloseRequestDialog
from views.dialogs.register_household_dialog import RegisterHouseholdDialog
from views.dialogs.request_dialog import RequestDialog
from views.dialogs.request_placement_dialog import RequestPlacementDialog

from ..colours import error_style
from ..free_beds import FreeBedsModel, fitting_count_text, unsorted
from ..table_models import SortFilterProxy
from ..waiting_list_table import RequestsModel
from ..widgets import fit_on_screen, make_table, section_label
from .context import DialogContext
from .workflow_dialog import failure_text

# The PDF of a list of requests (pseudonymised or not), given by the desktop layer.
RequestsPdf = Callable[[list[RequestInfo], bool], bytes]


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
        unsorted(self.answers_view)
        self.answers_view.setAccessibleName(_("Structures and free beds for the request"))
        self.answers_view.doubleClicked.connect(lambda _i: self.place_selected())
        below_lay.addWidget(self.answers_view)
        split.addWidget(below)
        lay.addWidget(split, 1)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setStyleSheet(error_style())
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
        self.register_button = button(
            _("Re&gister the household…"), "registerForRequest", self.register_and_place
        )
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
            ngettext(
                "{count} request waiting; the longest has waited {days} days.",
                "{count} requests waiting; the longest has waited {days} days.",
                len(waiting),
            ).format(count=len(waiting), days=max((q.days_waited for q in waiting), default=0))
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
            ngettext(
                "From today, for {days} day: {answer}",
                "From today, for {days} days: {answer}",
                days,
            ).format(days=days, answer=fitting_count_text(answers))
        )

    def _update_buttons(self) -> None:
        q = self.selected()
        for b in (
            self.change_button,
            self.register_button,
            self.place_button,
            self.withdraw_button,
            self.expire_button,
        ):
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

    def register_and_place(self) -> None:
        """A household referred is often not registered yet: register it, then place it."""
        q = self.selected()
        if q is None or not q.waiting:
            return
        register = RegisterHouseholdDialog(self.context, self)
        if self.exec_dialog(register) != QDialog.DialogCode.Accepted:
            return
        self.changes = self.changes | register.changes
        self.changed = True
        household = register.result_value
        self.place_selected(household_id=getattr(household, "id", None))

    def place_selected(self, household_id: int | None = None) -> None:
        """The new placement of the request's household, in the structure chosen below
        when one fits; saving it closes the request."""
        q = self.selected()
        if q is None or not q.waiting:
            self._failed(DomainError(_("Choose a request that is waiting.")))
            return
        rows = self.answers_view.selectionModel().selectedRows()
        answer = self.answers_proxy.row_at(rows[0].row()) if rows else None
        ids: dict[str, int] = {}
        if household_id is not None:
            ids["household_id"] = household_id
        if isinstance(answer, FreeBedAnswer) and answer.fits:
            ids["structure_id"] = answer.structure_id
        self._open(RequestPlacementDialog(self.context, self, request=q, **ids))

    def print_list(self) -> None:
        if self.requests_pdf is None:
            return
        from views.dialogs.print_preview_dialog import PrintPreviewDialog

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
        if not self.backend.principal.may_print_named:
            dialog.only_pseudonymised()
        self.exec_dialog(dialog)
