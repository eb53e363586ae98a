"""Security: how soon the diary locks by itself, the passphrase, and the recovery key.

Auto-lock is a preference of this computer (QSettings, the key the window reads); the page
emits ``auto_lock_changed`` so the window re-arms its timer. The passphrase and keys live in
the diary file: a new recovery key re-encrypts the diary and its backups so the old key opens
nothing; "my passphrase may be known" does the same with a new passphrase too. A new key is
shown once, here, with Copy and Print, until the person confirms it is kept.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from diary.domain.changes import Changes
from diary.services.diary_service import DiaryService
from diary.ui.auto_lock import IDLE_MINUTES_KEY, idle_timeout_ms
from diary.ui.dialogs import Dialogs
from diary.ui.passphrase_strength import strength_hint
from diary.ui.screens.recovery_key_screen import RecoveryKeyScreen
from diary.ui.settings.section import Save, Section, narrow, subheading
from diary.ui.widgets.form_parts import (
    FieldMessage,
    buddy_label,
    explanation_label,
    secret_field,
)

MAX_AUTO_LOCK_MINUTES = 24 * 60
NEW_KEY_WHY = (
    "A new recovery key replaces the one you have: the old key stops opening the diary and its "
    "backups at once. Your passphrase stays the same."
)
KNOWN_WHY = (
    "If someone may have seen or guessed your passphrase, this changes every key: the diary "
    "and all its backups are encrypted again, and neither the old passphrase nor the old "
    "recovery key opens them any more. You get a new recovery key to keep."
)


class PassphrasePair(QWidget):
    """A new passphrase typed twice, with its strength and whether the two match."""

    changed = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = secret_field(f"New passphrase ({what})")
        self.second = secret_field(f"New passphrase again ({what})")
        self.strength = FieldMessage()
        self.match = FieldMessage()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(buddy_label("New passphrase:", self.first))
        layout.addWidget(self.first)
        layout.addWidget(self.strength)
        layout.addWidget(buddy_label("The new passphrase again:", self.second))
        layout.addWidget(self.second)
        layout.addWidget(self.match)
        for field in (self.first, self.second):
            field.textChanged.connect(self._check)

    @property
    def passphrase(self) -> str | None:
        """The new passphrase once typed twice alike and not blank."""
        first = self.first.text()
        return first if first.strip() and first == self.second.text() else None

    def clear(self) -> None:
        self.first.clear()
        self.second.clear()
        self.strength.clear_message()
        self.match.clear_message()

    def _check(self) -> None:
        first, second = self.first.text(), self.second.text()
        if first.strip():
            self.strength.show_note(strength_hint(first))
        elif first:
            self.strength.show_problem("The passphrase cannot be only spaces.")
        else:
            self.strength.clear_message()
        if second and second != first:
            self.match.show_problem("The two passphrases are not the same yet.")
        elif second and first.strip():
            self.match.show_fine("The two passphrases match.")
        else:
            self.match.clear_message()
        self.changed.emit()


def group(title: str, explanation: str = "") -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "group")
    frame.setAccessibleName(title)
    layout = QVBoxLayout(frame)
    layout.addWidget(subheading(title))
    if explanation:
        layout.addWidget(explanation_label(explanation))
    return frame, layout


class SecuritySection(Section):
    title = "Security"
    explanation = (
        "Your diary is encrypted with your passphrase; the recovery key opens it if the "
        "passphrase is forgotten. Nobody, including us, can open it without one of them."
    )
    auto_lock_changed = Signal(object)  # the idle delay in ms, or None for never
    # True while a new recovery key is on show and not yet confirmed kept: auto-lock waits,
    # because the old key already stopped working and this is the only showing of the new one
    secret_showing = Signal(bool)

    def __init__(
        self, save: Save, dialogs: Dialogs, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(save, parent)
        self._dialogs = dialogs
        self._settings = settings
        self._loading = False

        lock_group, lock_layout = group(
            "Lock by itself",
            "After this many minutes without a key press or mouse move, the diary locks and "
            "every page is cleared. Everything is saved already, so nothing is lost.",
        )
        self.auto_lock = QSpinBox()
        self.auto_lock.setRange(0, MAX_AUTO_LOCK_MINUTES)
        self.auto_lock.setSuffix(" minutes")
        self.auto_lock.setSpecialValueText("Never (0)")
        self.auto_lock.setAccessibleName("Lock by itself after this many minutes; 0 for never")
        self.auto_lock.valueChanged.connect(self._auto_lock_chosen)
        self.auto_lock_message = FieldMessage()
        lock_layout.addWidget(buddy_label("&Minutes without input:", self.auto_lock))
        spin_row = QHBoxLayout()
        spin_row.addWidget(narrow(self.auto_lock, 36), 1)
        spin_row.addStretch(0)
        lock_layout.addLayout(spin_row)
        lock_layout.addWidget(self.auto_lock_message)

        pass_group, pass_layout = group(
            "Change the passphrase",
            "The diary is unlocked, so only the new passphrase is asked for. The recovery key "
            "stays the same.",
        )
        self.new_pair = PassphrasePair("change")
        self.new_pair.first.setAccessibleName("New passphrase")
        self.change_button = QPushButton("Change the &passphrase")
        self.change_button.setProperty("role", "primary")
        self.change_button.clicked.connect(self.change_passphrase)
        self.new_pair.changed.connect(self._update_buttons)
        self.new_pair.second.returnPressed.connect(self.change_passphrase)
        self.change_message = FieldMessage()
        pass_layout.addWidget(self.new_pair)
        pass_layout.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignLeft)
        pass_layout.addWidget(self.change_message)

        key_group, key_layout = group("A new recovery key", NEW_KEY_WHY)
        self.new_key_button = QPushButton("Create a new &recovery key…")
        self.new_key_button.setAccessibleName("Create a new recovery key")
        self.new_key_button.clicked.connect(self.create_recovery_key)
        key_layout.addWidget(self.new_key_button, 0, Qt.AlignmentFlag.AlignLeft)

        known_group, known_layout = group("My passphrase may be known", KNOWN_WHY)
        self.known_pair = PassphrasePair("new keys")
        self.rotate_button = QPushButton("Change &all keys…")
        self.rotate_button.setAccessibleName("Change all keys and the passphrase")
        self.rotate_button.clicked.connect(self.rotate_keys)
        self.known_pair.changed.connect(self._update_buttons)
        known_layout.addWidget(self.known_pair)
        known_layout.addWidget(self.rotate_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.key_message = FieldMessage()
        self.key_screen = RecoveryKeyScreen(dialogs)
        self.key_screen.setAccessibleName("Your new recovery key")
        self.key_screen.continue_button.setText("&Done: I have kept it")
        self.key_screen.continue_button.setAccessibleName("Done, the new recovery key is kept")
        self.key_screen.setMinimumHeight(self.fontMetrics().height() * 36)
        self.key_screen.kept.connect(self._key_kept)

        self.groups = [lock_group, pass_group, key_group, known_group]
        self.add_narrow(lock_group, 90)
        self.add_narrow(pass_group, 90)
        self.add_narrow(key_group, 90)
        self.add_narrow(known_group, 90)
        self.body.addWidget(self.key_message)
        self.add_narrow(self.key_screen, 110)
        self.clear()

    # ---- the section protocol -------------------------------------------------------
    def load(self, service: DiaryService) -> None:
        self._show_auto_lock()
        self._update_buttons()

    def clear(self) -> None:
        """Forget typed passphrases and any recovery key on show."""
        self.new_pair.clear()
        self.known_pair.clear()
        self.change_message.clear_message()
        self.key_message.clear_message()
        self.auto_lock_message.clear_message()
        self.key_screen.forget_key()
        self.key_screen.hide()
        self.secret_showing.emit(False)
        self._show_groups(True)
        self._show_auto_lock()
        self._update_buttons()

    def first_field(self) -> QWidget:
        return self.auto_lock

    # ---- auto-lock ------------------------------------------------------------------
    def _show_auto_lock(self) -> None:
        timeout = idle_timeout_ms(self._settings)
        minutes = 0 if timeout is None else round(timeout / 60_000)
        self._loading = True
        self.auto_lock.setValue(minutes)
        self._loading = False

    def _auto_lock_chosen(self, minutes: int) -> None:
        if self._loading:
            return
        self._settings.setValue(IDLE_MINUTES_KEY, minutes)
        self._settings.sync()
        if minutes == 0:
            self.auto_lock_message.show_note(
                "The diary now stays open until you lock it (Ctrl+L) or the screen locks."
            )
        else:
            self.auto_lock_message.clear_message()
        self.auto_lock_changed.emit(idle_timeout_ms(self._settings))

    # ---- passphrase and keys --------------------------------------------------------
    def change_passphrase(self) -> None:
        passphrase = self.new_pair.passphrase
        if passphrase is None:
            return

        def change(service: DiaryService) -> Changes:
            service.change_passphrase(passphrase)
            return Changes("change the passphrase")

        if self._busy(self.change_message, lambda: self._save(change)):
            self.new_pair.clear()
            self.change_message.show_fine(
                "Your passphrase is changed. Use the new one the next time you unlock."
            )

    def create_recovery_key(self) -> None:
        question = (
            "Create a new recovery key? The one you have now stops working at once, for the "
            "diary and its backups. The new key is shown once, to copy or print."
        )
        if not self._dialogs.confirm(self, "A new recovery key", question, "Create a new key"):
            return
        keys: list[str] = []

        def make(service: DiaryService) -> Changes:
            keys.append(service.new_recovery_key())
            return Changes("make a new recovery key")

        if self._busy(self.key_message, lambda: self._save(make)) and keys:
            self._show_key(keys[0], "Your new recovery key is below; the old one no longer works.")

    def rotate_keys(self) -> None:
        passphrase = self.known_pair.passphrase
        if passphrase is None:
            return
        question = (
            "Change every key and the passphrase? The old passphrase and the old recovery key "
            "stop opening the diary and its backups. A new recovery key is shown once."
        )
        if not self._dialogs.confirm(self, "Change all keys", question, "Change all keys"):
            return
        keys: list[str] = []

        def rotate(service: DiaryService) -> Changes:
            keys.append(service.rotate_keys(passphrase))
            return Changes("change the keys")

        if self._busy(self.key_message, lambda: self._save(rotate)) and keys:
            self.known_pair.clear()
            self._show_key(
                keys[0],
                "Every key is new. Use the new passphrase to unlock; the new recovery key is "
                "below, and the old passphrase and key no longer work.",
            )

    def _show_key(self, key: str, message: str) -> None:
        """The new key alone on the section until it is kept: one thing to do at a time."""
        self._show_groups(False)
        self.key_message.show_fine(message)
        self.key_screen.show_key(key)
        self.key_screen.show()
        self.key_screen.copy_button.setFocus()
        self.secret_showing.emit(True)

    def _key_kept(self) -> None:
        self.key_screen.hide()
        self.secret_showing.emit(False)
        self._show_groups(True)
        self.key_message.show_fine("Your new recovery key is kept. The old one no longer works.")
        self.new_key_button.setFocus()

    def _show_groups(self, shown: bool) -> None:
        for frame in self.groups:
            frame.setVisible(shown)

    def _busy(self, message: FieldMessage, work: Callable[[], bool]) -> bool:
        """New keys take a second or two (key derivation on purpose, and re-encrypting every
        backup): say so and show a busy pointer meanwhile."""
        message.show_note("Working: encrypting with the new keys takes a few seconds…")
        message.repaint()  # painted now: the work below holds the window until it is done
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        finally:
            QApplication.restoreOverrideCursor()
            if message.tone == "" and message.text().startswith("Working"):
                message.clear_message()

    def _update_buttons(self) -> None:
        self.change_button.setEnabled(self.new_pair.passphrase is not None)
        self.rotate_button.setEnabled(self.known_pair.passphrase is not None)
