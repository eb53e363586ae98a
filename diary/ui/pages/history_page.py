"""The History page: every day of the diary as a table, to search, filter, open and delete.

It reads through the service, changes the diary only through ``mutate`` (which the window
provides), and never calls another page: opening a day is the ``open_day`` signal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QDate, QEvent, QObject, QSignalBlocker, Qt, QTime, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from diary.domain.changes import Changes
from diary.domain.validation import describe_date
from diary.services.diary_service import DiaryService
from diary.ui.dialogs import Dialogs
from diary.ui.models.history_model import (
    COLUMNS,
    MARKS_COLUMN,
    NOTE_COLUMN,
    Criteria,
    HistoryFilter,
    HistoryModel,
    HistoryRow,
    load_history,
)
from diary.ui.widgets.form_parts import FieldMessage, buddy_label, explanation_label
from diary.ui.widgets.save_state import NotSavedBanner, run_change

Action = Callable[[DiaryService], Changes]
Mutate = Callable[[Action], Changes | None]

RESIZE_SAMPLE_ROWS = 200  # fit columns to the newest rows; thousands would slow the unlock
NOTE_WIDTH_IN_CHARACTERS = 36
MARKS_WIDTH_IN_CHARACTERS = 24  # "Crossover · Hold starts" fits
ROW_HEIGHT_IN_LINES = 1.8
EARLIEST_DATE = QDate(1900, 1, 1)
LATEST_DATE = QDate(2100, 12, 31)


class Span(Enum):
    """The choices of the "Show" list: a number of days up to today, all, or chosen dates."""

    LAST_30 = ("The last 30 days", 30)
    LAST_90 = ("The last 90 days", 90)
    LAST_YEAR = ("The last year", 365)
    ALL = ("All days", None)
    CHOSEN = ("Dates I choose", None)

    def __init__(self, label: str, days: int | None) -> None:
        self.label = label
        self.days = days


def deletion_question(row: HistoryRow) -> str:
    """Says exactly what deleting ``row``'s day removes, and what it leaves alone."""
    when = f"{row.date:%A} {describe_date(row.date)}"
    return (
        f"Delete everything logged on {when}?\n\n"
        f"This removes {_what_is_logged(row)}.\n\n"
        "The regimen, holds and plans stay as they are. "
        "Undo (Ctrl+Z) brings the day back."
    )


def _what_is_logged(row: HistoryRow) -> str:
    summary = row.summary
    if summary is None:
        return "nothing"
    checkin = []
    if summary.rated_symptoms:
        n = summary.rated_symptoms
        checkin.append(f"{n} symptom rating{'s' if n != 1 else ''}")
    if summary.wellbeing is not None:
        checkin.append("wellbeing")
    if summary.sleep_hours is not None:
        checkin.append("hours slept")
    if summary.note.strip():
        checkin.append("the note")
    if summary.for_doctor:
        checkin.append("the mark for your doctor")
    parts = [f"the check-in ({', '.join(checkin)})"] if checkin else []
    if summary.dose_count:
        n = summary.dose_count
        parts.append(f"{n} recorded dose{'s' if n != 1 else ''}")
    if summary.events:
        n = len(summary.events)
        parts.append(f"{n} event{'s' if n != 1 else ''} ({'; '.join(summary.events)})")
    if not parts:
        return "the day's entry"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


