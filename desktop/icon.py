"""The application's icon: a house with a bed, painted here and kept as files.

The desktop loads ``resources/icons/accoglienza.png`` at start: painting needs QPainter,
which is slow to load. The files are made from ``paint_icon`` by

    python -m desktop.icon

which writes ``accoglienza.png`` (256 px, the window icon) and ``accoglienza.ico`` (the
Windows installer's and the executable's icon, installer/accoglienza.spec).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

SIZES = (16, 32, 48, 64, 128, 256)


def icons_dir() -> Path:
    """``resources/icons`` in the repository, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources" / "icons"
    return Path(__file__).resolve().parent.parent / "resources" / "icons"


def paint_icon() -> QIcon:
    """The icon painted at every size."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF

    icon = QIcon()
    for size in SIZES:
        pix = QPixmap(size, size)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = size / 64.0
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#2f6f9f"))
        p.drawRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 12 * s, 12 * s)
        p.setBrush(QColor("#ffffff"))
        p.drawPolygon(
            QPolygonF([QPointF(32 * s, 10 * s), QPointF(54 * s, 30 * s), QPointF(10 * s, 30 * s)])
        )
        p.drawRect(QRectF(16 * s, 30 * s, 32 * s, 22 * s))
        p.setBrush(QColor("#f0a830"))
        p.drawRect(QRectF(21 * s, 40 * s, 22 * s, 7 * s))
        p.end()
        icon.addPixmap(pix)
    return icon


def app_icon() -> QIcon:
    """The window icon: the PNG file, or the icon painted when the file is missing."""
    from PySide6.QtGui import QIcon

    path = icons_dir() / "accoglienza.png"
    if path.is_file():
        icon = QIcon(str(path))
        if not icon.isNull():
            return icon
    return paint_icon()


def write_icon_files(folder: Path | None = None) -> list[Path]:
    """Write ``accoglienza.png`` and ``accoglienza.ico`` (every size) into ``folder``."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImageWriter

    folder = folder or icons_dir()
    folder.mkdir(parents=True, exist_ok=True)
    icon = paint_icon()
    png = folder / "accoglienza.png"
    if not icon.pixmap(QSize(256, 256)).save(str(png), "PNG"):
        raise OSError(f"cannot write {png}")
    written = [png]
    if b"ico" in [bytes(f.data()) for f in QImageWriter.supportedImageFormats()]:
        ico = folder / "accoglienza.ico"
        writer = QImageWriter(str(ico), b"ico")
        # Qt's ICO writer keeps one image per file: the largest, which Windows scales.
        if not writer.write(icon.pixmap(QSize(256, 256)).toImage()):
            raise OSError(f"cannot write {ico}: {writer.errorString()}")
        written.append(ico)
    return written


def main() -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - pixmaps need it
    for path in write_icon_files():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
