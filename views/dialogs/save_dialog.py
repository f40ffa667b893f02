"""The save dialog every *Save as…* of the program uses (PDF, spreadsheets): Qt's own
dialog with its labels in the interface's language (Qt's Italian catalogue leaves some
of them in English), opening in the folder last used for that kind of file, else the
user's Documents folder (never the program's own folder)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from models.i18n import _

from ..settings_store import SettingsStore


def ask_save_path(
    parent: QWidget | None,
    title: str,
    proposed: str,
    filters: Sequence[str],
    default_suffix: str,
    object_name: str = "saveDialog",
) -> tuple[str, str]:
    """The file chosen and the filter chosen (("", "") when cancelled)."""
    dialog = QFileDialog(parent, title, str(Path(proposed).parent))
    dialog.setObjectName(object_name)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilters(list(filters))
    dialog.setDefaultSuffix(default_suffix)
    dialog.selectFile(Path(proposed).name)
    labels = (
        (QFileDialog.DialogLabel.LookIn, _("Look in:")),
        (QFileDialog.DialogLabel.FileName, _("File &name:")),
        (QFileDialog.DialogLabel.FileType, _("Files of &type:")),
        (QFileDialog.DialogLabel.Accept, _("&Save")),
        (QFileDialog.DialogLabel.Reject, _("Cancel")),
    )
    for label, text in labels:
        dialog.setLabelText(label, text)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return "", ""
    chosen = dialog.selectedFiles()
    return (chosen[0] if chosen else ""), dialog.selectedNameFilter()


def save_folder(settings: SettingsStore | None, key: str) -> str:
    """The folder of the last file saved under ``key`` in the settings, else Documents."""
    if settings is not None:
        last = settings.load().get(key)
        if isinstance(last, str) and last and Path(last).is_dir():
            return last
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return documents
    return str(Path.home())


def ask_open_paths(
    parent: QWidget | None,
    title: str,
    filters: Sequence[str],
    settings: SettingsStore | None,
    key: str,
) -> list[str]:
    """Files chosen to open ([] when cancelled), starting in the folder last used for
    ``key``, which is remembered."""
    dialog = QFileDialog(parent, title, save_folder(settings, key))
    dialog.setObjectName("openFilesDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setNameFilters(list(filters))
    labels = (
        (QFileDialog.DialogLabel.LookIn, _("Look in:")),
        (QFileDialog.DialogLabel.FileName, _("File &name:")),
        (QFileDialog.DialogLabel.FileType, _("Files of &type:")),
        (QFileDialog.DialogLabel.Accept, _("&Open")),
        (QFileDialog.DialogLabel.Reject, _("Cancel")),
    )
    for label, text in labels:
        dialog.setLabelText(label, text)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return []
    chosen = dialog.selectedFiles()
    if chosen and settings is not None:
        settings.save({key: str(Path(chosen[0]).parent)})
    return chosen
