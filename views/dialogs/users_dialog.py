"""Utenti (File › Users…): the administrator's screen of who may sign in.

A table of the users (login, name, role, programmes, state) and what an administrator
does with them: add one (login, name, role, the programmes they work on, the password
twice), change role and programmes, disable or enable, set a new password. Every read
and change goes through the task runner to ``backend.users``; a refusal (the last
administrator, a login taken, a short password) is shown and nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.access import ROLE_LABELS, Role
from models.i18n import _

from ..colours import error_style
from ..tasks import TaskRunner, report_failure
from .buttons import ok_button, ok_cancel

if TYPE_CHECKING:
    from models.backend import Backend
    from models.users import UserInfo

COLUMNS = ("login", "name", "role", "programmes", "state")


def state_text(user: UserInfo) -> str:
    if user.disabled:
        return _("Disabled")
    if user.locked():
        return _("Locked until {time}").format(time=user.locked_until_shown)
    return _("Active")


class UsersDialog(QDialog):
    HELP_ANCHOR = "users"

    def __init__(self, backend: Backend, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.backend = backend
        self.runner = runner
        self.users: list[UserInfo] = []
        self.programmes: list[Any] = []
        self.last_form: UserFormDialog | None = None
        # Tests replace this to drive the form instead of blocking in exec().
        self.exec_form = lambda form: form.exec()
        self.setWindowTitle(_("Users"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Who may sign in, and what their role lets them do: an administrator "
                "everything; a coordinator the structures and placements of their "
                "programmes; an operator the placements of their programmes; a reader "
                "figures and pseudonymised prints only."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("usersTable")
        self.table.setAccessibleName(_("Users"))
        self.table.setHorizontalHeaderLabels(
            [_("Login"), _("Name"), _("Role"), _("Programmes"), _("State")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.add_button = QPushButton(_("Add a &user…"), self)
        self.change_button = QPushButton(_("&Change role and programmes…"), self)
        self.disable_button = QPushButton(_("&Disable"), self)
        self.password_button = QPushButton(_("New &password…"), self)
        for button, slot in (
            (self.add_button, self.add_user),
            (self.change_button, self.change_user),
            (self.disable_button, self.toggle_disabled),
            (self.password_button, self.new_password),
        ):
            button.clicked.connect(slot)
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.resize(760, 420)
        self._selection_changed()
        self.reload()

    # -- reading ------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        backend = self.backend

        def read() -> tuple[list[UserInfo], list[Any]]:
            return backend.users.list(), backend.directory.programmes()

        def show(found: tuple[list[UserInfo], list[Any]]) -> None:
            self.users, self.programmes = found
            self._fill(select)

        self.runner.run(read, on_success=show, on_failure=lambda exc: report_failure(exc, self))

    def _fill(self, select: str | None) -> None:
        self.table.setRowCount(len(self.users))
        for i, u in enumerate(self.users):
            programmes = (
                _("every programme")
                if u.role is Role.ADMINISTRATOR
                else ", ".join(u.programme_codes) or "—"
            )
            for j, text in enumerate(
                (u.login, u.full_name, u.role_label, programmes, state_text(u))
            ):
                self.table.setItem(i, j, QTableWidgetItem(text))
            if u.login == select:
                self.table.selectRow(i)
        self._selection_changed()

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        user = self.selected()
        for button in (self.change_button, self.disable_button, self.password_button):
            button.setEnabled(user is not None)
        self.disable_button.setText(
            _("&Enable") if user is not None and user.disabled else _("&Disable")
        )

    # -- changes ------------------------------------------------------------------------

    def _write(self, work: Any, login: str) -> None:
        self.runner.run(
            work,
            on_success=lambda _done: self.reload(select=login),
            on_failure=lambda exc: report_failure(exc, self, refused_write=True),
        )

    def add_user(self) -> None:
        form = UserFormDialog(self.programmes, None, self)
        self.last_form = form
        if self.exec_form(form) != QDialog.DialogCode.Accepted:
            return
        users, values = self.backend.users, form.values()
        self._write(lambda: users.add(**values), values["login"])

    def change_user(self) -> None:
        user = self.selected()
        if user is None:
            return
        form = UserFormDialog(self.programmes, user, self)
        self.last_form = form
        if self.exec_form(form) != QDialog.DialogCode.Accepted:
            return
        users, values = self.backend.users, form.values()
        self._write(
            lambda: users.change(
                user.login,
                user.version,
                role=values["role"],
                programmes=values["programmes"],
                full_name=values["full_name"],
            ),
            user.login,
        )

    def toggle_disabled(self) -> None:
        user = self.selected()
        if user is None:
            return
        users = self.backend.users
        self._write(
            lambda: users.set_disabled(user.login, not user.disabled, user.version), user.login
        )

    def new_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        form = UserFormDialog(self.programmes, user, self, password_only=True)
        self.last_form = form
        if self.exec_form(form) != QDialog.DialogCode.Accepted:
            return
        users, password = self.backend.users, form.password.text()
        self._write(lambda: users.set_password(user.login, password, user.version), user.login)


class UserFormDialog(QDialog):
    """A new user (every field), a user's role and programmes, or a new password."""

    def __init__(
        self,
        programmes: list[Any],
        user: UserInfo | None,
        parent: QWidget | None = None,
        *,
        password_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("userForm")
        self.user = user
        self.password_only = password_only
        if password_only and user is not None:
            self.setWindowTitle(_("New password of {login}").format(login=user.login))
        elif user is not None:
            self.setWindowTitle(_("User {login}").format(login=user.login))
        else:
            self.setWindowTitle(_("New user"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.login = QLineEdit(user.login if user else "", self)
        self.login.setObjectName("loginEdit")
        self.login.setMaxLength(63)
        self.login.setPlaceholderText(_("e.g. mario.rossi"))
        self.login.setReadOnly(user is not None)
        self.full_name = QLineEdit(user.full_name if user else "", self)
        self.full_name.setObjectName("nameEdit")
        self.full_name.setMaxLength(200)
        self.role = QComboBox(self)
        self.role.setObjectName("roleCombo")
        for role in Role:
            self.role.addItem(_(ROLE_LABELS[role]), role.value)
        self.role.setCurrentIndex(
            self.role.findData(user.role.value if user else Role.OPERATOR.value)
        )
        self.programmes = QListWidget(self)
        self.programmes.setObjectName("programmesList")
        assigned = set(user.programme_ids) if user else set()
        for p in programmes:
            item = QListWidgetItem(f"{p.code} — {p.name}", self.programmes)
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if p.id in assigned else Qt.CheckState.Unchecked
            )
        self.programmes.setMinimumHeight(120)
        self.password = QLineEdit(self)
        self.password.setObjectName("passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setObjectName("againEdit")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        if not password_only:
            form.addRow(_("&Login:"), self.login)
            form.addRow(_("&Name:"), self.full_name)
            form.addRow(_("&Role:"), self.role)
            form.addRow(_("Pro&grammes:"), self.programmes)
        else:
            for unused in (self.login, self.full_name, self.role, self.programmes):
                unused.hide()
        if password_only or user is None:
            form.addRow(_("Pass&word:"), self.password)
            form.addRow(_("The same &again:"), self.again)
        else:
            self.password.hide()
            self.again.hide()
        layout.addLayout(form)
        self.note = QLabel(
            _("An administrator works on every programme.")
            if not password_only
            else _("At least 8 characters. The user can sign in again at once."),
            self,
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.error = QLabel("", self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_style())
        self.error.setVisible(False)
        layout.addWidget(self.error)
        buttons = ok_cancel(self, _("Save") if user is not None else _("Add"))
        ok_button(buttons).setObjectName("saveButton")
        layout.addWidget(buttons)
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.setMinimumWidth(460)

    def _role_changed(self) -> None:
        admin = self.role.currentData() == Role.ADMINISTRATOR.value
        self.programmes.setEnabled(not admin)
        if not self.password_only:
            self.note.setVisible(admin)

    def chosen_programmes(self) -> list[int]:
        return [
            int(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.programmes.item(i) for i in range(self.programmes.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]

    def values(self) -> dict[str, Any]:
        return {
            "login": self.login.text().strip(),
            "role": Role(self.role.currentData()),
            "programmes": self.chosen_programmes(),
            "password": self.password.text(),
            "full_name": self.full_name.text().strip(),
        }

    def accept(self) -> None:
        asks_password = self.password_only or self.user is None
        if asks_password and self.password.text() != self.again.text():
            self.error.setText(_("The two passwords differ: type the same one twice."))
            self.error.setVisible(True)
            self.again.clear()
            self.again.setFocus()
            return
        super().accept()