class HistoryPage(QWidget):
    title = "History"
    open_day = Signal(object)  # dt.date: the day to open in the Today page

    def __init__(
        self,
        mutate: Mutate,
        dialogs: Dialogs,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._mutate = mutate
        self._dialogs = dialogs
        self._today = today
        self._service: DiaryService | None = None
        self._retry_action: Callable[[], None] | None = None  # re-runs a change not saved
        self.model = HistoryModel()
        self.days = HistoryFilter(self.model)
        self._build_filters()
        self._build_table()
        self._build_actions()
        self._lay_out()
        self._connect()
        self._set_span(Span.ALL)

    # ---- building -------------------------------------------------------------------
    def _build_filters(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Words in a day's note or event")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the notes")
        self.search_label = buddy_label("Search &notes (Ctrl+F)", self.search)
        self.for_doctor_only = QCheckBox("Only days marked for &my doctor")
        self.span = QComboBox()
        for span in Span:
            self.span.addItem(span.label, span)
        self.span.setAccessibleName("Which days to show")
        self.start = self._date_field("From")
        self.end = self._date_field("To")
        self.range_message = FieldMessage()
        self.shown_count = QLabel()
        self.shown_count.setAccessibleName("How many days are shown")
        self.saved = QLabel()
        self.saved.setProperty("role", "explanation")
        self.saved.setAccessibleName("Save status")
        self.banner = NotSavedBanner()
        self.empty_note = explanation_label(
            "Nothing is logged yet. Days appear here once something is recorded for them."
        )
        self.empty_note.hide()

    @staticmethod
    def _date_field(name: str) -> QDateEdit:
        field = QDateEdit()
        field.setCalendarPopup(True)
        field.setDisplayFormat("yyyy-MM-dd")
        field.setDateRange(EARLIEST_DATE, LATEST_DATE)
        field.setAccessibleName(f"{name} date")
        return field

    def _build_table(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.days)
        self.table.setAccessibleName("Days in the diary")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # arrows move among days; Tab leaves the table
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
        self.table.installEventFilter(self)
        self.table.viewport().installEventFilter(self)  # a scroll bar appearing narrows it
        self.open_button = QPushButton("&Open in Today")
        self.open_button.setAccessibleName("Open the chosen day in the Today page")
        self.delete_button = QPushButton("Delete this day\N{HORIZONTAL ELLIPSIS}")
        self.delete_button.setAccessibleName("Delete everything logged on the chosen day")

    def _build_actions(self) -> None:
        self.find_action = QAction("Search the notes", self)
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.find_action)

    def _lay_out(self) -> None:
        # The theme sizes line edits for easy targets; the other fields follow them.
        for field in (self.span, self.start, self.end):
            field.setMinimumHeight(self.search.sizeHint().height())
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search, 1)
        search_row.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        search_row.addWidget(self.for_doctor_only)
        range_row = QHBoxLayout()
        for text, field in (("&Show", self.span), ("&From", self.start), ("&To", self.end)):
            label = buddy_label(text, field)
            # kerned "To" measures narrower than it draws; a little room keeps it whole
            plain = text.replace("&", "")
            metrics = label.fontMetrics()
            label.setMinimumWidth(metrics.horizontalAdvance(plain) + metrics.averageCharWidth())
            range_row.addWidget(label)
            range_row.addWidget(field)
        range_row.addWidget(self.range_message, 1)
        range_row.addStretch(0)
        count_row = QHBoxLayout()
        count_row.addWidget(self.shown_count, 1)
        count_row.addWidget(self.saved)
        button_row = QHBoxLayout()
        button_row.addWidget(self.open_button)
        button_row.addWidget(self.delete_button)
        button_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(range_row)
        layout.addLayout(count_row)
        layout.addWidget(self.banner)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.table, 1)
        layout.addLayout(button_row)
        order = [
            self.search,
            self.for_doctor_only,
            self.span,
            self.start,
            self.end,
            self.banner.retry_button,
            self.table,
            self.open_button,
            self.delete_button,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._apply_filters)
        self.for_doctor_only.toggled.connect(self._apply_filters)
        self.span.activated.connect(lambda _index: self._set_span(self.span.currentData()))
        self.start.dateChanged.connect(self._dates_edited)
        self.end.dateChanged.connect(self._dates_edited)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.days.modelReset.connect(self._update_buttons)
        self.days.layoutChanged.connect(self._update_buttons)
        self.days.rowsInserted.connect(self._update_buttons)
        self.days.rowsRemoved.connect(self._update_buttons)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.banner.retry_requested.connect(self._retry)

    # ---- the page protocol ----------------------------------------------------------
    def open_session(self, service: DiaryService) -> None:
        self._service = service
        self.reload()
        self.table.verticalHeader().setDefaultSectionSize(
            round(self.fontMetrics().height() * ROW_HEIGHT_IN_LINES)
        )
        self.table.resizeColumnsToContents()
        self._fit_columns()
        if self.days.rowCount():
            self.table.selectRow(0)

    def close_session(self) -> None:
        """Forget the diary: an empty table, no search words, no messages."""
        self._service = None
        self._retry_action = None
        self.model.clear()
        with QSignalBlocker(self.search):
            self.search.clear()
        self._apply_filters()
        self.banner.hide()
        self.saved.clear()
        self.empty_note.hide()

    def on_changed(self, changes: Changes) -> None:
        if (
            changes.checkins
            or changes.doses
            or changes.holds
            or changes.events
            or changes.regimen
            or changes.medications
            or changes.settings
        ):
            self.reload()

    def reload(self) -> None:
        if self._service is None:
            return
        chosen = self.selected_row()
        chosen_at = self.table.currentIndex().row()
        self.model.set_data(load_history(self._service))
        self.empty_note.setVisible(self.model.rowCount() == 0)
        self._set_span(self.span.currentData())  # "the last 30 days" may now end elsewhere
        self._reselect(chosen.date if chosen else None, chosen_at)

    def focus_first_field(self) -> None:
        """The table, on the chosen day: arrows move, Enter opens, Delete deletes."""
        self.table.setFocus()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ---- the chosen day -------------------------------------------------------------
    def selected_row(self) -> HistoryRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.days.row_at(rows[0].row()) if rows else None

    def select_day(self, day: dt.date) -> bool:
        row = self.days.row_of(day)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.days.index(row, 0))
        return True

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_day.emit(row.date)

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None or not row.logged:
            return
        question = deletion_question(row)
        if not self._dialogs.confirm(self, "Delete a day", question, "Delete this day"):
            return
        day = row.date
        self._change(
            lambda service: service.delete_day(day),
            done=f"Deleted {describe_date(day)}",
            what_stays=f"{describe_date(day)} is still in your diary.",
        )

    def _reselect(self, day: dt.date | None, fallback_row: int) -> None:
        if day is not None and self.select_day(day):
            return
        if self.days.rowCount() and fallback_row >= 0:
            self.table.selectRow(min(fallback_row, self.days.rowCount() - 1))

    # ---- changing the diary ---------------------------------------------------------
    def _change(self, action: Action, done: str, what_stays: str) -> None:
        """Run ``action`` through the window; say "saved" quietly, or "NOT saved" loudly."""
        changes, failure = run_change(self._mutate, action)
        if failure is not None:
            self._retry_action = lambda: self._change(action, done, what_stays)
            self.saved.clear()
            self.banner.show_failure(failure.message, what_stays)
            self.banner.retry_button.setFocus()
            return
        if changes is not None:
            self._retry_action = None
            self.banner.hide()
            self.saved.setText(
                f"{done} \N{MIDDLE DOT} saved at {QTime.currentTime().toString('HH:mm')}"
            )
            self.table.setFocus()

    def _retry(self) -> None:
        if self._retry_action is not None:
            self._retry_action()

    # ---- filters --------------------------------------------------------------------
    def _set_span(self, span: Span) -> None:
        """Put the span's dates in the From and To fields and show those days."""
        with QSignalBlocker(self.span):
            self.span.setCurrentIndex(self.span.findData(span))
        if span is Span.CHOSEN:
            self._apply_filters()
            return
        first, last = self._span_dates(span)
        with QSignalBlocker(self.start), QSignalBlocker(self.end):
            self.start.setDate(QDate(first.year, first.month, first.day))
            self.end.setDate(QDate(last.year, last.month, last.day))
        self._apply_filters()

    def _span_dates(self, span: Span) -> tuple[dt.date, dt.date]:
        today = self._today()
        if span.days is not None:
            return today - dt.timedelta(days=span.days - 1), today
        dates = self.model.dates()
        return min(dates, default=today), max([*dates, today])

    def _dates_edited(self) -> None:
        with QSignalBlocker(self.span):
            self.span.setCurrentIndex(self.span.findData(Span.CHOSEN))
        self._apply_filters()

    def _criteria(self) -> Criteria | None:
        start, end = self.start.date().toPython(), self.end.date().toPython()
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        if start > end:
            return None
        everything = self.span.currentData() is Span.ALL
        return Criteria(
            start=None if everything else start,
            end=None if everything else end,
            for_doctor_only=self.for_doctor_only.isChecked(),
            search=self.search.text(),
        )

    def _apply_filters(self) -> None:
        criteria = self._criteria()
        if criteria is None:
            self.range_message.show_problem("The From date is after the To date.")
            self.days.set_criteria(Criteria(start=dt.date.max, end=dt.date.min))
        else:
            self.range_message.clear_message()
            self.days.set_criteria(criteria)
        self._show_count()
        self._update_buttons()

    def _show_count(self) -> None:
        shown, total = self.days.rowCount(), self.model.rowCount()
        text = f"{shown:,} of {total:,} days shown"
        if total and not shown:
            text += ": no day matches the search and the filters"
        if self.model.table_title:
            text += f" \N{MIDDLE DOT} DZ-eq by the {self.model.table_title} table"
        self.shown_count.setText(text)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.open_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None and row.logged)
        self.delete_button.setToolTip(
            ""
            if row is None or row.logged
            else "Nothing is logged on this day; it is listed for its marks."
        )

    # ---- keys and size --------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_selected()
                return True
            if event.key() == Qt.Key.Key_Delete:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Marks get room for two words; the note takes what is left, but never less than a
        readable excerpt (at large text sizes the table scrolls sideways instead)."""
        char_width = self.fontMetrics().averageCharWidth()
        marks = max(self.table.columnWidth(MARKS_COLUMN), char_width * MARKS_WIDTH_IN_CHARACTERS)
        self.table.setColumnWidth(MARKS_COLUMN, marks)
        others = sum(self.table.columnWidth(c) for c in range(len(COLUMNS)) if c != NOTE_COLUMN)
        spare = self.table.viewport().width() - others
        self.table.setColumnWidth(NOTE_COLUMN, max(spare, char_width * NOTE_WIDTH_IN_CHARACTERS))
