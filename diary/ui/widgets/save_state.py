"""Whether the last change reached the disk: a quiet "Saved at 14:02", or a banner that
cannot be missed saying the change is NOT saved, why, and offering Retry.

Every page uses this one banner, so a failed save looks and reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class SavedIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "explanation")
        self.setAccessibleName("Save status")

    def saved(self, at: dt.datetime) -> None:
        self.setText(f"\N{CHECK MARK} Saved at {at:%H:%M}")
        self.setAccessibleDescription(self.text())

    def not_saved(self) -> None:
        self.setText("Not saved")
        self.setAccessibleDescription(self.text())


def kept_for_retry(waiting: int) -> str:
    """What happens to changes that could not be written, in a sentence."""
    changes = "1 change is" if waiting == 1 else f"{waiting} changes are"
    return f"{changes} kept in this window until a save works."


class NotSavedBanner(QFrame):
    """Shown while a change could not be written: what happened, and a Retry button."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notSavedBanner")
        self.setAccessibleName("Not saved")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton("&Retry")
        self.retry_button.setAccessibleName("Retry saving")
        self.retry_button.clicked.connect(self.retry_requested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_failure(self, reason: str, what_stays: str) -> None:
        """``reason``: the error's sentence; ``what_stays``: what the person still has."""
        self.message.setText(f"<b>NOT SAVED.</b> {escaped(reason)} {escaped(what_stays)}")
        self.setAccessibleDescription(f"Not saved. {reason} {what_stays}")
        self._restyle()
        self.show()

    def _restyle(self) -> None:
        # The theme's "problem" colour is the palette's BrightText, in light and dark alike;
        # read when shown, so a theme switched since is followed.
        palette = self.palette()
        problem = palette.color(QPalette.ColorRole.BrightText).name()
        base = palette.color(QPalette.ColorRole.Base).name()
        self.setStyleSheet(
            f"QFrame#notSavedBanner {{ border: 3px solid {problem}; border-radius: 6px;"
            f" background: {base}; }}"
            f" QFrame#notSavedBanner QLabel {{ color: {problem}; font-weight: 600; }}"
        )


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
