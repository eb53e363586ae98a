"""Every modal prompt the app shows, behind one small object.

Widgets receive a ``Dialogs`` through their constructor and never open modals themselves,
so tests can pass a subclass that records what would have been shown instead of blocking.
"""

from __future__ import annotations

from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget


class Dialogs:
    def show_error(self, parent: QWidget | None, title: str, message: str) -> None:
        QMessageBox.warning(parent, title, message)

    def print_html(self, parent: QWidget | None, title: str, html: str) -> bool:
        """Ask for a printer and print ``html``. Returns False when the user cancels."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(title)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        document = QTextDocument()
        document.setHtml(html)
        document.print_(printer)
        return True
