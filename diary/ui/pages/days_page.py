"""The list of the diary's days with their check-in summary."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from diary.domain.changes import Changes
from diary.services.diary_service import DiaryService
from diary.ui.models.days_model import NOTE_COLUMN, DaysModel
from diary.ui.widgets.form_parts import explanation_label

RESIZE_SAMPLE_ROWS = 200  # fit columns to the newest rows; thousands would slow the unlock
NOTE_WIDTH_IN_CHARACTERS = 36


class DaysPage(QWidget):
    title = "Days"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service: DiaryService | None = None
        self.model = DaysModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Days in the diary, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setHighlightSections(False)  # a selected row is not news
        self.table.horizontalHeader().setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
        self.empty_note = explanation_label(
            "Nothing is logged yet. Days appear here once something is recorded for them."
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.table)

    def open_session(self, service: DiaryService) -> None:
        self._service = service
        self.reload()
        row_height = round(self.fontMetrics().height() * 1.8)
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.resizeColumnsToContents()
        self._fit_note_column()
        if self.model.rowCount():  # the keyboard starts on the newest day, visibly
            self.table.selectRow(0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_note_column()

    def _fit_note_column(self) -> None:
        """The note takes the room left over, but never less than a readable excerpt;
        at large text sizes the table scrolls sideways instead."""
        others = sum(
            self.table.columnWidth(c) for c in range(self.model.columnCount()) if c != NOTE_COLUMN
        )
        spare = self.table.viewport().width() - others
        readable = self.fontMetrics().averageCharWidth() * NOTE_WIDTH_IN_CHARACTERS
        self.table.setColumnWidth(NOTE_COLUMN, max(spare, readable))

    def close_session(self) -> None:
        self._service = None
        self.model.clear()
        self.empty_note.hide()

    def on_changed(self, changes: Changes) -> None:
        if changes.checkins or changes.doses or changes.holds or changes.events:
            self.reload()

    def reload(self) -> None:
        if self._service is None:
            return
        self.model.set_days(self._service.day_summaries())
        self.empty_note.setVisible(self.model.rowCount() == 0)
