"""One dose time of a regimen being set: the time of day, the medication (its drug shown),
the amount in mg and, for a liquid with a known concentration, the volume in mL (either may
be typed; the other follows from the concentration).

The amount is checked as you type with the diary's own rules: more than 0 and within the
diary's limit for one dose, and measurable with the medication (tablet pieces as it may be
split, or the marks of its syringe). Each problem shows under its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QObject, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from diary.domain.errors import DiaryError, ValidationError
from diary.domain.models import Medication, RegimenDose
from diary.domain.taper.measurable import nearest_measurable
from diary.domain.taper.products import Handling, products_from
from diary.domain.validation import check_dose_mg, check_ml
from diary.ui.taper.fields import NumberField
from diary.ui.taper.wording import dz, mg
from diary.ui.widgets.dose_editor import concentration_of
from diary.ui.widgets.form_parts import FieldMessage

DzOf = Callable[[str, float], float]  # (drug, mg) -> mg diazepam-equivalent; may raise
ML_DECIMALS = 4
AMOUNT_MIN_CHARS, AMOUNT_MAX_CHARS = 9, 11
MEDICATION_MIN_CHARS = 14


def medication_words(med: Medication) -> str:
    """The medication's name with its drug, e.g. "Valium 2 (diazepam)"."""
    if med.name.casefold() == med.drug.casefold():
        return med.name
    return f"{med.name} ({med.drug})"


def amount_problem(med: Medication, amount: float, handling: Mapping[str, Handling]) -> str | None:
    """Why ``amount`` mg of ``med`` cannot be a regimen dose, or None."""
    try:
        check_dose_mg(amount, med.drug)
    except ValidationError as error:
        return error.message
    products = products_from([med], handling)
    if not products:
        return None  # no strength or concentration entered: any amount can be recorded
    below, above = nearest_measurable(med.drug, amount, products)
    if below == above:
        return None
    nearest = [a for a in (below, above) if a]  # 0 mg is no dose
    concentration = concentration_of(med)
    if concentration:
        words = [f"{mg(a)} ({round(a / concentration, ML_DECIMALS):g} mL)" for a in nearest]
    else:
        words = [mg(a) for a in nearest]
    return f"{mg(amount)} cannot be measured with {med.name}; the nearest: {' or '.join(words)}."


