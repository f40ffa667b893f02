"""The print preview dialog with real documents: pages, pseudonymised switch, save, print."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.printing.preview import occupancy_sheet_preview, occupancy_summary_preview
from models.access import OWNER
from models.results import NewPerson
from tests.desktop.printing_scenario import DAY, print_scenario
from views import messages
from views.dialogs.print_preview_dialog import PrintPreviewDialog
from views.tasks import TaskRunner

D = DAY.__class__


@pytest.fixture(autouse=True)
def recorded_messages() -> Iterator[messages.RecordingMessages]:
    fake = messages.RecordingMessages()
    previous = messages.install(fake)
    yield fake
    messages.install(previous)


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _big_structure(backend, programme_id: int) -> int:  # type: ignore[no-untyped-def]
    st = backend.structures.create_structure(
        programme_id, "T-GRA", "Casa Grande", "SO", D(2014, 2, 1), targets=["men"], places=40
    )
    for r in range(10):
        backend.structures.add_room(st.id, f"Camera {r + 1:02d}", 4)
    h = backend.people.register_household([NewPerson("Ğani", "Şahin", "M", D(1991, 5, 5))])
    backend.placements.place(h.id, st.id, D(2024, 10, 1))
    return st.id


def test_preview_shows_every_page_and_the_pseudonymised_switch_regenerates(
    qtbot, backend, recorded_messages
):
    sc = print_scenario(backend)
    sid = _big_structure(backend, sc.base.programme.id)
    runner = TaskRunner(synchronous=True)
    dlg = occupancy_sheet_preview(backend.db, sid, DAY, runner=runner)
    qtbot.addWidget(dlg, before_close_func=lambda w: w.done(0))
    dlg.show()
    pages = len(PdfReader(io.BytesIO(dlg.pdf_bytes)).pages)
    assert pages >= 2
    assert dlg.page_count() == pages
    assert dlg.page_total.text().endswith(str(pages))
    assert not dlg.is_pseudonymised()  # SAI: names by default
    assert "ŞAHIN Ğani" in _text(dlg.pdf_bytes)
    assert dlg.page_label.pixmap() is not None and not dlg.page_label.pixmap().isNull()

    dlg.next_button.click()
    assert dlg.current_page() == 2
    dlg.page_spin.setValue(1)
    assert dlg.current_page() == 1

    dlg.pseudonymised_box.setChecked(True)
    text = _text(dlg.pdf_bytes)
    assert "Şahin" not in text and "ŞAHIN" not in text
    assert dlg.page_count() == pages
    assert recorded_messages.shown == []


def test_anti_trafficking_preview_starts_pseudonymised(qtbot, backend):
    sc = print_scenario(backend)
    dlg = occupancy_sheet_preview(
        backend.db, sc.base.other.id, DAY, runner=TaskRunner(synchronous=True)
    )
    qtbot.addWidget(dlg, before_close_func=lambda w: w.done(0))
    assert dlg.is_pseudonymised()
    assert "KAYALI" not in _text(dlg.pdf_bytes)


def test_save_as_pdf_writes_the_previewed_document(qtbot, backend, tmp_path: Path, monkeypatch):
    sc = print_scenario(backend)
    dlg = occupancy_sheet_preview(
        backend.db, sc.families.id, DAY, runner=TaskRunner(synchronous=True)
    )
    qtbot.addWidget(dlg, before_close_func=lambda w: w.done(0))
    target = tmp_path / "foglio"
    monkeypatch.setattr(PrintPreviewDialog, "ask_save_path", lambda self, start: str(target))
    dlg.save_button.click()
    written = tmp_path / "foglio.pdf"
    assert written.read_bytes() == dlg.pdf_bytes
    assert "ĞÜLŞEN Amina" in _text(written.read_bytes())
    # Cancelled: nothing is written.
    monkeypatch.setattr(PrintPreviewDialog, "ask_save_path", lambda self, start: "")
    assert dlg.save_as() is False


def test_printing_paints_every_page_on_the_printer(qtbot, backend, tmp_path: Path):
    sc = print_scenario(backend)
    sid = _big_structure(backend, sc.base.programme.id)
    dlg = occupancy_sheet_preview(backend.db, sid, DAY, runner=TaskRunner(synchronous=True))
    qtbot.addWidget(dlg, before_close_func=lambda w: w.done(0))
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert dlg.print_to(printer)
    assert len(PdfReader(out).pages) == dlg.page_count()


def test_long_summary_is_generated_off_the_ui_thread_with_progress(qtbot, backend, monkeypatch):
    print_scenario(backend)
    seen: list[tuple[int, int]] = []
    original = PrintPreviewDialog._on_progress

    def recording(self, done: int, total: int) -> None:  # type: ignore[no-untyped-def]
        seen.append((done, total))
        original(self, done, total)

    monkeypatch.setattr(PrintPreviewDialog, "_on_progress", recording)
    runner = TaskRunner(synchronous=False)
    dlg = occupancy_summary_preview(backend.db, DAY, runner=runner)
    qtbot.addWidget(dlg, before_close_func=lambda w: w.done(0))
    if not dlg.pdf_bytes:
        assert not dlg.print_button.isEnabled()  # nothing to print while it is prepared
        with qtbot.waitSignal(dlg.generated, timeout=30_000):
            pass
    assert dlg.page_count() >= 1
    assert "T-FAM" in _text(dlg.pdf_bytes)
    assert dlg.print_button.isEnabled() and dlg.progress.isHidden()
    assert seen and seen[-1] == (4, 4)


class _FakeWindow(QWidget):
    """What the main window hands the print action: selection, date, backend, runner."""

    def __init__(self, db, selection, choice: str, principal=OWNER) -> None:  # type: ignore[no-untyped-def]
        from types import SimpleNamespace

        super().__init__()
        self.selection = selection
        self.day = DAY
        self.backend = SimpleNamespace(db=db, principal=principal)
        self.runner = TaskRunner(synchronous=True)
        self.settings = SimpleNamespace(load=lambda: {"site_name": "Sede di prova"})
        self.choice = choice
        self.previews: list[PrintPreviewDialog] = []

    def site_name(self) -> str | None:
        return self.settings.load().get("site_name")

    def exec_dialog(self, dialog):  # type: ignore[no-untyped-def]
        from PySide6.QtWidgets import QDialog

        if isinstance(dialog, PrintPreviewDialog):
            self.previews.append(dialog)
            return QDialog.DialogCode.Rejected
        dialog.options[self.choice].setChecked(True)
        return QDialog.DialogCode.Accepted


@pytest.mark.parametrize("choice", ["sheet", "summary", "register"])
def test_the_main_window_print_action_previews_the_chosen_document(qtbot, backend, choice):
    from desktop.print_actions import make_print_handler
    from views.selection import PrintScope, Selection

    sc = print_scenario(backend)
    selection = Selection(
        kind="structure",
        label="T-FAM",
        programme_code="SAI-TEST",
        province="SO",
        structure_id=sc.families.id,
    )
    window = _FakeWindow(backend.db, selection, choice)
    qtbot.addWidget(window)
    # A scope the window could not name: the print reads the names in a task.
    make_print_handler()(window, PrintScope(selection, DAY))
    assert len(window.previews) == 1
    dlg = window.previews[0]
    qtbot.addWidget(dlg, before_close_func=lambda w: w.done(0))
    text = _text(dlg.pdf_bytes)
    assert "Sede di prova" in text
    expected = {
        "sheet": "Foglio di occupazione",
        "summary": "Riepilogo dell'occupazione",
        "register": "Registro presenze",
    }[choice]
    assert expected in text
    if choice != "summary":
        assert "ĞÜLŞEN Amina" in text
    assert not dlg.pseudonymised_box.isHidden()
    assert dlg.pseudonymised_box.isEnabled()


@pytest.mark.parametrize("choice", ["sheet", "register"])
def test_a_reader_is_not_offered_named_prints(qtbot, db, backend, choice):
    from desktop.print_actions import make_print_handler
    from models.access import Principal, Role
    from models.backend import Backend
    from models.database import Database
    from views.selection import PrintScope, Selection

    sc = print_scenario(backend)
    reader_db = Database(db.url)
    reader = Principal.assigned("lettore", Role.READER)
    Backend(reader_db, principal=reader)
    selection = Selection(
        kind="structure",
        label="T-FAM",
        programme_code="SAI-TEST",
        province="SO",
        structure_id=sc.families.id,
    )
    window = _FakeWindow(reader_db, selection, choice, reader)
    qtbot.addWidget(window)
    make_print_handler()(window, PrintScope(selection, DAY))
    dlg = window.previews[0]
    qtbot.addWidget(dlg, before_close_func=lambda w: w.done(0))
    qtbot.waitUntil(lambda: dlg.pdf_bytes != b"")
    assert dlg.is_pseudonymised()
    assert not dlg.pseudonymised_box.isEnabled()
    assert dlg.pseudonymised_box.isHidden()
    text = _text(dlg.pdf_bytes)
    assert "Amina" not in text and "ĞÜLŞEN" not in text
    reader_db.dispose()


def test_save_as_proposes_a_translated_name_in_documents_then_the_last_folder(
    qtbot, backend, tmp_path: Path, monkeypatch
):
    from PySide6.QtCore import QStandardPaths

    from models import i18n
    from views.settings_store import MemorySettings

    sc = print_scenario(backend)
    documents = tmp_path / "Documenti"
    documents.mkdir()
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda _where: str(documents))
    )
    settings = MemorySettings()
    proposed: list[str] = []
    chosen = tmp_path / "archivio"
    chosen.mkdir()

    def ask(dialog, start):
        proposed.append(start)
        return str(chosen / Path(start).name)

    monkeypatch.setattr(PrintPreviewDialog, "ask_save_path", ask)
    for language, name in (("it", "foglio-occupazione"), ("en", "occupancy-sheet")):
        i18n.set_language(language)
        dlg = occupancy_sheet_preview(
            backend.db, sc.families.id, DAY, runner=TaskRunner(synchronous=True), settings=settings
        )
        qtbot.addWidget(dlg, before_close_func=lambda w: w.done(0))
        assert dlg.save_as()
        dlg.done(0)
        assert Path(proposed[-1]).name == f"{name}-T-FAM-{DAY.isoformat()}.pdf"
    # The first time in Documents, then where the last PDF went.
    assert Path(proposed[0]).parent == documents
    assert Path(proposed[1]).parent == chosen
    assert settings.values["pdf_folder"] == str(chosen)


def test_the_save_dialog_speaks_the_interface_language(qtbot, backend, tmp_path: Path, monkeypatch):
    """Qt's own save dialog: its labels in Italian, the proposed name selected."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    sc = print_scenario(backend)
    dlg = occupancy_sheet_preview(
        backend.db, sc.families.id, DAY, runner=TaskRunner(synchronous=True)
    )
    qtbot.addWidget(dlg, before_close_func=lambda w: w.done(0))
    seen: dict[str, object] = {}

    def look() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QFileDialog)
        seen["labels"] = [label.text() for label in box.findChildren(QLabel)]
        seen["name"] = box.selectedFiles()
        box.reject()

    QTimer.singleShot(200, look)
    assert dlg.ask_save_path(str(tmp_path / "foglio-occupazione-T-FAM.pdf")) == ""
    assert "Look in:" not in seen["labels"] and "Files of type:" not in seen["labels"]
    assert "Cerca in:" in seen["labels"]
