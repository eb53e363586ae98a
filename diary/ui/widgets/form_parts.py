"""Pieces the create and unlock screens share: messages beside fields, a busy line,
and a centred column that keeps forms readable on wide windows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

COLUMN_WIDTH_IN_CHARACTERS = 90


class FieldMessage(QLabel):
    """A sentence under a field: a problem, a confirmation, or nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.clear_message()

    def show_problem(self, text: str) -> None:
        self._show(text, "problem")

    def show_fine(self, text: str) -> None:
        self._show(text, "fine")

    def show_note(self, text: str) -> None:
        self._show(text, "")

    def clear_message(self) -> None:
        self._show("", "")

    @property
    def tone(self) -> str:
        return str(self.property("tone") or "")

    def _show(self, text: str, tone: str) -> None:
        self.setText(text)
        self.setAccessibleDescription(text)
        self.setProperty("tone", tone)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(bool(text))


class BusyIndicator(QWidget):
    """An endless progress bar with a sentence; hidden when idle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = QLabel()
        self._bar = QProgressBar()
        self._bar.setRange(0, 0)
        self._bar.setTextVisible(False)
        self._bar.setAccessibleName("Working")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._label)
        layout.addWidget(self._bar)
        self.hide()

    def start(self, text: str) -> None:
        self._label.setText(text)
        self.show()

    def stop(self) -> None:
        self.hide()

    @property
    def text(self) -> str:
        return self._label.text()


def centred_column(content: QWidget) -> QScrollArea:
    """Wrap ``content`` so it sits in a column of readable width in the middle.

    At large text sizes or on small screens the column scrolls instead of being clipped.
    """
    char_width = content.fontMetrics().averageCharWidth()
    content.setMaximumWidth(char_width * COLUMN_WIDTH_IN_CHARACTERS)
    content.setMinimumWidth(char_width * COLUMN_WIDTH_IN_CHARACTERS // 2)
    inner = QWidget()
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(content, 4)
    row.addStretch(1)
    column = QVBoxLayout(inner)
    column.addStretch(1)
    column.addLayout(row)
    column.addStretch(2)
    scroller = QScrollArea()
    scroller.setWidget(inner)
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # it follows the focused field
    return scroller


def group_gap(content: QWidget) -> int:
    """Vertical room between groups of a form (a label with its field and message)."""
    return content.fontMetrics().height() // 2


def title_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "title")
    label.setWordWrap(True)
    return label


def explanation_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "explanation")
    label.setWordWrap(True)
    return label


def secret_field(accessible_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(accessible_name)
    return field


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A label whose &-shortcut (Alt+letter) moves the keyboard focus to ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
