"""A row of large segmented buttons for a rating: symptoms 0-4 with their words, wellbeing 0-10.

The row is one keyboard stop: digits set the value, Left/Right change it, Up/Down move to the
previous/next row, Delete or Backspace clear it. Clicking the selected button again clears it
too. "Not rated" is its own state (no button selected and a quiet mark), never shown as 0.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from diary.domain.models import SEVERITY_WORDS

NOT_RATED = "not rated"
TWO_DIGIT_PAUSE_S = 0.8  # "1" then "0" within this pause means 10 on a 0-10 scale

_DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}
_CLEAR_KEYS = {Qt.Key.Key_Delete, Qt.Key.Key_Backspace}


class ScaleRow(QFrame):
    """``name`` rated on ``len(captions)`` steps from 0; ``value`` is None when not rated."""

    rated = Signal(str, object)  # name, new value (int) or None when cleared by the user

    def __init__(
        self,
        name: str,
        captions: Sequence[str],
        accessible_words: Sequence[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self._value: int | None = None
        self._words = list(accessible_words or captions)
        self._last_digit: tuple[int, float] | None = None
        self.setProperty("role", "scale-row")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self.label = QLabel(name)
        self.label.setWordWrap(True)
        self.buttons: list[QPushButton] = []
        for value, caption in enumerate(captions):
            button = QPushButton(caption)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the row is the keyboard stop
            button.setAccessibleName(f"{name}: {value} {self._words[value]}".strip())
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, v=value: self._clicked(v))
            self.buttons.append(button)
        self.unrated_mark = QLabel(NOT_RATED)
        self.unrated_mark.setProperty("role", "explanation")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.label, 3)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        for button in self.buttons:
            buttons.addWidget(button)
        layout.addLayout(buttons, 2 + len(self.buttons))
        layout.addWidget(self.unrated_mark, 1)
        self._show_value()

    # ---- the value ------------------------------------------------------------------
    @property
    def value(self) -> int | None:
        return self._value

    @property
    def maximum(self) -> int:
        return len(self.buttons) - 1

    def set_value(self, value: int | None) -> None:
        """Show ``value`` without announcing it (for loading a day)."""
        self._value = value
        self._show_value()

    def _choose(self, value: int | None) -> None:
        """A change by the user: show it and announce it."""
        if value == self._value:
            self._show_value()
            return
        self._value = value
        self._show_value()
        self.rated.emit(self.name, value)

    def _clicked(self, value: int) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._choose(None if value == self._value else value)

    def _show_value(self) -> None:
        for index, button in enumerate(self.buttons):
            button.setChecked(index == self._value)
        self.unrated_mark.setText(NOT_RATED if self._value is None else "")
        said = NOT_RATED if self._value is None else f"{self._value} {self._words[self._value]}"
        self.setAccessibleName(f"{self.name}: {said.strip()}")
        self.setToolTip(
            "Digits set the rating, Left and Right change it, Delete clears it, "
            "Up and Down move between rows."
        )

    # ---- keyboard ---------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = Qt.Key(event.key())
        if key in _DIGITS:
            self._digit(_DIGITS[key])
        elif key == Qt.Key.Key_Right:
            self._choose(0 if self._value is None else min(self._value + 1, self.maximum))
        elif key == Qt.Key.Key_Left:
            self._choose(0 if self._value is None else max(self._value - 1, 0))
        elif key in _CLEAR_KEYS:
            self._choose(None)
        elif key == Qt.Key.Key_Down:
            self.focusNextChild()
        elif key == Qt.Key.Key_Up:
            self.focusPreviousChild()
        else:
            super().keyPressEvent(event)

    def _digit(self, digit: int) -> None:
        now = time.monotonic()
        previous, self._last_digit = self._last_digit, (digit, now)
        if previous is not None and now - previous[1] < TWO_DIGIT_PAUSE_S:
            two_digits = previous[0] * 10 + digit
            if previous[0] != 0 and two_digits <= self.maximum:
                self._choose(two_digits)
                return
        if digit > self.maximum:
            return
        self._choose(digit)
        if self.maximum < 10:  # no second digit can follow: go on to the next row
            self.focusNextChild()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        self._last_digit = None
        super().focusInEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mousePressEvent(event)


def severity_row(symptom: str, parent: QWidget | None = None) -> ScaleRow:
    """A symptom rated 0-4, each button showing its number and word."""
    captions = [f"{n}\n{word}" for n, word in enumerate(SEVERITY_WORDS)]
    return ScaleRow(symptom, captions, SEVERITY_WORDS, parent)


def wellbeing_row(parent: QWidget | None = None) -> ScaleRow:
    """Wellbeing 0 (worst) to 10 (best); type 1 then 0 quickly for 10."""
    words = ["worst"] + [""] * 9 + ["best"]
    row = ScaleRow("Wellbeing", [str(n) for n in range(11)], words, parent)
    row.label.setText("Wellbeing\n(0 worst, 10 best)")
    return row
