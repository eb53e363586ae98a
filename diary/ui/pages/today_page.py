"""The Today page: one day's doses, symptoms, wellbeing, sleep, note and doctor flag.

Every change is saved at once through ``mutate`` (the window's one way to change the diary).
A save that fails puts up a banner saying the change is NOT saved, why, and offering Retry,
which runs the same changes again. The note saves when focus leaves it, after a short pause
in typing, and from ``save_pending`` (called before a lock or a change of day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QDateEdit,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from diary.domain.changes import Changes
from diary.domain.errors import ValidationError
from diary.domain.models import CheckIn, Dose, Medication, RegimenChange, RegimenDose
from diary.domain.validation import FUTURE_ALLOWANCE, MAX_SLEEP_HOURS, check_note, describe_date
from diary.services.diary_service import DiaryService
from diary.ui.widgets.dose_editor import DoseRow, ExtraDoseForm
from diary.ui.widgets.form_parts import FieldMessage, explanation_label, title_label
from diary.ui.widgets.save_state import ChangeSaver, NotSavedBanner, SavedIndicator
from diary.ui.widgets.severity_row import ScaleRow, severity_row, wellbeing_row

Action = Callable[[DiaryService], Changes]
Mutate = Callable[[Action], Changes | None]

NEXT = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"  # as in "Taper › Set regimen…"
SET_REGIMEN = "Set regimen\N{HORIZONTAL ELLIPSIS}"  # the Taper page's button
NOTE_PAUSE_MS = 1500  # the note saves after this long without typing
SLEEP_STEP = 0.25
SLEEP_UNSET = -SLEEP_STEP  # the spin box's lowest step reads "not logged"
TWO_COLUMNS_FROM_CHARS = 150  # narrower than this many characters: one column
SAME_AS_YESTERDAY_TIP = (
    "Copies yesterday's symptom ratings into the rows not yet rated for this day. "
    "Ratings already given for this day stay as they are. One step to undo."
)
STYLE = """
QFrame[role="scale-row"] { border: 3px solid transparent; border-radius: 6px; }
QFrame[role="scale-row"]:focus { border: 3px solid palette(link); }
QFrame[role="scale-row"] QPushButton { padding: 2px 4px; }
QFrame[role="scale-row"] QPushButton:checked {
    background: palette(highlight); color: palette(highlighted-text);
    border: 2px solid palette(link); font-weight: 600;
}
QFrame[role="section"] { border: 1px solid palette(mid); border-radius: 8px; }
QFrame[role="due-dose"] { border: 3px solid palette(link); border-radius: 8px; }
QPushButton[role="primary"] { font-weight: 600; border: 2px solid palette(link); }
QPushButton[role="primary"]:disabled { font-weight: normal; border: 1px solid palette(mid); }
/* the accent already outlines a primary button: its focus ring is the text colour */
QPushButton[role="primary"]:focus { border: 3px solid palette(text); }
QDateEdit, QTimeEdit, QDoubleSpinBox, QComboBox, QPlainTextEdit { padding: 4px; }
QDateEdit:focus, QTimeEdit:focus, QDoubleSpinBox:focus, QComboBox:focus,
QPlainTextEdit:focus { border: 3px solid palette(link); }
"""


def local_moment(day: dt.date, moment: dt.time) -> dt.datetime:
    """``moment`` on ``day`` in the computer's time zone, with that day's UTC offset."""
    return dt.datetime.combine(day, moment).astimezone()


def describe_day(day: dt.date, today: dt.date) -> str:
    names = {today: "Today", today - dt.timedelta(days=1): "Yesterday"}
    names[today + dt.timedelta(days=1)] = "Tomorrow"
    return f"{names.get(day, day.strftime('%A'))}, {day.day} {day:%B %Y}"


def labelled(label: str, action: Action) -> Action:
    """``action`` as one undo step named for what the person did ("rate Insomnia"): the
    service names every check-in change after its day only."""

    def run(service: DiaryService) -> Changes:
        with service.batch(label):
            changes = action(service)
        return replace(changes, label=label)

    return run


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def section(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "section")
    layout = QVBoxLayout(frame)
    layout.addWidget(title_label(title))
    return frame, layout


def clear_layout(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.deleteLater()


class NoteEdit(QPlainTextEdit):
    """A multi-line note that says when the keyboard leaves it."""

    focus_left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self.focus_left.emit()


class TodayPage(QWidget):
    title = "Today"

    def __init__(
        self,
        mutate: Mutate,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = dt.datetime.now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._now = now
        self._service: DiaryService | None = None
        self._day = today()
        self._loading = False
        self._stored_note = ""
        self._note_day: dt.date | None = None  # the day whose note the editor holds
        self._medications: dict[str, Medication] = {}
        self.symptom_rows: list[ScaleRow] = []
        self.dose_rows: list[DoseRow] = []
        self.not_taken_buttons: list[QPushButton] = []
        self._due_time: dt.time | None = None  # the dose a reminder asked for, shown apart
        self.due_take_button: QPushButton | None = None
        self._planned_buttons: list[QPushButton] = []  # in screen order, for the Tab key
        self.setStyleSheet(STYLE)

        self._build_day_bar()
        self.banner = NotSavedBanner()
        # Every change that fails waits for Retry; one refused shows what the diary holds.
        self._saver = ChangeSaver(
            mutate,
            self.banner,
            self.saved_indicator,
            now,
            after_retry=self._load_day,
            on_refused=self._load_day,
            keep_earlier=True,
            focus_retry=False,
        )
        self._save = self._saver.save
        self._build_doses()
        self._build_symptoms()
        self._build_day_values()

        content = QWidget()
        self._columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, content)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.doses_section)
        left.addWidget(self.symptoms_section)
        left.addStretch(1)
        right.addWidget(self.values_section)
        right.addStretch(1)
        self._columns.addLayout(left, 3)
        self._columns.addLayout(right, 2)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # it follows the focused field
        self.scroll.setWidget(content)

        layout = QVBoxLayout(self)
        layout.addLayout(self._day_bar)
        layout.addWidget(self.date_message)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroll, 1)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_PAUSE_MS)
        self._note_timer.timeout.connect(self.save_note)
        self.close_session()

    # ---- building -------------------------------------------------------------------
    def _build_day_bar(self) -> None:
        self.previous_button = QPushButton("\N{BLACK LEFT-POINTING TRIANGLE} &Previous day")
        self.next_button = QPushButton("&Next day \N{BLACK RIGHT-POINTING TRIANGLE}")
        self.today_button = QPushButton("&Today")
        self.date_field = QDateEdit()
        self.date_field.setCalendarPopup(True)
        self.date_field.setDisplayFormat("yyyy-MM-dd")
        self.date_field.setAccessibleName("Day shown")
        self.date_field.setKeyboardTracking(False)
        self.day_title = title_label("")
        self.saved_indicator = SavedIndicator()
        self.date_message = FieldMessage()
        bar = QHBoxLayout()
        for widget in (self.previous_button, self.date_field, self.next_button, self.today_button):
            bar.addWidget(widget)
        bar.addWidget(self.day_title, 1)
        bar.addWidget(self.saved_indicator)
        self._day_bar = bar
        self.previous_button.clicked.connect(lambda: self._step_day(-1))
        self.next_button.clicked.connect(lambda: self._step_day(1))
        self.today_button.clicked.connect(lambda: self.open_day(self._today()))
        self.date_field.dateChanged.connect(lambda value: self.open_day(to_date(value)))

    def _build_doses(self) -> None:
        self.doses_section, layout = section("Doses")
        self.regimen_label = explanation_label("")
        self.take_button = QPushButton("Taken as planned")
        self.take_button.setProperty("role", "primary")
        self.take_button.setAccessibleName("Record every planned dose as taken as planned")
        self.take_button.clicked.connect(self._take_as_planned)
        self.planned_list = QVBoxLayout()
        self.dose_list = QVBoxLayout()
        self.extra_form = ExtraDoseForm()
        self.extra_form.record_requested.connect(self._record_extra)
        layout.addWidget(self.regimen_label)
        layout.addWidget(self.take_button)
        layout.addLayout(self.planned_list)
        layout.addLayout(self.dose_list)
        layout.addWidget(explanation_label("Record an extra dose:"))
        layout.addWidget(self.extra_form)

    def _build_symptoms(self) -> None:
        self.symptoms_section, layout = section("Symptoms")
        self.same_as_yesterday_button = QPushButton("&Same as yesterday")
        self.same_as_yesterday_button.setToolTip(SAME_AS_YESTERDAY_TIP)
        self.same_as_yesterday_button.setAccessibleDescription(SAME_AS_YESTERDAY_TIP)
        self.same_as_yesterday_button.clicked.connect(self.same_as_yesterday)
        self.symptom_hint = explanation_label(
            "Type 0-4 on a row (0 none, 4 very severe); Left and Right change it; "
            "Delete clears it. Rows left alone stay not rated."
        )
        self.symptom_list = QVBoxLayout()
        self.symptom_list.setSpacing(2)
        layout.addWidget(self.symptom_hint)
        layout.addWidget(self.same_as_yesterday_button)
        layout.addLayout(self.symptom_list)

    def _build_day_values(self) -> None:
        self.values_section, layout = section("The day")
        self.wellbeing = wellbeing_row()
        self.wellbeing.rated.connect(self._wellbeing_rated)
        self.sleep = QDoubleSpinBox()
        self.sleep.setRange(SLEEP_UNSET, MAX_SLEEP_HOURS)
        self.sleep.setSingleStep(SLEEP_STEP)
        self.sleep.setDecimals(2)
        self.sleep.setSuffix(" h")
        self.sleep.setSpecialValueText("not logged")
        self.sleep.setKeyboardTracking(False)
        self.sleep.setAccessibleName("Hours slept")
        self.sleep.setToolTip("0 to 24 hours in quarter hours; step below 0 for not logged.")
        self.sleep.valueChanged.connect(self._sleep_changed)
        self.for_doctor = QCheckBox("Show this day to &my doctor")
        self.for_doctor.clicked.connect(self._for_doctor_clicked)
        self.note = NoteEdit()
        self.note.setAccessibleName("Note for the day")
        self.note.setPlaceholderText("Anything you want to remember about this day.")
        self.note.setTabChangesFocus(True)
        self.note.textChanged.connect(self._note_typed)
        self.note.focus_left.connect(self.save_note)
        self.note_message = FieldMessage()
        sleep_row = QHBoxLayout()
        sleep_label = QLabel("Hours s&lept")
        sleep_label.setBuddy(self.sleep)
        sleep_row.addWidget(sleep_label)
        sleep_row.addWidget(self.sleep)
        sleep_row.addStretch(1)
        note_label = QLabel("N&ote")
        note_label.setBuddy(self.note)
        layout.addWidget(self.wellbeing)
        layout.addLayout(sleep_row)
        layout.addWidget(note_label)
        layout.addWidget(self.note)
        layout.addWidget(self.note_message)
        layout.addWidget(self.for_doctor)

    # ---- the page protocol ----------------------------------------------------------
    def open_session(self, service: DiaryService) -> None:
        self._service = service
        self.setEnabled(True)
        self._day = self._today()
        self._load_day()

    def close_session(self) -> None:
        """Save a note still being typed, then forget the diary and clear every widget."""
        self.save_pending()
        self._service = None
        self._saver.forget()
        self._loading = True
        try:
            self.banner.hide()
            self.saved_indicator.clear()
            self.date_message.clear_message()
            self.day_title.clear()
            self.regimen_label.clear()
            self._set_symptom_rows([])
            self._due_time = None
            self._clear_doses()
            self.extra_form.set_medications([], dt.time(12))
            self.wellbeing.set_value(None)
            self.sleep.setValue(SLEEP_UNSET)
            self.for_doctor.setChecked(False)
            self.note.clear()
            self.note_message.clear_message()
            self._stored_note = ""
            self._note_day = None
        finally:
            self._loading = False
        self.setEnabled(False)

    def on_changed(self, changes: Changes) -> None:
        if self._service is None:
            return
        if changes.symptoms or changes.checkins:
            self._load_checkin()
        if changes.doses or changes.regimen or changes.medications:
            self._load_doses()

    def focus_first_field(self) -> None:
        """Where a check-in starts: "Taken as planned" if it can be pressed, else symptoms."""
        if self.due_take_button is not None:
            self.due_take_button.setFocus()
        elif self.take_button.isEnabled():
            self.take_button.setFocus()
        elif self.symptom_rows:
            self.symptom_rows[0].setFocus()

    @property
    def day(self) -> dt.date:
        return self._day

    def focus_planned_dose(self, planned_time: dt.time) -> None:
        """Set the shown day's dose at ``planned_time`` apart, with its own "Taken as planned"
        button holding the keyboard (a dose reminder was clicked). When that dose is already
        recorded, the check-in starts as usual."""
        self._due_time = planned_time
        self._load_doses()
        self.focus_first_field()

    def open_day(self, day: dt.date) -> None:
        """Show ``day`` (today, a past day or tomorrow); later days are refused."""
        latest = self._today() + FUTURE_ALLOWANCE
        if day > latest:
            self.date_message.show_problem(
                f"The diary can show days up to tomorrow, {latest.day} {latest:%B %Y}."
            )
            self._show_date()
            return
        self.date_message.clear_message()
        if day == self._day and self._service is not None:
            self._show_date()
            return
        self.save_pending()
        self._day = day
        self._due_time = None
        self._load_day()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        wide = self.width() > self.fontMetrics().averageCharWidth() * TWO_COLUMNS_FROM_CHARS
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        self._columns.setDirection(direction)

    # ---- loading a day --------------------------------------------------------------
    def _load_day(self) -> None:
        self._show_date()
        self._load_checkin()
        self._load_doses()

    def _load_checkin(self) -> None:
        if self._service is None:
            return
        self._loading = True
        try:
            checkin = self._service.checkin(self._day) or CheckIn(self._day)
            tracked = [s.name for s in self._service.symptoms()]
            if [row.name for row in self.symptom_rows] != tracked:
                self._set_symptom_rows(tracked)
            for row in self.symptom_rows:
                row.set_value(checkin.ratings.get(row.name))
            self.wellbeing.set_value(checkin.wellbeing)
            sleep = checkin.sleep_hours
            self.sleep.setValue(SLEEP_UNSET if sleep is None else sleep)
            self.for_doctor.setChecked(checkin.for_doctor)
            typing = self._note_day == self._day and self.note.toPlainText() != self._stored_note
            if not typing:  # never overwrite what is being typed for this day
                self.note.setPlainText(checkin.note)
                self.note_message.clear_message()
            self._stored_note = checkin.note
            self._note_day = self._day
        finally:
            self._loading = False
        self._update_same_as_yesterday(checkin)

    def _show_date(self) -> None:
        today = self._today()
        self.date_field.blockSignals(True)
        self.date_field.setMaximumDate(to_qdate(today + FUTURE_ALLOWANCE))
        self.date_field.setDate(to_qdate(self._day))
        self.date_field.blockSignals(False)
        self.next_button.setEnabled(self._day < today + FUTURE_ALLOWANCE)
        self.day_title.setText(describe_day(self._day, today))

    def _step_day(self, days: int) -> None:
        self.open_day(self._day + dt.timedelta(days=days))

    def _set_symptom_rows(self, names: list[str]) -> None:
        clear_layout(self.symptom_list)
        self.symptom_rows = [severity_row(name) for name in names]
        for row in self.symptom_rows:
            row.rated.connect(self._symptom_rated)
            self.symptom_list.addWidget(row)
        self.symptom_hint.setVisible(bool(names))
        self.same_as_yesterday_button.setVisible(bool(names))
        self._fix_tab_order()

    def _update_same_as_yesterday(self, checkin: CheckIn) -> None:
        to_copy = self._ratings_from_yesterday(checkin)
        self.same_as_yesterday_button.setEnabled(bool(to_copy))

    def _ratings_from_yesterday(self, checkin: CheckIn | None = None) -> dict[str, int]:
        if self._service is None:
            return {}
        today = checkin or self._service.checkin(self._day) or CheckIn(self._day)
        yesterday = self._service.checkin(self._day - dt.timedelta(days=1))
        if yesterday is None:
            return {}
        return {
            row.name: yesterday.ratings[row.name]
            for row in self.symptom_rows
            if row.name in yesterday.ratings and row.name not in today.ratings
        }

    def _load_doses(self) -> None:
        if self._service is None:
            return
        focus = self._focused_dose_field()
        self._medications = {m.name: m for m in self._service.medications()}
        regimen = self._service.regimen_on(self._day)
        doses = self._service.doses_on(self._day)
        self.regimen_label.setText(self._regimen_text(regimen))
        waiting = self._planned_not_recorded(regimen, doses)
        self.take_button.setEnabled(bool(waiting))
        self.take_button.setText(
            "Taken as planned" if waiting else "Every planned dose of this day is recorded"
        )
        self.take_button.setVisible(regimen is not None and bool(regimen.doses))
        self._clear_doses()
        due = [planned for planned in waiting if planned.time == self._due_time]
        if not due:
            self._due_time = None  # recorded meanwhile, or never planned that day
        first_due = due[0] if due else None
        for planned in waiting:
            if planned is first_due:
                self._add_due_group(due)
            elif planned not in due:
                self.planned_list.addWidget(self._planned_row(planned))
        for dose in doses:
            self._add_dose_row(dose)
        default_time = self._now().time() if self._day == self._today() else dt.time(12)
        self.extra_form.set_medications(list(self._medications.values()), default_time)
        self._fix_tab_order()
        self._restore_focus(focus)

    def _regimen_text(self, regimen: RegimenChange | None) -> str:
        service = self._service
        if regimen is None and service is not None and service.regimen_on(self._today()) is None:
            return f"No regimen is recorded yet. Taper {NEXT} {SET_REGIMEN} sets one up."
        if regimen is None or not regimen.doses:
            return "No regimen is recorded for this day."
        planned = ", ".join(f"{d.time:%H:%M} {d.drug} {d.mg:g} mg" for d in regimen.doses)
        return f"Planned for this day: {planned}."

    def _planned_not_recorded(
        self, regimen: RegimenChange | None, doses: list[Dose]
    ) -> list[RegimenDose]:
        if regimen is None:
            return []
        recorded = {
            (d.planned_time, self._drug_of(d.medication))
            for d in doses
            if d.planned_time is not None
        }
        return [p for p in regimen.doses if (p.time, p.drug) not in recorded]

    def _drug_of(self, medication: str) -> str:
        med = self._medications.get(medication)
        return med.drug if med is not None else ""

    def _clear_doses(self) -> None:
        clear_layout(self.planned_list)
        clear_layout(self.dose_list)
        self.dose_rows = []
        self.not_taken_buttons = []
        self._planned_buttons = []
        self.due_take_button = None

    def _add_due_group(self, due: list[RegimenDose]) -> None:
        """The dose a reminder asked for, framed, with one button that records just it."""
        frame = QFrame()
        frame.setProperty("role", "due-dose")
        layout = QVBoxLayout(frame)
        time = due[0].time
        button = QPushButton(f"Taken as planned: the {time:%H:%M} dose")
        button.setProperty("role", "primary")
        button.setAccessibleName(f"Record the {time:%H:%M} dose as taken as planned")
        button.clicked.connect(lambda: self._take_planned(time))
        self.due_take_button = button
        self._planned_buttons.append(button)
        layout.addWidget(button)
        for planned in due:
            layout.addWidget(self._planned_row(planned))
        self.planned_list.addWidget(frame)

    def _planned_row(self, planned: RegimenDose) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        words = f"{planned.time:%H:%M} {planned.drug} {planned.mg:g} mg: not recorded yet"
        layout.addWidget(QLabel(words), 1)
        button = QPushButton("Not taken")
        button.setAccessibleName(
            f"Record the {planned.time:%H:%M} {planned.drug} dose as not taken"
        )
        button.clicked.connect(lambda: self._record_not_taken(planned))
        layout.addWidget(button)
        self.not_taken_buttons.append(button)
        self._planned_buttons.append(button)
        return row

    def _add_dose_row(self, dose: Dose) -> None:
        med = self._medications.get(dose.medication)
        if med is None:
            return
        row = DoseRow(dose, med)
        row.time_changed.connect(self._dose_time_changed)
        row.mg_changed.connect(lambda dose_id, mg: self._update_dose(dose_id, mg=mg))
        row.ml_changed.connect(lambda dose_id, ml: self._update_dose(dose_id, ml=ml))
        row.delete_requested.connect(self._delete_dose)
        self.dose_rows.append(row)
        self.dose_list.addWidget(row)

    def _focused_dose_field(self) -> tuple[int, int] | None:
        """(dose id, field index) of the dose field with the keyboard, to keep it there."""
        focused = self.focusWidget()
        for row in self.dose_rows:
            fields = row.focus_fields()
            if focused in fields:
                return row.dose_id, fields.index(focused)
        return None

    def _restore_focus(self, focus: tuple[int, int] | None) -> None:
        if focus is None:
            return
        for row in self.dose_rows:
            if row.dose_id == focus[0]:
                fields = row.focus_fields()
                fields[min(focus[1], len(fields) - 1)].setFocus()
                return

    def _fix_tab_order(self) -> None:
        """Keyboard order follows the screen, also for rows made after the page was built."""
        chain: list[QWidget] = [
            self.previous_button,
            self.date_field,
            self.next_button,
            self.today_button,
            self.banner.retry_button,
            self.take_button,
            *self._planned_buttons,
            *(field for row in self.dose_rows for field in row.focus_fields()),
            *self.extra_form.focus_fields(),
            self.same_as_yesterday_button,
            *self.symptom_rows,
            self.wellbeing,
            self.sleep,
            self.note,
            self.for_doctor,
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # ---- saving ---------------------------------------------------------------------
    def _save_as(self, what: str, action: Action) -> bool:
        """Save ``action`` as one undo step called ``what``, naming the day unless today."""
        day = self._day
        label = what if day == self._today() else f"{what} on {describe_date(day)}"
        return self._save(labelled(label, action))

    def save_pending(self) -> None:
        """Save what is typed but not yet saved (the note); call before locking."""
        self._note_timer.stop()
        self.save_note()

    # ---- symptoms, wellbeing, sleep, flag, note -------------------------------------
    def _symptom_rated(self, name: str, value: int | None) -> None:
        day = self._day
        if value is None:
            self._save(lambda s: s.clear_checkin_values(day, [name]))
        else:
            self._save_as(f"rate {name}", lambda s: s.record_checkin(day, ratings={name: value}))
        self._update_same_as_yesterday_after_change()

    def _update_same_as_yesterday_after_change(self) -> None:
        if self._service is not None:
            self.same_as_yesterday_button.setEnabled(bool(self._ratings_from_yesterday()))

    def same_as_yesterday(self) -> None:
        ratings = self._ratings_from_yesterday()
        if not ratings:
            return
        day = self._day
        self._save_as("copy yesterday's ratings", lambda s: s.record_checkin(day, ratings=ratings))
        self._load_day()

    def _wellbeing_rated(self, _name: str, value: int | None) -> None:
        day = self._day
        if value is None:
            self._save(lambda s: s.clear_checkin_values(day, wellbeing=True))
        else:
            self._save_as("rate wellbeing", lambda s: s.record_checkin(day, wellbeing=value))

    def _sleep_changed(self, value: float) -> None:
        if self._loading or self._service is None:
            return
        day = self._day
        stored = self._service.checkin(day)
        if value <= SLEEP_UNSET:
            if stored is not None and stored.sleep_hours is not None:
                self._save(lambda s: s.clear_checkin_values(day, sleep_hours=True))
        else:
            hours = f"record {value:g} hours slept"
            self._save_as(hours, lambda s: s.record_checkin(day, sleep_hours=value))

    def _for_doctor_clicked(self, checked: bool) -> None:
        day = self._day
        words = "mark the day for my doctor" if checked else "remove the mark for my doctor"
        self._save_as(words, lambda s: s.record_checkin(day, for_doctor=checked))

    def _note_typed(self) -> None:
        if self._loading:
            return
        try:
            check_note(self.note.toPlainText())
        except ValidationError as problem:
            self.note_message.show_problem(f"{problem.message} It is not saved until shorter.")
            self._note_timer.stop()
            return
        self.note_message.clear_message()
        self._note_timer.start()

    def save_note(self) -> None:
        """Save the note if it differs from what the diary holds and can be saved."""
        self._note_timer.stop()
        text = self.note.toPlainText()
        if self._service is None or self._loading or text == self._stored_note:
            return
        try:
            check_note(text)
        except ValidationError:
            return  # the message beside the note already says why
        day = self._day
        if self._save_as("edit the note", lambda s: s.record_checkin(day, note=text)):
            self._stored_note = text

    # ---- doses ----------------------------------------------------------------------
    def _take_as_planned(self) -> None:
        day = self._day
        taken = self._save(lambda s: s.take_as_planned(day))
        self._load_doses()
        if taken and self.symptom_rows:  # the next step of a check-in
            self.symptom_rows[0].setFocus(Qt.FocusReason.TabFocusReason)

    def _take_planned(self, planned_time: dt.time) -> None:
        day = self._day
        taken = self._save(lambda s: s.take_planned_dose(day, planned_time))
        self._load_doses()
        if taken:
            self.focus_first_field()

    def _record_not_taken(self, planned: RegimenDose) -> None:
        day = self._day
        self._save(lambda s: s.record_not_taken(day, planned.time, planned.drug))
        self._load_doses()

    def _record_extra(self, medication: str, mg: float, ml: float | None, at: dt.time) -> None:
        moment = local_moment(self._day, at)
        if self._save(lambda s: s.add_dose(medication, mg, moment, ml=ml)):
            self.extra_form.clear_amount()
        self._load_doses()

    def _dose_time_changed(self, dose_id: int, at: dt.time) -> None:
        moment = local_moment(self._day, at)
        self._update_dose(dose_id, taken_at=moment)

    def _update_dose(
        self,
        dose_id: int,
        mg: float | None = None,
        ml: float | None = None,
        taken_at: dt.datetime | None = None,
    ) -> None:
        self._save(lambda s: s.update_dose(dose_id, mg=mg, ml=ml, taken_at=taken_at))
        self._load_doses()

    def _delete_dose(self, dose_id: int) -> None:
        self._save(lambda s: s.delete_dose(dose_id))
        self._load_doses()
