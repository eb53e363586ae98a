"""Whether the last change reached the disk: a quiet "Saved at 14:02", or a banner that
cannot be missed saying the change is NOT saved, why, and offering Retry."""

from __future__ import annotations

import datetime as dt

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


class NotSavedBanner(QFrame):
    """Shown while one or more changes could not be written; Retry writes them again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "not-saved")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.retry_button = QPushButton("&Retry")
        self.retry_button.setAccessibleName("Retry saving")
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.retry_button)
        self.hide()

    def show_failure(self, reason: str, waiting: int) -> None:
        changes = "1 change is" if waiting == 1 else f"{waiting} changes are"
        self.message.setText(
            f"<b>NOT SAVED.</b> {reason} {changes} kept in this window until a save works."
        )
        self.setAccessibleName("Not saved")
        self.setAccessibleDescription(self.message.text())
        self.show()
