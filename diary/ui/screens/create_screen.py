"""Create a new diary: passphrase twice, a strength hint, then key derivation on a worker."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPushButton, QVBoxLayout, QWidget

from diary.ui.diary_location import DiaryLocation
from diary.ui.errors import ErrorPresenter
from diary.ui.passphrase_strength import Strength, passphrase_strength, strength_hint
from diary.ui.widgets.form_parts import (
    BusyIndicator,
    FieldMessage,
    buddy_label,
    centred_column,
    explanation_label,
    group_gap,
    secret_field,
    title_label,
)
from diary.ui.workers import BackgroundTask

BLANK_PASSPHRASE = "Please choose a passphrase; it cannot be empty or only spaces."
ONLY_SPACES = "A passphrase cannot be only spaces."
MISMATCH = "The two passphrases do not match."
MATCH = "The two passphrases match."
NO_WAY_BACK = (
    "There is no way to open the diary without this passphrase or the recovery key "
    "you will see on the next screen. Nobody, including us, can recover it."
)


class CreateScreen(QWidget):
    created = Signal(object, str)  # the open DiaryService, the recovery key to show once

    def __init__(
        self, location: DiaryLocation, presenter: ErrorPresenter, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._location = location
        self._presenter = presenter
        self._task: BackgroundTask | None = None

        self.passphrase = secret_field("Passphrase")
        self.strength = FieldMessage()
        self.confirmation = secret_field("Passphrase again")
        self.match = FieldMessage()
        self.show_text = QCheckBox("Show what I type")
        self.problem = FieldMessage()
        self.create_button = QPushButton("Create diary")
        self.create_button.setDefault(True)
        self.create_button.setAccessibleName("Create diary")
        self.busy = BusyIndicator()

        self.passphrase.textChanged.connect(self._passphrase_edited)
        self.confirmation.textChanged.connect(self._confirmation_edited)
        self.passphrase.returnPressed.connect(self.confirmation.setFocus)
        self.confirmation.returnPressed.connect(self.submit)
        self.create_button.clicked.connect(self.submit)
        self.show_text.toggled.connect(self._show_text_toggled)
        self._build_layout()

    def _build_layout(self) -> None:
        form = QWidget()
        layout = QVBoxLayout(form)
        gap = group_gap(form)
        layout.addWidget(title_label("Create your diary"))
        layout.addWidget(
            explanation_label(
                "Your diary is encrypted on this computer. Choose a passphrase you can "
                "remember: several ordinary words in a row work well."
            )
        )
        layout.addSpacing(gap)
        layout.addWidget(buddy_label("&Passphrase", self.passphrase))
        layout.addWidget(self.passphrase)
        layout.addWidget(self.strength)
        layout.addSpacing(gap)
        layout.addWidget(buddy_label("Passphrase &again", self.confirmation))
        layout.addWidget(self.confirmation)
        layout.addWidget(self.match)
        layout.addWidget(self.show_text)
        layout.addSpacing(gap)
        layout.addWidget(explanation_label(NO_WAY_BACK))
        layout.addWidget(self.problem)
        layout.addWidget(self.create_button)
        layout.addWidget(self.busy)
        outer = QVBoxLayout(self)
        outer.addWidget(centred_column(form))

    def focus_first_field(self) -> None:
        self.passphrase.setFocus()

    def submit(self) -> None:
        if self._task is not None and self._task.running:
            return
        passphrase = self.passphrase.text()
        if not passphrase.strip():
            self.strength.show_problem(BLANK_PASSPHRASE)
            self.passphrase.setFocus()
            return
        if self.confirmation.text() != passphrase:
            self.match.show_problem(MISMATCH)
            self.confirmation.setFocus()
            return
        self._start_creating(passphrase)

    def _start_creating(self, passphrase: str) -> None:
        self.problem.clear_message()
        self._set_busy(True)
        location = self._location
        self._task = BackgroundTask(lambda: location.create(passphrase), self)
        self._task.succeeded.connect(self._created)
        self._task.failed.connect(self._failed)
        self._task.start()

    def _created(self, result: object) -> None:
        assert isinstance(result, tuple)
        service, recovery_key = result
        self._set_busy(False)
        self.passphrase.clear()
        self.confirmation.clear()
        self.created.emit(service, recovery_key)

    def _failed(self, error: object) -> None:
        self._set_busy(False)
        assert isinstance(error, Exception)
        self.problem.show_problem(self._presenter.message_for(error))

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.passphrase, self.confirmation, self.show_text, self.create_button):
            widget.setEnabled(not busy)
        if busy:
            self.busy.start("Creating your diary. This takes a few seconds on purpose.")
        else:
            self.busy.stop()

    def _passphrase_edited(self, text: str) -> None:
        if not text:
            self.strength.clear_message()
        elif not text.strip():
            self.strength.show_problem(ONLY_SPACES)
        elif passphrase_strength(text) is Strength.STRONG:
            self.strength.show_fine(strength_hint(text))
        else:
            self.strength.show_note(strength_hint(text))
        self._confirmation_edited(self.confirmation.text())

    def _confirmation_edited(self, confirmation: str) -> None:
        passphrase = self.passphrase.text()
        if not confirmation:
            self.match.clear_message()
        elif confirmation == passphrase:
            self.match.show_fine(MATCH)
        elif passphrase.startswith(confirmation):
            self.match.clear_message()  # still typing: no nagging yet
        else:
            self.match.show_problem(MISMATCH)

    def _show_text_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.passphrase.setEchoMode(mode)
        self.confirmation.setEchoMode(mode)
