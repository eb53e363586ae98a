"""Unlock an existing diary with the passphrase, or with the recovery key instead."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from diary.domain.errors import RecoveryKeyTypo, WrongPassphrase, WrongRecoveryKey
from diary.ui.diary_location import DiaryLocation
from diary.ui.errors import ErrorPresenter
from diary.ui.widgets.form_parts import (
    BusyIndicator,
    FieldMessage,
    centred_column,
    explanation_label,
    group_gap,
    secret_field,
    title_label,
)
from diary.ui.workers import BackgroundTask

EMPTY_PASSPHRASE = "Please type your passphrase."
EMPTY_RECOVERY_KEY = "Please type your recovery key."


class UnlockScreen(QWidget):
    unlocked = Signal(object)  # the open DiaryService

    def __init__(
        self, location: DiaryLocation, presenter: ErrorPresenter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._location = location
        self._presenter = presenter
        self._task: BackgroundTask | None = None
        self.using_recovery_key = False

        self.field_label = QLabel()
        self.secret = secret_field("Passphrase")
        self.field_label.setBuddy(self.secret)
        self.problem = FieldMessage()
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.setAccessibleName("Unlock")
        self.switch_button = QPushButton()
        self.switch_button.setFlat(True)
        self.busy = BusyIndicator()

        self.secret.returnPressed.connect(self.submit)
        self.unlock_button.clicked.connect(self.submit)
        self.switch_button.clicked.connect(self._switch_mode)
        self._build_layout(location)
        self._show_mode()

    def _build_layout(self, location: DiaryLocation) -> None:
        form = QWidget()
        layout = QVBoxLayout(form)
        layout.addWidget(title_label("Unlock your diary"))
        layout.addWidget(explanation_label(f"Diary file: {location.path}"))
        layout.addSpacing(group_gap(form))
        layout.addWidget(self.field_label)
        layout.addWidget(self.secret)
        layout.addWidget(self.problem)
        layout.addWidget(self.unlock_button)
        layout.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.busy)
        outer = QVBoxLayout(self)
        outer.addWidget(centred_column(form))

    def reset(self) -> None:
        """Back to a fresh passphrase prompt (after lock, or on first show)."""
        self.using_recovery_key = False
        self.secret.clear()
        self.problem.clear_message()
        self._show_mode()
        self.secret.setFocus()

    def focus_first_field(self) -> None:
        self.secret.setFocus()

    def submit(self) -> None:
        if self._task is not None and self._task.running:
            return
        secret = self.secret.text()
        if not secret.strip():
            self.problem.show_problem(
                EMPTY_RECOVERY_KEY if self.using_recovery_key else EMPTY_PASSPHRASE
            )
            self.secret.setFocus()
            return
        self.problem.clear_message()
        self._set_busy(True)
        location = self._location
        if self.using_recovery_key:
            self._task = BackgroundTask(lambda: location.open_with_recovery_key(secret), self)
        else:
            self._task = BackgroundTask(lambda: location.open_with_passphrase(secret), self)
        self._task.succeeded.connect(self._opened)
        self._task.failed.connect(self._failed)
        self._task.start()

    def _opened(self, service: object) -> None:
        self._set_busy(False)
        self.secret.clear()
        self.unlocked.emit(service)

    def _failed(self, error: object) -> None:
        self._set_busy(False)
        assert isinstance(error, Exception)
        self.problem.show_problem(self._presenter.message_for(error))
        # A mistyped recovery key stays, so the typo can be fixed; a wrong secret goes.
        if isinstance(error, WrongPassphrase | WrongRecoveryKey) and not isinstance(
            error, RecoveryKeyTypo
        ):
            self.secret.clear()
        self.secret.setFocus()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.secret, self.unlock_button, self.switch_button):
            widget.setEnabled(not busy)
        if busy:
            self.busy.start("Unlocking. This takes a moment on purpose.")
        else:
            self.busy.stop()

    def _switch_mode(self) -> None:
        self.using_recovery_key = not self.using_recovery_key
        self.secret.clear()
        self.problem.clear_message()
        self._show_mode()
        self.secret.setFocus()

    def _show_mode(self) -> None:
        if self.using_recovery_key:
            self.field_label.setText("&Recovery key")
            self.secret.setAccessibleName("Recovery key")
            self.secret.setEchoMode(QLineEdit.EchoMode.Normal)
            self.secret.setFont(_monospace(self.font()))
            self.switch_button.setText("Use my &passphrase instead")
        else:
            self.field_label.setText("&Passphrase")
            self.secret.setAccessibleName("Passphrase")
            self.secret.setEchoMode(QLineEdit.EchoMode.Password)
            self.secret.setFont(self.font())
            self.switch_button.setText("Use my &recovery key instead")
        self.switch_button.setAccessibleName(self.switch_button.text().replace("&", ""))


def _monospace(font: QFont) -> QFont:
    """The same size as ``font`` (so it follows the text scale), in a fixed-width face."""
    fixed = QFont(font)
    fixed.setFamilies(["DejaVu Sans Mono", "Menlo", "Consolas", "monospace"])
    fixed.setStyleHint(QFont.StyleHint.Monospace)
    return fixed
