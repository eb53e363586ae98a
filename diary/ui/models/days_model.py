"""The day list as a table model over ``DaySummary`` rows, newest first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from diary.domain.models import DaySummary
from diary.ui.formatting import (
    NOT_LOGGED,
    format_burden,
    format_date,
    format_doses,
    format_sleep,
    format_wellbeing,
    note_excerpt,
)

AnyIndex = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[DaySummary], str]
    alignment: Qt.AlignmentFlag
    spoken: Callable[[DaySummary], str] | None = None  # for screen readers, when text is a mark


def _doctor_mark(day: DaySummary) -> str:
    return "\N{BLACK STAR}" if day.for_doctor else ""


def _hold_mark(day: DaySummary) -> str:
    return "Hold" if day.in_hold else ""


COLUMNS: tuple[Column, ...] = (
    Column("Date", lambda d: format_date(d.date), LEFT),
    Column("Doses", format_doses, LEFT),
    Column("Symptom burden", format_burden, RIGHT),
    Column("Wellbeing", format_wellbeing, RIGHT),
    Column("Sleep", format_sleep, RIGHT),
    Column("Note", lambda d: note_excerpt(d.note), LEFT),
    Column(
        "For doctor",
        _doctor_mark,
        CENTRE,
        lambda d: "marked for the doctor" if d.for_doctor else "not marked",
    ),
    Column("Hold", _hold_mark, CENTRE, lambda d: "in a hold" if d.in_hold else "no hold"),
)
NOTE_COLUMN = next(i for i, column in enumerate(COLUMNS) if column.title == "Note")


class DaysModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._days: list[DaySummary] = []

    def set_days(self, days: Sequence[DaySummary]) -> None:
        self.beginResetModel()
        self._days = sorted(days, key=lambda day: day.date, reverse=True)
        self.endResetModel()

    def clear(self) -> None:
        self.set_days([])

    def day_at(self, row: int) -> DaySummary:
        return self._days[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._days)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._days):
            return None
        day = self._days[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(day)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment)
        if role == Qt.ItemDataRole.ToolTipRole and column.title == "Note" and day.note.strip():
            return day.note.strip()
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = column.spoken(day) if column.spoken else column.text(day)
            return "not logged" if text == NOT_LOGGED else text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole:  # titles line up with their values
            return int(COLUMNS[section].alignment)
        return None
