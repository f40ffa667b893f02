"""Anteprima di stampa: the real pages of a generated PDF, printed or saved as they are.

The dialog is handed ``generate(pseudonymised) -> bytes`` (a closure built by the
desktop over the database); it never sees the database. Generation runs off the UI
thread through the task runner; when ``generate`` also accepts a ``progress`` keyword it
is called with ``progress(done, total)`` from the worker, and the dialog shows a bar.

Pages are rendered by PDFium (pypdfium2) on the UI thread only (PDFium is not
thread-safe): on screen at the chosen zoom, and at up to 300 dpi onto the printer,
so that what is printed is exactly the PDF that is saved.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPalette, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models.errors import DomainError
from models.i18n import _

from .. import messages
from ..colours import palette
from ..settings_store import SettingsStore
from ..tasks import TaskRunner, unexpected_message
from ..widgets import fit_on_screen
from .save_dialog import ask_save_path, save_folder

Generate = Callable[..., bytes]

PDF_FOLDER_KEY = "pdf_folder"  # the folder of the last PDF saved, in the settings
FIT_WIDTH = 0.0
ZOOMS = (FIT_WIDTH, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
SCREEN_DPI = 96.0
PRINT_DPI_MAX = 300


def render_page(doc: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """One page as an RGB image at ``dpi`` (UI thread only)."""
    page = doc[index]
    try:
        bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True)
        image = QImage(
            bytes(bitmap.buffer),
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGB888,
        )
        return image.copy()  # detach from the Python buffer
    finally:
        page.close()


class _ProgressRelay(QObject):
    """Carries ``progress(done, total)`` from the worker thread to the dialog."""

    changed = Signal(int, int)


class PrintPreviewDialog(QDialog):
    """Preview of a printed document with print, save as PDF and the pseudonymised switch."""

    HELP_ANCHOR = "print"  # its section of the manual (views.help)

    generated = Signal()  # a new PDF is on screen (tests wait for it)

    def __init__(
        self,
        generate: Generate,
        *,
        title: str,
        pseudonymised: bool = False,
        file_name: str = "documento.pdf",
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
        settings: SettingsStore | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setWindowTitle(_("Print preview — {title}").format(title=title))
        self._generate = generate
        self._takes_progress = _accepts_progress(generate)
        self._file_name = file_name
        self._runner = runner or TaskRunner(self)
        self._relay = _ProgressRelay(self)
        self._relay.changed.connect(self._on_progress)
        self._doc: pdfium.PdfDocument | None = None
        self.pdf_bytes: bytes = b""
        self._page = 0
        self._zoom = FIT_WIDTH
        self._generating = False
        self._requested_flag = pseudonymised
        self._shown_flag: bool | None = None
        self._named_allowed = True  # only_pseudonymised

        self.pseudonymised_box = QCheckBox(_("Pseudonymised (codes instead of names, no address)"))
        self.pseudonymised_box.setChecked(pseudonymised)
        self.pseudonymised_box.toggled.connect(lambda _checked: self.regenerate())

        self.prev_button = QToolButton()
        self.prev_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.prev_button.setToolTip(_("Previous page"))
        self.prev_button.setAccessibleName(_("Previous page"))
        self.prev_button.clicked.connect(lambda: self.show_page(self._page - 1))
        self.next_button = QToolButton()
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.next_button.setToolTip(_("Next page"))
        self.next_button.setAccessibleName(_("Next page"))
        self.next_button.clicked.connect(lambda: self.show_page(self._page + 1))
        self.page_spin = QSpinBox()
        self.page_spin.setMinimum(1)
        self.page_spin.setAccessibleName(_("Page"))
        self.page_spin.setKeyboardTracking(False)
        self.page_spin.valueChanged.connect(lambda v: self.show_page(v - 1))
        self.page_total = QLabel()

        self.zoom_combo = QComboBox()
        self.zoom_combo.setAccessibleName(_("Zoom"))
        for z in ZOOMS:
            self.zoom_combo.addItem(_("Fit width") if z == FIT_WIDTH else f"{round(z * 100)} %", z)
        self.zoom_combo.currentIndexChanged.connect(self._on_zoom)

        self.save_button = QPushButton(_("Save as PDF…"))
        self.save_button.clicked.connect(self.save_as)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_document)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.reject)

        bar = QHBoxLayout()
        bar.addWidget(self.prev_button)
        bar.addWidget(QLabel(_("Page")))
        bar.addWidget(self.page_spin)
        bar.addWidget(self.page_total)
        bar.addWidget(self.next_button)
        bar.addSpacing(16)
        bar.addWidget(QLabel(_("Zoom")))
        bar.addWidget(self.zoom_combo)
        bar.addSpacing(16)
        bar.addWidget(self.pseudonymised_box)
        bar.addStretch(1)

        self.page_label = QLabel()
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label.setStyleSheet("background: white; border: 1px solid #9aa5ae;")
        self.page_label.hide()  # until the first page is rendered
        holder = QWidget()
        # Round the page (paper stays white), the palette's dark shade.
        holder.setStyleSheet(f"background: {palette().color(QPalette.ColorRole.Dark).name()};")
        hl = QVBoxLayout(holder)
        hl.setContentsMargins(16, 16, 16, 16)
        hl.addWidget(self.page_label, 0, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        hl.addStretch(1)
        self.page_area = QScrollArea()
        self.page_area.setWidget(holder)
        self.page_area.setWidgetResizable(True)
        self.page_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.status = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(280)
        self.progress.setTextVisible(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status)
        buttons.addWidget(self.progress)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.page_area, 1)
        layout.addLayout(buttons)

        for key, action in (
            (QKeySequence.StandardKey.MoveToNextPage, lambda: self.show_page(self._page + 1)),
            (QKeySequence.StandardKey.MoveToPreviousPage, lambda: self.show_page(self._page - 1)),
            (QKeySequence.StandardKey.Print, self.print_document),
        ):
            QShortcut(QKeySequence(key), self).activated.connect(action)

        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(120)
        self._resize_timer.timeout.connect(self._render_current)

        fit_on_screen(self, 900, 1000)
        self._set_enabled(False)
        self.regenerate()

    # -- public ------------------------------------------------------------------------

    def only_pseudonymised(self) -> None:
        """For a role that may print pseudonymised documents only (a reader): the
        document is pseudonymised and the choice is not offered."""
        self._named_allowed = False
        self.pseudonymised_box.setChecked(True)
        self.pseudonymised_box.setEnabled(False)
        self.pseudonymised_box.hide()

    def is_pseudonymised(self) -> bool:
        return self.pseudonymised_box.isChecked()

    def page_count(self) -> int:
        return len(self._doc) if self._doc is not None else 0

    def current_page(self) -> int:
        """The page on screen, counted from 1."""
        return self._page + 1

    def regenerate(self) -> None:
        """Build the document again (with the current pseudonymised choice) off the UI thread."""
        self._generating = True
        self._set_enabled(False)
        self.status.setText(_("Preparing the document…"))
        self.progress.setRange(0, 0)
        self.progress.show()
        flag = self.is_pseudonymised()
        self._requested_flag = flag
        relay = self._relay

        def work() -> bytes:
            if self._takes_progress:
                return self._generate(
                    flag, progress=lambda done, total: relay.changed.emit(done, total)
                )
            return self._generate(flag)

        self._runner.run(
            work, on_success=self._loaded, on_failure=self._failed, key="print-preview"
        )

    def show_page(self, index: int) -> None:
        count = self.page_count()
        if not count:
            return
        index = max(0, min(index, count - 1))
        self._page = index
        if self.page_spin.value() != index + 1:
            self.page_spin.blockSignals(True)
            self.page_spin.setValue(index + 1)
            self.page_spin.blockSignals(False)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < count - 1)
        self._render_current()

    def save_as(self) -> bool:
        """Ask where, then write the PDF exactly as previewed. True when written."""
        if not self.pdf_bytes:
            return False
        path = self.ask_save_path(str(Path(self.save_folder()) / self._file_name))
        if not path:
            return False
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            target.write_bytes(self.pdf_bytes)
        except OSError as exc:
            messages.get().error(
                _("Cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc),
                parent=self,
            )
            return False
        self.status.setText(_("Saved {path}").format(path=target))
        if self._settings is not None:
            self._settings.save({PDF_FOLDER_KEY: str(target.parent)})
        return True

    def ask_save_path(self, proposed: str) -> str:
        """The file chosen in the save dialog ("" when cancelled)."""
        path, _filter = ask_save_path(
            self,
            _("Save as PDF"),
            proposed,
            [_("PDF documents (*.pdf)")],
            "pdf",
            "savePdfDialog",
        )
        return path

    def save_folder(self) -> str:
        """Where *Save as PDF* opens: the folder of the last PDF saved, else the user's
        Documents folder (never the program's own folder)."""
        return save_folder(self._settings, PDF_FOLDER_KEY)

    def print_document(self) -> None:
        """The system print dialog, then every chosen page rendered onto the printer."""
        if self._doc is None or self._generating:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._file_name)
        printer.setFullPage(True)  # the PDF carries its own margins
        width, height = self._doc[0].get_size()
        from PySide6.QtGui import QPageLayout, QPageSize

        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape
            if width > height
            else QPageLayout.Orientation.Portrait
        )
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, self.page_count())
        dialog.setWindowTitle(_("Print"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Paint the pages chosen in ``printer`` (all by default). True when finished."""
        if self._doc is None:
            return False
        first, last = printer.fromPage(), printer.toPage()
        if first == 0 and last == 0:
            first, last = 1, self.page_count()
        pages = list(range(first - 1, min(last, self.page_count())))
        dpi = min(printer.resolution(), PRINT_DPI_MAX)
        painter = QPainter()
        if not painter.begin(printer):
            messages.get().error(_("The printer could not be started."), parent=self)
            return False
        steps = QProgressDialog(_("Printing…"), _("Cancel"), 0, len(pages), self)
        steps.setWindowModality(Qt.WindowModality.WindowModal)
        steps.setMinimumDuration(500)
        try:
            for n, index in enumerate(pages):
                if steps.wasCanceled():
                    printer.abort()
                    return False
                if n:
                    printer.newPage()
                image = render_page(self._doc, index, dpi)
                target = painter.viewport()
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(
                    QRect(target.x(), target.y(), scaled.width(), scaled.height()), image
                )
                steps.setValue(n + 1)
        finally:
            painter.end()
            steps.close()
        return True

    # -- internals ---------------------------------------------------------------------

    def _set_enabled(self, enabled: bool) -> None:
        for w in (
            self.save_button,
            self.print_button,
            self.page_spin,
            self.zoom_combo,
            self.pseudonymised_box,
            self.prev_button,
            self.next_button,
        ):
            w.setEnabled(enabled)
        if not self._named_allowed:
            self.pseudonymised_box.setEnabled(False)

    def _on_progress(self, done: int, total: int) -> None:
        if not self._generating:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _loaded(self, data: bytes) -> None:
        old = self._doc
        self._doc = pdfium.PdfDocument(data)
        if old is not None:
            old.close()
        self.pdf_bytes = data
        self._generating = False
        self._shown_flag = self._requested_flag
        self.progress.hide()
        self.status.setText("")
        self._set_enabled(True)
        count = self.page_count()
        self.page_spin.setMaximum(max(1, count))
        self.page_total.setText(_("of {pages}").format(pages=count))
        self.show_page(min(self._page, count - 1))
        self.generated.emit()

    def _failed(self, exc: BaseException) -> None:
        self._generating = False
        self.progress.hide()
        self.status.setText(_("The document could not be prepared."))
        self._set_enabled(self._doc is not None)
        self.pseudonymised_box.setEnabled(self._named_allowed)
        if self._doc is not None and self._shown_flag is not None:
            # The pages on screen are still the previous variant: say so with the box.
            self.pseudonymised_box.blockSignals(True)
            self.pseudonymised_box.setChecked(self._shown_flag)
            self.pseudonymised_box.blockSignals(False)
        text = str(exc) if isinstance(exc, DomainError) else unexpected_message(exc)
        messages.get().error(text, parent=self)

    def _on_zoom(self, _index: int) -> None:
        self._zoom = float(self.zoom_combo.currentData())
        self._render_current()

    def _dpi(self) -> float:
        if self._doc is None:
            return SCREEN_DPI
        if self._zoom == FIT_WIDTH:
            width_pt = self._doc[self._page].get_size()[0]
            # Leave room for the vertical scroll bar, which a fitted page always needs.
            bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
            avail = max(200, self.page_area.width() - bar - 2 * self.page_area.frameWidth() - 36)
            return float(avail / width_pt * 72.0)
        return SCREEN_DPI * self._zoom

    def _render_current(self) -> None:
        if self._doc is None:
            return
        ratio = self.devicePixelRatioF()
        image = render_page(self._doc, self._page, self._dpi() * ratio)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.page_label.setPixmap(pixmap)
        self.page_label.show()
        self.page_label.setFixedSize(pixmap.deviceIndependentSize().toSize())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._zoom == FIT_WIDTH:
            self._resize_timer.start()

    def done(self, result: int) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None
        super().done(result)


def _accepts_progress(fn: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return "progress" in params or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()
    )
