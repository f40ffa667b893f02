"""Signing in on a local file with users, the lock-out, the screen's lock after a while
without use, the administrator's screen of users, and the menus a role may use
(pytest-qt, on a local file: the password is checked by the program there)."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from models.access import Role
from models.backend import Backend
from models.database import Database
from tests.factories import D, scenario
from views.dialogs.sign_in_dialog import SignInDialog
from views.main_window import MainWindow, MemorySettings

PASSWORD = "password-of-anna"


@pytest.fixture(autouse=True)
def _nobody_signed_in_after():  # type: ignore[no-untyped-def]
    from models import change_log

    yield
    change_log.sign_in(None)  # the process's user again, for the tests that follow


@pytest.fixture
def local(sqlite_template, tmp_path) -> Backend:  # type: ignore[no-untyped-def]
    path = tmp_path / "users.sqlite3"
    shutil.copy(sqlite_template, path)
    backend = Backend(Database(f"sqlite:///{path}"), actor="test")
    scenario(backend)
    backend.users.add("anna", Role.ADMINISTRATOR, password=PASSWORD, full_name="Anna Bianchi")
    backend.users.add("lia", Role.READER, programmes=["SAI-TEST"], password=PASSWORD)
    return backend


def opened(local: Backend) -> Backend:
    """The database as the desktop opens it (desktop.app.open_backend, in its worker)."""
    backend = Backend(local.db)
    backend.who_signs_in()
    return backend


def attempts(*passwords: str, login: str = "anna") -> tuple[Callable[[QDialog], int], list[str]]:
    """A driver of the sign-in dialog: types each password in turn and presses Sign in;
    gives up (Esc) when they are all refused. The errors shown are recorded."""
    shown: list[str] = []

    def drive(dialog: QDialog) -> int:
        assert isinstance(dialog, SignInDialog)
        dialog.login.setText(login)
        for password in passwords:
            dialog.password.setText(password)
            dialog.ok.click()
            if dialog.result() == QDialog.DialogCode.Accepted:
                return QDialog.DialogCode.Accepted
            shown.append(dialog.error.text())
            assert dialog.password.text() == ""  # cleared after a refusal
        dialog.reject()  # Esc
        return dialog.result()

    return drive, shown


def window_for(qtbot, drive) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(None, today=D(2024, 1, 10), settings=MemorySettings())
    qtbot.addWidget(w)
    w.exec_dialog = drive
    w.show()
    return w


def test_no_users_no_sign_in(backend: Backend, qtbot) -> None:  # type: ignore[no-untyped-def]
    def never(_dialog: QDialog) -> int:
        raise AssertionError("no dialog expected")

    backend.who_signs_in()
    w = window_for(qtbot, never)
    w.set_backend(backend)
    assert w.backend is backend and w.idle_lock is None
    assert w.main_actions.users.isEnabled()  # the owner of a file without users


def test_wrong_password_is_said_then_the_right_one_signs_in(local: Backend, qtbot) -> None:  # type: ignore[no-untyped-def]
    drive, shown = attempts("not-the-password", PASSWORD)
    w = window_for(qtbot, drive)
    backend = opened(local)
    w.set_backend(backend)
    assert shown == ["Nome utente o password errati."]
    assert w.backend is backend
    assert backend.principal.login == "anna" and backend.principal.role is Role.ADMINISTRATOR
    assert backend.work.actor == "anna"  # the audit trail's who
    # The local file's change log records the user signed in, not the PC's account.
    from sqlalchemy import select

    from models import entities as e
    from models.results import NewPerson

    backend.people.register_household([NewPerson("Nadia", "Prova", "F", D(1990, 1, 1))])
    with backend.db.read() as s:
        last = s.scalars(select(e.ChangeLog).order_by(e.ChangeLog.id.desc())).first()
    assert last is not None and last.db_user == "anna"


def test_five_failures_lock_the_account_and_esc_quits(local: Backend, qtbot) -> None:  # type: ignore[no-untyped-def]
    drive, shown = attempts(*["bad-password"] * 5, PASSWORD)
    w = window_for(qtbot, drive)
    w.set_backend(opened(local))
    assert shown[:4] == ["Nome utente o password errati."] * 4
    assert "bloccato per 15 minuti" in shown[4]
    assert "bloccato per 15 minuti" in shown[5]  # even the right password, while locked
    assert w.backend is None and not w.isVisible()  # nobody signed in: the program ends


def test_reader_gets_no_write_actions_nor_users(local: Backend, qtbot) -> None:  # type: ignore[no-untyped-def]
    drive, _shown = attempts(PASSWORD, login="lia")
    w = window_for(qtbot, drive)
    w.set_backend(opened(local))
    a = w.main_actions
    # the status bar says who is signed in, and as what
    assert "lia (Lettore)" in w.status.database_label.text()
    assert not w.people_page.register_button.isEnabled()
    assert a.free_beds.isEnabled() and a.print.isEnabled()
    for act in (a.placement, a.transfer, a.register, a.new_structure, a.new_programme, a.users):
        assert not act.isEnabled(), act.objectName()


def test_reader_is_told_before_a_write_dialog_opens(  # type: ignore[no-untyped-def]
    local: Backend, qtbot, recorded_messages
) -> None:
    drive, _shown = attempts(PASSWORD, login="lia")
    w = window_for(qtbot, drive)
    w.set_backend(opened(local))
    w.exec_dialog = lambda _dialog: pytest.fail("no write dialog for a reader")
    for key in ("placement", "exit", "new_structure", "rooms", "new_programme"):
        assert not w.open_dialog(key)
    assert (
        recorded_messages.texts()
        == [
            "Il tuo ruolo non permette questa modifica: non è stato salvato nulla. Se ti serve, "
            "chiedila a un amministratore."
        ]
        * 5
    )


def test_idle_lock_hides_everything_and_unlocks_with_the_password(local: Backend, qtbot) -> None:  # type: ignore[no-untyped-def]
    drive, _shown = attempts(PASSWORD)
    w = window_for(qtbot, drive)
    w.set_backend(opened(local))
    lock = w.idle_lock
    assert lock is not None and lock.minutes == 10
    now = [0.0]
    lock.clock = lambda: now[0]
    lock.last_input = 0.0
    now[0] = 9 * 60
    lock.check()
    assert not lock.is_locked  # nine minutes: not yet
    now[0] = 10 * 60
    lock.check()
    assert lock.is_locked
    dialog = w.last_dialog
    assert isinstance(dialog, SignInDialog) and dialog.isVisible()
    assert dialog.login.text() == "anna" and dialog.login.isReadOnly()
    # The window's content is covered whole: nothing of the records shows.
    cover = lock.covers[0]
    assert cover.parentWidget() is w and cover.isVisible()
    assert cover.geometry() == w.rect()
    picture = w.grab().toImage()
    samples = [
        picture.pixel(x, y)
        for x in range(0, picture.width(), 5)
        for y in range(0, picture.height(), 5)
    ]
    background = max(set(samples), key=samples.count)
    plain = samples.count(background) / len(samples)
    assert plain > 0.98, "nothing but the plain cover and its one line is painted"
    # Esc does not leave the lock; a wrong password is said; the right one unlocks.
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert lock.is_locked and dialog.isVisible()
    dialog.password.setText("wrong-password")
    dialog.ok.click()
    assert dialog.error.text() == "Nome utente o password errati." and lock.is_locked
    dialog.password.setText(PASSWORD)
    dialog.ok.click()
    assert not lock.is_locked and lock.covers == []


def test_sign_out_from_the_lock(local: Backend, qtbot) -> None:  # type: ignore[no-untyped-def]
    drive, _shown = attempts(PASSWORD)
    w = window_for(qtbot, drive)
    signed_out: list[bool] = []
    w.sign_out = lambda: signed_out.append(True)
    w.set_backend(opened(local))
    assert w.idle_lock is not None
    w.idle_lock.lock()
    w.last_dialog.other.click()
    assert signed_out == [True]


def test_users_dialog_adds_disables_and_keeps_the_last_administrator(  # type: ignore[no-untyped-def]
    local: Backend, qtbot, recorded_messages
) -> None:
    from views.dialogs.users_dialog import UserFormDialog

    drive, _shown = attempts(PASSWORD)
    w = window_for(qtbot, drive)
    w.set_backend(opened(local))
    assert w.main_actions.users.isEnabled()
    forms: list[Callable[[UserFormDialog], None]] = []

    def fill(form: UserFormDialog) -> int:
        forms.pop(0)(form)
        form.accept()
        return form.result()

    def new_operator(form: UserFormDialog) -> None:
        form.login.setText("Marco.Verdi")
        form.full_name.setText("Marco Verdi")
        form.role.setCurrentIndex(form.role.findData("operator"))
        for i in range(form.programmes.count()):
            item = form.programmes.item(i)
            if item.text().startswith("SAI-TEST"):
                item.setCheckState(Qt.CheckState.Checked)
        form.password.setText("marco-password")
        form.again.setText("marco-password")

    def opened_dialog(dialog: QDialog) -> int:
        dialog.exec_form = fill  # type: ignore[attr-defined]
        forms.append(new_operator)
        dialog.add_user()  # type: ignore[attr-defined]
        rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}  # type: ignore[attr-defined]
        assert set(rows) == {"anna", "lia", "marco.verdi"}
        r = rows["marco.verdi"]
        cells = [dialog.table.item(r, c).text() for c in range(5)]  # type: ignore[attr-defined]
        assert cells == ["marco.verdi", "Marco Verdi", "Operatore", "SAI-TEST", "Attivo"]
        dialog.table.selectRow(r)  # type: ignore[attr-defined]
        dialog.disable_button.click()  # type: ignore[attr-defined]
        r = {dialog.table.item(i, 0).text(): i for i in range(dialog.table.rowCount())}["anna"]  # type: ignore[attr-defined]
        assert dialog.table.item(rows["marco.verdi"], 4).text() == "Disattivato"  # type: ignore[attr-defined]
        dialog.table.selectRow(r)  # type: ignore[attr-defined]
        dialog.disable_button.click()  # the last administrator  # type: ignore[attr-defined]
        return QDialog.DialogCode.Rejected

    w.exec_dialog = opened_dialog
    w.manage_users()
    assert any("ultimo amministratore attivo" in t for t in recorded_messages.texts())
    assert local.users.user("marco.verdi").disabled
    assert not local.users.user("anna").disabled


@pytest.mark.parametrize(("login", "may_edit"), [("lia", False), ("anna", True)])
def test_structure_page_offers_changes_only_to_a_role_that_may_make_them(  # type: ignore[no-untyped-def]
    local: Backend, qtbot, login: str, may_edit: bool
) -> None:
    drive, _shown = attempts(PASSWORD, login=login)
    w = window_for(qtbot, drive)
    w.set_backend(opened(local))
    structure = local.directory.structures()[0]
    w.show_structure(structure.id)
    page = w.structure_page
    qtbot.waitUntil(lambda: page.data is not None and page.data.info.id == structure.id)
    buttons = [*page.network_buttons.values(), page.capacity_button]
    assert [b.isEnabled() for b in buttons] == [may_edit] * len(buttons)
    assert page.bed_buttons["placement"].isEnabled() == may_edit