class DoseTimeRow(QObject):
    """The widgets of one dose time; the panel places them in its grid."""

    changed = Signal()
    remove_requested = Signal(object)  # this row

    def __init__(
        self,
        medications: Sequence[Medication],
        handling: Mapping[str, Handling],
        dz_of: DzOf,
        moment: dt.time,
        host: QWidget,
    ) -> None:
        """``host`` is the widget whose grid shows the row: its widgets are made inside it,
        so none ever shows as a window of its own."""
        super().__init__(host)
        self._handling = handling
        self._dz_of = dz_of
        self._following = False  # filling one amount field from the other
        self._duplicate: str | None = None
        self._liquid = False  # the medication chosen is a liquid of known concentration

        self.time = QTimeEdit(QTime(moment.hour, moment.minute), host)
        self.time.setDisplayFormat("HH:mm")
        self.time_message = FieldMessage()
        self.time_cell = QWidget(host)
        cell = QVBoxLayout(self.time_cell)
        cell.setContentsMargins(0, 0, 0, 0)
        cell.setSpacing(2)
        cell.addWidget(self.time)
        cell.addWidget(self.time_message)
        self.medication = QComboBox(host)
        # A long name gives way before the amounts do on a narrow window.
        self.medication.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.medication.setMinimumContentsLength(MEDICATION_MIN_CHARS)
        for med in medications:
            self.medication.addItem(medication_words(med), med)
        self.mg = NumberField("", "amount in mg", unit="mg", example="e.g. 5", parent=host)
        self.ml = NumberField(
            "", "volume in mL", self._ml_check, optional=True, unit="mL", parent=host
        )
        for field in (self.mg, self.ml):
            field.label.hide()
            chars = field.fontMetrics().averageCharWidth()
            field.edit.setMinimumWidth(chars * AMOUNT_MIN_CHARS)
            field.edit.setMaximumWidth(chars * AMOUNT_MAX_CHARS)
        self.dz_label = QLabel(host)
        self.dz_label.setMinimumHeight(self.mg.edit.sizeHint().height())  # level with the fields
        self.remove_button = QPushButton("Remove", host)

        self.time.timeChanged.connect(self.changed)
        self.medication.currentIndexChanged.connect(self._medication_chosen)
        self.mg.changed.connect(self._mg_typed)
        self.ml.changed.connect(self._ml_typed)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self._medication_chosen()

    # ---- what the row holds -----------------------------------------------------------
    def cells(self) -> list[QWidget]:
        """The row's widgets, one per column of the panel's grid."""
        return [
            self.time_cell,
            self.medication,
            self.mg,
            self.ml,
            self.dz_label,
            self.remove_button,
        ]

    def focus_chain(self) -> list[QWidget]:
        return [self.time, self.medication, self.mg.edit, self.ml.edit, self.remove_button]

    def med(self) -> Medication | None:
        data = self.medication.currentData()
        return data if isinstance(data, Medication) else None

    def moment(self) -> dt.time:
        value = self.time.time()
        return dt.time(value.hour(), value.minute())

    def dose(self) -> RegimenDose | None:
        """The dose as it would be saved, or None while something is missing or wrong."""
        med, amount = self.med(), self.mg.value
        if med is None or amount is None or self.problem() is not None:
            return None
        return RegimenDose(med.drug, amount, self.moment(), med.name)

    def problem(self) -> str | None:
        """The first thing keeping this row from being saved, in one sentence."""
        if self.med() is None:
            return "Choose a medication."
        if self._duplicate:
            return self._duplicate
        if self.mg.problem:
            return self.mg.problem
        return self.ml.problem if self._liquid else None

    def dz_mg(self) -> float | None:
        """The amount in diazepam-equivalent; None when unknown (no amount, or the table has
        no single value for the drug)."""
        med, amount = self.med(), self.mg.value
        if med is None or amount is None:
            return None
        try:
            return self._dz_of(med.drug, amount)
        except DiaryError:
            return None

    # ---- filling and naming -----------------------------------------------------------
    def fill(self, dose: RegimenDose) -> None:
        """Show a dose of the regimen in force: its medication (or one of its drug)."""
        meds = [self._med_at(i) for i in range(self.medication.count())]
        named = [i for i, med in enumerate(meds) if med.name == dose.medication]
        of_drug = [i for i, med in enumerate(meds) if med.drug == dose.drug]
        self.medication.setCurrentIndex((named or of_drug or [-1])[0])
        self.mg.set_value(dose.mg)

    def copy_medication(self, other: DoseTimeRow) -> None:
        self.medication.setCurrentIndex(other.medication.currentIndex())

    def set_number(self, number: int) -> None:
        """Name the fields for screen readers: "Dose time 2: amount in mg"."""
        where = f"Dose time {number}"
        self.time.setAccessibleName(f"{where}: time of day")
        self.medication.setAccessibleName(f"{where}: medication")
        self.mg.edit.setAccessibleName(f"{where}: amount in mg")
        self.ml.edit.setAccessibleName(f"{where}: volume in mL")
        self.remove_button.setAccessibleName(f"Remove dose time {number}")

    def set_duplicate(self, problem: str | None) -> None:
        """A problem found across rows (the same drug twice at one time), shown by the time."""
        self._duplicate = problem
        if problem:
            self.time_message.show_problem(problem)
        else:
            self.time_message.clear_message()

    def show_dz(self) -> None:
        amount = self.dz_mg()
        self.dz_label.setText("" if amount is None else f"= {dz(amount)}")

    # ---- as the person types ------------------------------------------------------------
    def _med_at(self, index: int) -> Medication:
        data = self.medication.itemData(index)
        assert isinstance(data, Medication)
        return data

    def _medication_chosen(self) -> None:
        med = self.med()
        self.mg.set_check(None if med is None else self._mg_check(med))
        self._liquid = concentration_of(med) is not None
        self.ml.setVisible(self._liquid)
        if self._liquid:
            self._fill_ml()
        else:
            self._set_quietly(self.ml, "")
        self.changed.emit()

    def _mg_check(self, med: Medication) -> Callable[[float], str | None]:
        return lambda amount: amount_problem(med, amount, self._handling)

    def _ml_check(self, ml: float) -> str | None:
        try:
            check_ml(ml)
        except ValidationError as error:
            return error.message
        return None

    def _mg_typed(self) -> None:
        if not self._following:
            self._fill_ml()
        self.changed.emit()

    def _ml_typed(self) -> None:
        concentration = concentration_of(self.med())
        if not self._following and concentration and self.ml.value is not None:
            self._set_quietly(self.mg, f"{round(self.ml.value * concentration, 6):g}")
        self.changed.emit()

    def _fill_ml(self) -> None:
        """The volume for the amount typed; left empty while the amount is not acceptable."""
        concentration = concentration_of(self.med())
        if not concentration:
            return
        amount = self.mg.value
        text = "" if amount is None else f"{round(amount / concentration, ML_DECIMALS):g}"
        self._set_quietly(self.ml, text)

    def _set_quietly(self, field: NumberField, text: str) -> None:
        """Fill ``field`` from the other amount without that one being refilled in turn."""
        if field.edit.text() == text:
            return
        self._following = True
        try:
            field.set_text(text)
        finally:
            self._following = False
