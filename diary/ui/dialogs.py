"""Every modal prompt the app shows, behind one small object.

Widgets receive a ``Dialogs`` through their constructor and never open modals themselves,
so tests can pass a subclass that records what would have been shown instead of blocking.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget


class Dialogs:
    def show_error(self, parent: QWidget | None, title: str, message: str) -> None:
        QMessageBox.warning(parent, title, message)

    def print_html(self, parent: QWidget | None, title: str, html: str) -> bool:
        """Ask for a printer and print ``html``. Returns False when the user cancels."""
        printer = self.choose_printer(parent, title)
        if printer is None:
            return False
        document = QTextDocument()
        document.setHtml(html)
        document.print_(printer)
        return True

    # ---- used by the Settings page ----------------------------------------------------
    def confirm(self, parent: QWidget | None, title: str, question: str, yes_text: str) -> bool:
        """Ask before an action that replaces something; True only if ``yes_text`` is chosen.
        The safe answer (Cancel) is the default, so Enter alone never confirms."""
        box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
        yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is yes

    def open_folder(self, folder: Path) -> None:
        """Show ``folder`` in the file manager (a local file URL: nothing leaves the computer)."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # ---- used by the Report page ------------------------------------------------------
    def choose_printer(self, parent: QWidget | None, title: str) -> QPrinter | None:
        """Ask which printer (and how); the chosen printer, or None when the user cancels.
        The caller sets the paper and margins it needs after this."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(title)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def choose_save_path(
        self, parent: QWidget | None, title: str, suggested: str, file_filter: str
    ) -> Path | None:
        """Ask where to save a file (``suggested`` is the name offered); None when cancelled."""
        chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
        return Path(chosen) if chosen else None
