"""Editing doses on the Today page: one row per recorded dose, and the form for an extra dose.

Amounts are typed into plain fields that are checked as you type, with the reason beside the
field; a value that cannot be saved is never sent. For a liquid with a known concentration
both the volume in mL and the amount in mg are shown, and either can be typed.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from diary.domain.errors import ValidationError
from diary.domain.models import Dose, DoseKind, Form, Medication
from diary.domain.validation import check_dose_mg, check_ml
from diary.ui.widgets.form_parts import FieldMessage

KIND_WORDS = {
    DoseKind.AS_PLANNED: "Taken as planned",
    DoseKind.ADJUSTED: "Taken, changed from the plan",
    DoseKind.EXTRA: "Extra dose",
    DoseKind.NOT_TAKEN: "Not taken",
}
TIME_FORMAT = "HH:mm"


def parse_number(text: str, what: str) -> float:
    """A number as people type it: "0.5", "0,5" or " 2 "."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise ValidationError(f"The {what} must be a number, such as 0.5.") from None


def concentration_of(med: Medication | None) -> float | None:
    if med is None or med.form is not Form.LIQUID:
        return None
    return med.concentration_mg_ml


def checked_amount(text: str, med: Medication) -> float:
    """The mg typed for ``med``, or ValidationError with the reason."""
    return check_dose_mg(parse_number(text, "amount in mg"), med.drug)


def checked_volume(text: str, med: Medication) -> tuple[float, float]:
    """(mg, mL) from a volume typed for a liquid with a known concentration."""
    ml = check_ml(parse_number(text, "volume in mL"))
    concentration = concentration_of(med)
    assert ml is not None and concentration is not None
    return check_dose_mg(round(ml * concentration, 6), med.drug), ml


def time_field(accessible_name: str, moment: dt.time) -> QTimeEdit:
    field = QTimeEdit(QTime(moment.hour, moment.minute))
    field.setDisplayFormat(TIME_FORMAT)
    field.setAccessibleName(accessible_name)
    field.setKeyboardTracking(False)
    return field


def amount_field(accessible_name: str, unit: str) -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(accessible_name)
    field.setPlaceholderText(unit)
    field.setMaximumWidth(field.fontMetrics().averageCharWidth() * 12)
    return field


def to_time(value: QTime) -> dt.time:
    return dt.time(value.hour(), value.minute())


class DoseRow(QWidget):
    """One recorded dose: what it is, its time, amount (and mL for a liquid), and Delete."""

    time_changed = Signal(int, object)  # dose id, dt.time
    mg_changed = Signal(int, float)
    ml_changed = Signal(int, float)
    delete_requested = Signal(int)

    def __init__(self, dose: Dose, med: Medication, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert dose.id is not None
        self.dose = dose
        self.med = med
        self.dose_id = dose.id
        what = f"{med.name} ({med.drug})"
        planned = f", planned {dose.planned_time:%H:%M}" if dose.planned_time else ""
        self.title = QLabel(f"<b>{what}</b> \N{MIDDLE DOT} {KIND_WORDS[dose.kind]}{planned}")
        self.time_field = time_field(f"Time of the {what} dose", dose.taken_at.time())
        self.mg_field: QLineEdit | None = None
        self.ml_field: QLineEdit | None = None
        self.delete_button = QPushButton("Delete")
        self.delete_button.setAccessibleName(f"Delete the {what} dose at {dose.taken_at:%H:%M}")
        self.message = FieldMessage()

        fields = QHBoxLayout()
        fields.addWidget(QLabel("Time"))
        fields.addWidget(self.time_field)
        if dose.kind is not DoseKind.NOT_TAKEN:
            if concentration_of(med) is not None:
                self.ml_field = amount_field(f"Volume of the {what} dose in mL", "mL")
                self.ml_field.setText(f"{dose.ml:g}" if dose.ml is not None else "")
                fields.addWidget(self.ml_field)
                fields.addWidget(QLabel("mL ="))
            self.mg_field = amount_field(f"Amount of the {what} dose in mg", "mg")
            self.mg_field.setText(f"{dose.mg:g}")
            fields.addWidget(self.mg_field)
            fields.addWidget(QLabel("mg"))
        fields.addStretch(1)
        fields.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(fields)
        layout.addWidget(self.message)

        self.time_field.editingFinished.connect(self._time_done)
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.dose_id))
        if self.mg_field is not None:
            self.mg_field.textEdited.connect(self._check_mg)
            self.mg_field.editingFinished.connect(self._mg_done)
        if self.ml_field is not None:
            self.ml_field.textEdited.connect(self._check_ml)
            self.ml_field.editingFinished.connect(self._ml_done)

    def focus_fields(self) -> list[QWidget]:
        fields: list[QWidget | None] = [
            self.time_field,
            self.ml_field,
            self.mg_field,
            self.delete_button,
        ]
        return [f for f in fields if f is not None]

    def _time_done(self) -> None:
        moment = to_time(self.time_field.time())
        if moment != self.dose.taken_at.time().replace(second=0, microsecond=0):
            self.time_changed.emit(self.dose_id, moment)

    def _check_mg(self, text: str) -> float | None:
        try:
            mg = checked_amount(text, self.med)
        except ValidationError as problem:
            self.message.show_problem(problem.message)
            return None
        self.message.clear_message()
        return mg

    def _mg_done(self) -> None:
        assert self.mg_field is not None
        mg = self._check_mg(self.mg_field.text())
        if mg is not None and mg != self.dose.mg:
            self.mg_changed.emit(self.dose_id, mg)

    def _check_ml(self, text: str) -> float | None:
        try:
            mg, ml = checked_volume(text, self.med)
        except ValidationError as problem:
            self.message.show_problem(problem.message)
            return None
        self.message.show_note(f"{ml:g} mL is {mg:g} mg.")
        return ml

    def _ml_done(self) -> None:
        assert self.ml_field is not None
        ml = self._check_ml(self.ml_field.text())
        if ml is not None and ml != self.dose.ml:
            self.ml_changed.emit(self.dose_id, ml)


