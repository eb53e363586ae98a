"""Set the whole regimen: every dose time with its medication and amount, from a chosen date.

This is where a new diary gets its first regimen (a start), and where any regimen change the
person has decided on can be written out in full: a cut, an updose or reinstatement, or a
crossover step. The panel opens with the regimen in force today (or one empty dose time),
shows the daily total in diazepam-equivalent by the diary's table as you type, and saves
only when every field is acceptable. With no medication entered yet it says so and offers
Settings > Medications (``medications_wanted``: the window does the switching).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from diary.domain.changes import Changes
from diary.domain.equivalence import get_table
from diary.domain.errors import DiaryError, ValidationError
from diary.domain.models import ChangeKind, Medication, RegimenChange, RegimenDose
from diary.domain.taper.products import Handling
from diary.domain.validation import FUTURE_ALLOWANCE, check_note, describe_date
from diary.services.diary_service import DiaryService
from diary.ui.taper.fields import Panel, date_field, to_date, to_qdate
from diary.ui.taper.regimen_row import DoseTimeRow
from diary.ui.taper.wording import dz, percent_change
from diary.ui.widgets.form_parts import FieldMessage, buddy_label, explanation_label

Action = Callable[[DiaryService], Changes]
Save = Callable[[Action], bool]

KINDS = (
    (ChangeKind.START, "Start: the regimen as it begins"),
    (ChangeKind.CUT, "Cut: a lower daily amount"),
    (ChangeKind.UPDOSE, "Updose or reinstatement: a higher daily amount"),
    (ChangeKind.CROSSOVER, "Crossover step: moving from one drug to another"),
)
KIND_NAMES = {
    ChangeKind.START: "a start",
    ChangeKind.CUT: "a cut",
    ChangeKind.UPDOSE: "an updose or reinstatement",
    ChangeKind.CROSSOVER: "a crossover step",
}
NEXT = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"  # as in "Settings › Medications"
FIRST_TIME = dt.time(8)
HOURS_TO_NEXT_TIME = 4  # a new dose time starts this long after the last one
SAME_TOTAL_MG = 1e-6
HEADERS = ("Time", "Medication", "Amount", "Volume", "Diazepam-eq.", "")
MEDICATION_COLUMN, VOLUME_COLUMN = 1, 3
DATE_WIDTH_CHARS = 18


class RegimenPanel(Panel):
    medications_wanted = Signal()  # "Open Settings > Medications" was pressed

    def __init__(self, save: Save) -> None:
        super().__init__(
            "Set regimen",
            "Records the whole regimen, every dose time with its medication and amount, in "
            "force from the date you choose until the next change recorded. Doses already "
            "recorded stay as they are.",
            "S&ave the regimen",
        )
        self._save = save
        self._service: DiaryService | None = None
        self._today = dt.date.today()
        self._medications: list[Medication] = []
        self._handling: dict[str, Handling] = {}
        self._history: list[RegimenChange] = []
        self._kind_chosen = False  # the person picked the kind themselves
        self._reason_touched = False
        self._loading = False
        self.rows: list[DoseTimeRow] = []
        self._build_no_medications()
        self._build_rows()
        self._build_change_fields()
        self.save_hint = explanation_label("")
        self.below.addWidget(self.save_hint)
        self.confirm_button.clicked.connect(self.confirm)

    def explain_not_ready(self) -> None:
        self.save_hint.setVisible(bool(self.save_hint.text()))

    # ---- building -------------------------------------------------------------------
    def _build_no_medications(self) -> None:
        self.no_medications = QFrame()
        layout = QVBoxLayout(self.no_medications)
        layout.setContentsMargins(0, 0, 0, 0)
        self.no_medications_label = QLabel(
            "No medications are entered yet. Each dose time names the medication taken, "
            f"so a regimen can be set once at least one is in Settings {NEXT} Medications."
        )
        self.no_medications_label.setWordWrap(True)
        self.medications_button = QPushButton(f"Open Settings {NEXT} &Medications")
        self.medications_button.setAccessibleName("Open Settings, Medications")
        self.medications_button.clicked.connect(self.medications_wanted)
        layout.addWidget(self.no_medications_label)
        layout.addWidget(self.medications_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.form.addWidget(self.no_medications)

    def _build_rows(self) -> None:
        self.rows_area = QWidget()
        self.rows_area.setAccessibleName("Dose times")
        self.grid = QGridLayout(self.rows_area)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(MEDICATION_COLUMN, 1)
        self.headers = [QLabel(f"<b>{text}</b>") for text in HEADERS]
        for column, header in enumerate(self.headers):
            self.grid.addWidget(header, 0, column)
        self.add_button = QPushButton("Add a dose &time")
        self.add_button.setAccessibleName("Add a dose time")
        self.add_button.clicked.connect(self.add_row)
        self.total_line = QLabel()
        self.total_line.setWordWrap(True)
        self.total_line.setAccessibleName("Daily total in diazepam equivalents")
        self.table_line = explanation_label("")
        self.form.addWidget(self.rows_area)
        self.form.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.form.addWidget(self.total_line)
        self.form.addWidget(self.table_line)

    def _build_change_fields(self) -> None:
        self.date = date_field("Date the regimen takes effect")
        self.date.setMaximumWidth(self.date.fontMetrics().averageCharWidth() * DATE_WIDTH_CHARS)
        self.date.dateChanged.connect(self._update)
        self.date_note = FieldMessage()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of change")
        for kind, words in KINDS:
            self.kind.addItem(words, kind)
        self.kind.activated.connect(self._kind_picked)
        self.kind_note = explanation_label("")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.textChanged.connect(self._reason_typed)
        self.reason_label = buddy_label("Rea&son (optional)", self.reason)
        self.reason_message = FieldMessage()
        self.prescriber = QCheckBox("My &prescriber was involved")
        self.change_fields = QWidget()
        layout = QVBoxLayout(self.change_fields)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(buddy_label("Takes e&ffect on", self.date))
        layout.addWidget(self.date)
        layout.addWidget(self.date_note)
        layout.addWidget(buddy_label("&Kind of change", self.kind))
        layout.addWidget(self.kind)
        layout.addWidget(self.kind_note)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.reason_message)
        layout.addWidget(self.prescriber)
        self.form.addWidget(self.change_fields)

    # ---- the panel protocol -----------------------------------------------------------
    def load(self, service: DiaryService, today: dt.date) -> None:
        self._service = service
        self._today = today
        self._medications = service.medications()
        self._handling = service.medication_handling()
        self._history = service.regimen_history()
        self._remove_rows()
        self.result_message.clear_message()
        has_medications = bool(self._medications)
        self.no_medications.setVisible(not has_medications)
        for part in (self.rows_area, self.add_button, self.total_line, self.table_line):
            part.setVisible(has_medications)
        self.change_fields.setVisible(has_medications)
        self.confirm_button.setVisible(has_medications)
        self.save_hint.setVisible(has_medications)
        if not has_medications:
            return
        self.date.blockSignals(True)
        self.date.setMaximumDate(to_qdate(today + FUTURE_ALLOWANCE))
        self.date.setDate(to_qdate(today))
        self.date.blockSignals(False)
        self._kind_chosen = False
        self.kind.setCurrentIndex(0)
        self.reason.blockSignals(True)
        self.reason.clear()
        self.reason.blockSignals(False)
        self._reason_touched = False
        self.prescriber.setChecked(False)
        in_force = service.regimen_on(today)
        doses = in_force.doses if in_force is not None else ()
        self._loading = True  # the kind follows the amounts once all of them are in
        try:
            for dose in doses:
                self._append_row(dose.time).fill(dose)
            if not doses:
                self._append_row(FIRST_TIME)
        finally:
            self._loading = False
        self._relayout()

    def clear(self) -> None:
        self._service = None
        self._medications = []
        self._handling = {}
        self._history = []
        self._remove_rows()
        self.reason.clear()
        for label in (self.total_line, self.table_line, self.kind_note, self.save_hint):
            label.clear()
        for message in (self.date_note, self.reason_message, self.result_message):
            message.clear_message()

    def first_field(self) -> QWidget:
        if not self._medications:
            return self.medications_button
        return self.rows[0].time if self.rows else self.add_button

    @property
    def needs_medications(self) -> bool:
        """Showing "no medications yet": worth loading again once medications change."""
        return self._service is not None and not self._medications

    # ---- rows -----------------------------------------------------------------------
    def add_row(self) -> None:
        """A new dose time after the last one, with the same medication."""
        last = self.rows[-1] if self.rows else None
        moment = FIRST_TIME
        if last is not None:
            hour = (last.moment().hour + HOURS_TO_NEXT_TIME) % 24
            moment = dt.time(hour, last.moment().minute)
        row = self._append_row(moment)
        if last is not None:
            row.copy_medication(last)
        self._relayout()
        row.time.setFocus()

    def remove_row(self, row: object) -> None:
        assert isinstance(row, DoseTimeRow)
        at = self.rows.index(row)
        self.rows.remove(row)
        self._take_from_grid(row)
        row.deleteLater()
        self._relayout()
        following = self.rows[at].time if at < len(self.rows) else self.add_button
        following.setFocus()

    def _append_row(self, moment: dt.time) -> DoseTimeRow:
        row = DoseTimeRow(
            self._medications, self._handling, self._dz_of, moment, host=self.rows_area
        )
        row.changed.connect(self._update)
        row.remove_requested.connect(self.remove_row)
        self.rows.append(row)
        return row

    def _remove_rows(self) -> None:
        for row in self.rows:
            self._take_from_grid(row)
            row.deleteLater()
        self.rows = []

    def _take_from_grid(self, row: DoseTimeRow) -> None:
        for widget in row.cells():
            self.grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()

    def _relayout(self) -> None:
        """Place the rows in order (their grid rows follow the list), name them for screen
        readers, and keep Tab moving through them in the order they are seen."""
        for index, row in enumerate(self.rows, start=1):
            row.set_number(index)
            for column, widget in enumerate(row.cells()):
                self.grid.removeWidget(widget)
                self.grid.addWidget(widget, index, column, Qt.AlignmentFlag.AlignTop)
                if widget is not row.ml:
                    widget.show()
        chain: list[QWidget] = [w for row in self.rows for w in row.focus_chain()]
        chain += [self.add_button, self.date, self.kind, self.reason, self.prescriber]
        chain += [self.confirm_button, self.close_button]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self._update()

    # ---- checking as you type ---------------------------------------------------------
    def _dz_of(self, drug: str, amount: float) -> float:
        if self._service is None:
            raise DiaryError("The diary is closed.")
        return self._service.diazepam_equivalent(drug, amount)

    def _kind_picked(self) -> None:
        self._kind_chosen = True
        self._update()

    def _reason_typed(self) -> None:
        self._reason_touched = True
        self._update()

    def _day(self) -> dt.date:
        return to_date(self.date.date())

    def _before(self) -> RegimenChange | None:
        """The regimen this one follows: the one in force the day before its date."""
        if self._service is None:
            return None
        return self._service.regimen_on(self._day() - dt.timedelta(days=1))

    def chosen_kind(self) -> ChangeKind:
        # Qt hands a StrEnum back as its plain string value.
        data = self.kind.currentData()
        return ChangeKind(data) if data else ChangeKind.START

    def _update(self) -> None:
        if self._service is None or not self._medications or self._loading:
            return
        self._mark_duplicates()
        for row in self.rows:
            row.show_dz()
        self.headers[VOLUME_COLUMN].setVisible(any(not row.ml.isHidden() for row in self.rows))
        before = self._before()
        self._show_total(before)
        self._follow_kind(before)
        self._show_date_note()
        kind = self.chosen_kind()
        self.prescriber.setVisible(kind is not ChangeKind.START)
        self.reason_label.setText("Rea&son" if kind is ChangeKind.UPDOSE else "Rea&son (optional)")
        problem = self._first_problem(before)
        self.confirm_button.setEnabled(problem is None)
        self.save_hint.setText("" if problem is None else f"Not ready to save. {problem}")
        self.save_hint.setVisible(problem is not None)

    def _mark_duplicates(self) -> None:
        seen: set[tuple[str, dt.time]] = set()
        for row in self.rows:
            med = row.med()
            key = None if med is None else (med.drug, row.moment())
            if key is not None and key in seen:
                row.set_duplicate(
                    f"{key[0]} is already taken at {key[1]:%H:%M} in another row; "
                    "give the total for that time once."
                )
            else:
                row.set_duplicate(None)
            if key is not None:
                seen.add(key)

    def _total(self, doses: tuple[RegimenDose, ...] | list[DoseTimeRow]) -> float | None:
        """The daily total in diazepam-equivalent; None when any part is unknown."""
        total = 0.0
        for item in doses:
            if isinstance(item, DoseTimeRow):
                part = item.dz_mg()
            else:
                try:
                    part = self._dz_of(item.drug, item.mg)
                except DiaryError:
                    part = None
            if part is None:
                return None
            total += part
        return total

    def _show_total(self, before: RegimenChange | None) -> None:
        assert self._service is not None
        table = get_table(self._service.equivalence_table()).title
        self.table_line.setText(f"Diazepam-equivalent by the {table} table.")
        if not self.rows:
            self.total_line.setText(
                "<b>No dose times:</b> saving records that nothing is taken from this date."
            )
            return
        after = self._total(self.rows)
        text = f"<b>Daily total: {dz(after)}</b>"
        then = None if before is None else self._total(before.doses)
        if after is not None and then is not None:
            text += f" (before: {dz(then)}; {percent_change(then, after)})"
        self.total_line.setText(text)

    def _follow_kind(self, before: RegimenChange | None) -> None:
        """Until the person picks a kind: a start when nothing comes before, otherwise what
        the amounts show (a change of drugs, a lower or a higher daily total)."""
        if self._kind_chosen:
            self.kind_note.clear()
            self.kind_note.hide()
            return
        kind = self.chosen_kind()
        note = "Chosen from the amounts; pick another if it does not fit."
        if before is None:
            kind = ChangeKind.START
        else:
            after, then = self._total(self.rows), self._total(before.doses)
            drugs_now = {med.drug for med in (row.med() for row in self.rows) if med is not None}
            drugs_then = {dose.drug for dose in before.doses}
            if drugs_now and drugs_then and drugs_now != drugs_then:
                kind = ChangeKind.CROSSOVER
            elif after is not None and then is not None and after < then - SAME_TOTAL_MG:
                kind = ChangeKind.CUT
            elif after is not None and then is not None and after > then + SAME_TOTAL_MG:
                kind = ChangeKind.UPDOSE
            else:
                kind = ChangeKind.START  # what it was on opening: nothing to go by
                note = "The daily total is the same as before; pick the kind that fits."
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.kind_note.setVisible(before is not None)
        self.kind_note.setText(note)

    def _show_date_note(self) -> None:
        day = self._day()
        same_day = next((c for c in self._history if c.date == day), None)
        later = [c.date for c in self._history if c.date > day]
        notes = []
        if same_day is not None:
            notes.append(
                f"{KIND_NAMES[same_day.kind].capitalize()} is already recorded on this date; "
                "saving replaces it."
            )
        if later:
            notes.append(
                f"The change recorded on {describe_date(min(later))} still applies from then."
            )
        if notes:
            self.date_note.show_note(" ".join(notes))
        else:
            self.date_note.clear_message()

    def _reason_problem(self) -> str | None:
        reason = self.reason.text()
        if self.chosen_kind() is ChangeKind.UPDOSE and not reason.strip():
            return "Please give a reason for the reinstatement."
        try:
            check_note(reason, "reason")
        except ValidationError as error:
            return error.message
        return None

    def _first_problem(self, before: RegimenChange | None) -> str | None:
        """What still keeps Save disabled, in one sentence; None when all is acceptable."""
        for row in self.rows:
            problem = row.problem()
            if problem is not None:
                return f"Dose at {row.moment():%H:%M} \N{EM DASH} {problem}"
        if not self.rows and before is None:
            return "Add at least one dose time."
        reason_problem = self._reason_problem()
        if reason_problem and self._reason_touched:
            self.reason_message.show_problem(reason_problem)
        else:
            self.reason_message.clear_message()
        return reason_problem

    # ---- recording ------------------------------------------------------------------
    def confirm(self) -> None:
        doses = [row.dose() for row in self.rows]
        if self._first_problem(self._before()) is not None or None in doses:
            return
        regimen = [dose for dose in doses if dose is not None]
        day, kind = self._day(), self.chosen_kind()
        reason = self.reason.text().strip()
        involved = self.prescriber.isChecked() and kind is not ChangeKind.START
        if self._save(lambda s: s.set_regimen(regimen, day, kind, reason, involved)):
            self.result_message.show_fine(
                f"The regimen from {describe_date(day)} is recorded ({count_words(regimen)})."
            )
            self.closed.emit()


def count_words(doses: list[RegimenDose]) -> str:
    if not doses:
        return "no dose times"
    return f"{len(doses)} dose time{'s' if len(doses) != 1 else ''}"
