"""Show the recovery key once, let the user copy or print it, and confirm it was kept."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from diary.ui.dialogs import Dialogs
from diary.ui.widgets.form_parts import (
    FieldMessage,
    buddy_label,
    centred_column,
    explanation_label,
    group_gap,
    title_label,
)

GROUPS_PER_LINE = 4
KEPT_IT = "I have written down or printed my recovery key"
WHY = (
    "This key opens your diary if you ever forget your passphrase. It is shown only this "
    "once. Write it down or print it, and keep it somewhere safe away from this computer: "
    "anyone with this key and your diary file can read the diary."
)


def key_groups(recovery_key: str) -> list[str]:
    return [group for group in re.split(r"[\s-]+", recovery_key.strip()) if group]


def key_for_display(recovery_key: str) -> str:
    groups = key_groups(recovery_key)
    lines = [groups[i : i + GROUPS_PER_LINE] for i in range(0, len(groups), GROUPS_PER_LINE)]
    return "\n".join("  ".join(line) for line in lines)


def printable_page(recovery_key: str) -> str:
    key_html = html.escape(key_for_display(recovery_key)).replace("\n", "<br>")
    return (
        "<h1>Taper Diary recovery key</h1>"
        f'<p style="font-family: monospace; font-size: 20pt">{key_html}</p>'
        f"<p>{html.escape(WHY)}</p>"
    )


class RecoveryKeyScreen(QWidget):
    kept = Signal()  # the user confirmed the key is kept; the diary can open

    def __init__(self, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        self._recovery_key = ""

        self.key_label = QLabel()
        self.key_label.setProperty("role", "recovery-key")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAccessibleName("Recovery key")
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setAccessibleName("Copy the recovery key")
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the recovery key")
        self.copy_note = FieldMessage()
        self.kept_box = QCheckBox(KEPT_IT)
        self.last_group = QLineEdit()
        self.last_group.setAccessibleName("Last group of the recovery key")
        self.check_message = FieldMessage()
        self.continue_button = QPushButton("Open my diary")
        self.continue_button.setDefault(True)
        self.continue_button.setAccessibleName("Open my diary")

        self.copy_button.clicked.connect(self._copy)
        self.print_button.clicked.connect(self._print)
        self.kept_box.toggled.connect(self._update_continue)
        self.last_group.textChanged.connect(self._update_continue)
        self.last_group.returnPressed.connect(self._continue)
        self.continue_button.clicked.connect(self._continue)
        self._build_layout()

    def _build_layout(self) -> None:
        form = QWidget()
        layout = QVBoxLayout(form)
        layout.addWidget(title_label("Your recovery key"))
        layout.addWidget(explanation_label(WHY))
        layout.addWidget(self.key_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.copy_note)
        layout.addSpacing(group_gap(form))
        layout.addWidget(self.kept_box)
        layout.addSpacing(group_gap(form))
        layout.addWidget(buddy_label("To check, type the &last group of the key:", self.last_group))
        layout.addWidget(self.last_group)
        layout.addWidget(self.check_message)
        layout.addSpacing(group_gap(form))
        layout.addWidget(self.continue_button)
        outer = QVBoxLayout(self)
        outer.addWidget(centred_column(form))

    def show_key(self, recovery_key: str) -> None:
        self._recovery_key = recovery_key
        self.key_label.setText(key_for_display(recovery_key))
        self.kept_box.setChecked(False)
        self.last_group.clear()
        self.copy_note.clear_message()
        self.check_message.clear_message()
        self._update_continue()
        self.copy_button.setFocus()

    def forget_key(self) -> None:
        self._recovery_key = ""
        self.key_label.clear()
        self.last_group.clear()

    def last_group_matches(self) -> bool:
        groups = key_groups(self._recovery_key)
        typed = self.last_group.text().strip().replace(" ", "").upper()
        return bool(groups) and typed == groups[-1].upper()

    def _update_continue(self) -> None:
        ready = self.kept_box.isChecked() and self.last_group_matches()
        self.continue_button.setEnabled(ready)
        if self.last_group.text() and self.last_group_matches():
            self.check_message.show_fine("That matches the last group.")
        else:
            self.check_message.clear_message()

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self._recovery_key)
        self.copy_note.show_note(
            "Copied. Paste it somewhere safe, then copy something else so it leaves the clipboard."
        )

    def _print(self) -> None:
        page = printable_page(self._recovery_key)
        if self._dialogs.print_html(self, "Taper Diary recovery key", page):
            self.copy_note.show_note("Sent to the printer.")

    def _continue(self) -> None:
        if not self.kept_box.isChecked():
            self.check_message.show_problem("Please tick the box once your key is kept safe.")
            self.kept_box.setFocus()
            return
        if not self.last_group_matches():
            self.check_message.show_problem(
                "That is not the last group of the key shown above; please check and retype it."
            )
            self.last_group.setFocus()
            return
        self.forget_key()
        self.kept.emit()