class ExtraDoseForm(QWidget):
    """Record a dose that is not in the regimen: medication, time, amount (or mL)."""

    record_requested = Signal(str, float, object, object)  # medication, mg, mL or None, dt.time

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._medications: list[Medication] = []
        self.medication = QComboBox()
        self.medication.setAccessibleName("Medication of the extra dose")
        self.time_field = time_field("Time of the extra dose", dt.time(12))
        self.ml_field = amount_field("Volume of the extra dose in mL", "mL")
        self.ml_label = QLabel("mL =")
        self.mg_field = amount_field("Amount of the extra dose in mg", "mg")
        self.record_button = QPushButton("Record extra dose")
        self.message = FieldMessage()

        grid = QGridLayout()
        grid.addWidget(QLabel("Medication"), 0, 0)
        grid.addWidget(self.medication, 0, 1, 1, 5)
        grid.addWidget(QLabel("Time"), 1, 0)
        grid.addWidget(self.time_field, 1, 1)
        grid.addWidget(self.ml_field, 1, 2)
        grid.addWidget(self.ml_label, 1, 3)
        grid.addWidget(self.mg_field, 1, 4)
        grid.addWidget(QLabel("mg"), 1, 5)
        grid.setColumnStretch(6, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(self.record_button)

        self.medication.currentIndexChanged.connect(self._medication_chosen)
        self.mg_field.textEdited.connect(lambda _text: self._check(from_volume=False))
        self.ml_field.textEdited.connect(lambda _text: self._check(from_volume=True))
        self.mg_field.returnPressed.connect(self._record)
        self.ml_field.returnPressed.connect(self._record)
        self.record_button.clicked.connect(self._record)
        self.set_medications([], dt.time(12))

    def set_medications(self, medications: list[Medication], default_time: dt.time) -> None:
        self._medications = medications
        self.medication.blockSignals(True)
        self.medication.clear()
        for med in medications:
            self.medication.addItem(f"{med.name} ({med.drug})")
        self.medication.blockSignals(False)
        self.time_field.setTime(QTime(default_time.hour, default_time.minute))
        self.mg_field.clear()
        self.ml_field.clear()
        self.message.clear_message()
        self.setEnabled(bool(medications))
        self._medication_chosen()

    def focus_fields(self) -> list[QWidget]:
        return [
            self.medication,
            self.time_field,
            self.ml_field,
            self.mg_field,
            self.record_button,
        ]

    def _med(self) -> Medication | None:
        index = self.medication.currentIndex()
        return self._medications[index] if 0 <= index < len(self._medications) else None

    def _medication_chosen(self) -> None:
        liquid = concentration_of(self._med()) is not None
        self.ml_field.setVisible(liquid)
        self.ml_label.setVisible(liquid)
        self.mg_field.setReadOnly(liquid)  # for a liquid the amount follows the volume
        self._check(from_volume=liquid)

    def _check(self, from_volume: bool) -> tuple[float, float | None] | None:
        """The (mg, mL) typed if they can be saved; shows the reason beside the field if not."""
        med = self._med()
        self.record_button.setEnabled(False)
        if med is None:
            return None
        text = (self.ml_field if from_volume else self.mg_field).text()
        if not text.strip():
            self.message.clear_message()
            return None
        try:
            if from_volume:
                mg, ml = checked_volume(text, med)
                self.mg_field.setText(f"{mg:g}")
                amount: tuple[float, float | None] = (mg, ml)
            else:
                amount = (checked_amount(text, med), None)
        except ValidationError as problem:
            self.message.show_problem(problem.message)
            return None
        self.message.clear_message()
        self.record_button.setEnabled(True)
        return amount

    def _record(self) -> None:
        med = self._med()
        amount = self._check(from_volume=concentration_of(med) is not None)
        if med is None or amount is None:
            return
        mg, ml = amount
        self.record_requested.emit(med.name, mg, ml, to_time(self.time_field.time()))

    def clear_amount(self) -> None:
        self.mg_field.clear()
        self.ml_field.clear()
        self.message.clear_message()
        self.record_button.setEnabled(False)
