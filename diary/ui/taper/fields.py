"""Form pieces the Taper panels share: a number field that checks itself as you type, with
its message beside it, and the frame every panel sits in (title, explanation, buttons)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from diary.services.diary_service import DiaryService
from diary.ui.widgets.form_parts import FieldMessage, explanation_label, title_label

Check = Callable[[float], str | None]  # a problem in one plain sentence, or None


def save_on_return(
    form: QWidget, save: QPushButton, when_not_ready: Callable[[], None] | None = None
) -> None:
    """Return or Enter anywhere in ``form`` presses ``save``, as in a dialog.

    ``setDefault`` only works inside dialogs; these forms live in a page, so a shortcut
    scoped to the form does it. On a focused button, Return presses that button instead.
    When ``save`` is disabled nothing is saved and ``when_not_ready`` shows why.
    """

    def pressed() -> None:
        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton) and focused is not save:
            if focused.isEnabled():
                focused.click()
            return
        if save.isEnabled() and save.isVisible():
            save.click()
        elif when_not_ready is not None:
            when_not_ready()

    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        shortcut = QShortcut(QKeySequence(key), form)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(pressed)


def between(low: float, high: float, what: str) -> Check:
    """More than ``low`` and less than ``high`` (both excluded)."""

    def check(value: float) -> str | None:
        if not low < value < high:
            return f"The {what} must be more than {low:g} and less than {high:g}."
        return None

    return check


def above(low: float, what: str, unit: str = "") -> Check:
    def check(value: float) -> str | None:
        return None if value > low else f"The {what} must be more than {low:g}{unit}."

    return check


def at_least(low: float, what: str, unit: str = "") -> Check:
    def check(value: float) -> str | None:
        return None if value >= low else f"The {what} must be at least {low:g}{unit}."

    return check


class NumberField(QWidget):
    """A labelled number with its message underneath, checked on every keystroke.

    ``value`` is None while the text is empty or not acceptable; ``problem`` says why.
    A message appears only once the person has typed in the field (or ``reveal`` is called),
    so an untouched form is not covered in complaints.
    """

    changed = Signal()

    def __init__(
        self,
        label: str,
        what: str,
        check: Check | None = None,
        whole: bool = False,
        optional: bool = False,
        unit: str = "",
        example: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._what = what
        self._check = check
        self._whole = whole
        self._optional = optional
        self._revealed = False
        self.edit = QLineEdit()
        self.edit.setAccessibleName(what[:1].upper() + what[1:])
        if example:
            self.edit.setPlaceholderText(example)
        self.label = QLabel(label)
        self.label.setBuddy(self.edit)
        self.unit = QLabel(unit)
        self.message = FieldMessage()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        if unit:
            row.addWidget(self.unit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.edit.textChanged.connect(self._typed)
        self._problem: str | None = None
        self._value: float | None = None
        self._evaluate()

    @property
    def value(self) -> float | None:
        return self._value

    @property
    def problem(self) -> str | None:
        return self._problem

    @property
    def is_valid(self) -> bool:
        return self._problem is None

    def set_check(self, check: Check | None) -> None:
        self._check = check
        self._evaluate()

    def set_value(self, value: float | None) -> None:
        self.edit.setText("" if value is None else f"{value:g}")

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def clear(self) -> None:
        self._revealed = False
        self.edit.clear()
        self.message.clear_message()

    def reveal(self) -> None:
        self._revealed = True
        self._show()

    def show_problem(self, text: str) -> None:
        """A problem found elsewhere (e.g. by the service) about this field's value."""
        self._revealed = True
        self.message.show_problem(text)

    def _typed(self) -> None:
        self._revealed = True
        self._evaluate()
        self.changed.emit()

    def _evaluate(self) -> None:
        self._value, self._problem = self._parse(self.edit.text())
        self._show()

    def _show(self) -> None:
        if self._revealed and self._problem:
            self.message.show_problem(self._problem)
        else:
            self.message.clear_message()
        self.edit.setAccessibleDescription(self._problem or "")

    def _parse(self, text: str) -> tuple[float | None, str | None]:
        text = text.strip().replace(",", ".")
        if not text:
            return None, None if self._optional else f"Enter the {self._what}."
        try:
            number = float(text)
        except ValueError:
            return None, f'"{text}" is not a number; enter the {self._what} in digits, like 10.'
        if not math.isfinite(number):
            return None, f"Enter the {self._what} as an ordinary number."
        if self._whole and number != int(number):
            return None, f"The {self._what} must be a whole number."
        problem = self._check(number) if self._check is not None else None
        return (None, problem) if problem else (number, None)


def date_field(accessible_name: str) -> QDateEdit:
    field = QDateEdit()
    field.setCalendarPopup(True)
    field.setDisplayFormat("yyyy-MM-dd")
    field.setAccessibleName(accessible_name)
    return field


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class Panel(QFrame):
    """The frame of one action: a title, what it does, its form, and the buttons at the end.

    ``confirm_button`` does the action; Close hides the panel (nothing is lost: nothing was
    saved until the confirm button).
    """

    closed = Signal()

    def __init__(self, title: str, explanation: str, confirm_text: str) -> None:
        super().__init__()
        self.setProperty("role", "section")
        self.setAccessibleName(title)
        self.title = title_label(title)
        self.explanation = explanation_label(explanation)
        self.form = QVBoxLayout()
        form_row = QHBoxLayout()  # fields stay a readable width; tables below use the room
        form_row.addLayout(self.form, 3)
        form_row.addStretch(2)
        self.below = QVBoxLayout()  # wide content under the form: previews, tables
        self.confirm_button = QPushButton(confirm_text)
        self.confirm_button.setProperty("role", "primary")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName(f"Close {title.lower()}")
        self.close_button.clicked.connect(self.closed)
        self.result_message = FieldMessage()
        save_on_return(self, self.confirm_button, self.explain_not_ready)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addLayout(form_row)
        layout.addLayout(self.below)
        layout.addWidget(self.result_message)
        layout.addLayout(buttons)

    def explain_not_ready(self) -> None:
        """Return was pressed while the action cannot be done yet; the panel's own line of
        what is missing is already shown beside the fields."""

    def first_field(self) -> QWidget:
        """Where the keyboard goes when the panel opens."""
        return self.confirm_button

    def load(self, service: DiaryService, today: dt.date) -> None:
        """Fill the panel from the diary as it is on ``today``, just before it is shown."""
        raise NotImplementedError

    def clear(self) -> None:
        """Forget everything shown or typed (the diary is locking)."""
        raise NotImplementedError
