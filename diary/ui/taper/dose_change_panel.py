"""Record a cut or a reinstatement of one dose time.

Both are regimen changes the person has already decided on (with their prescriber where they
choose): the panel records them, shows the daily DZ-eq before and after, and checks as you
type that the amount goes the right way and can be measured with the medication. A
reinstatement can re-base the active plan on the new dose, after a stabilising hold whose
length the person picks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QTimeEdit, QWidget

from diary.domain.changes import Changes
from diary.domain.equivalence import get_table
from diary.domain.errors import DiaryError
from diary.domain.models import ChangeKind, Medication, RegimenChange, RegimenDose
from diary.domain.taper.measurable import nearest_measurable
from diary.domain.taper.products import products_from
from diary.domain.validation import FUTURE_ALLOWANCE, describe_date
from diary.services.diary_service import DiaryService
from diary.ui.taper.fields import NumberField, Panel, at_least, date_field, to_date, to_qdate
from diary.ui.taper.wording import dz, mg, percent_change
from diary.ui.widgets.form_parts import FieldMessage, buddy_label, explanation_label

Action = Callable[[DiaryService], Changes]
Save = Callable[[Action], bool]
NEW_TIME = "Another time of day"


class DoseChangePanel(Panel):
    def __init__(self, kind: ChangeKind, save: Save) -> None:
        assert kind in (ChangeKind.CUT, ChangeKind.UPDOSE)
        self.kind = kind
        cut = kind is ChangeKind.CUT
        super().__init__(
            "Record a cut" if cut else "Record a reinstatement",
            "Records a lower amount for one dose time, from the date you choose."
            if cut
            else "Records a higher amount for one dose time (an updose or reinstatement), "
            "from the date you choose. Going back up to stabilise is a legitimate step.",
            "Record the cut" if cut else "Record the reinstatement",
        )
        self._save = save
        self._service: DiaryService | None = None
        self._medications: list[Medication] = []
        self._regimen: RegimenChange | None = None
        self._has_plan = False

        self.medication = QComboBox()
        self.medication.setAccessibleName("Medication")
        self.dose_time = QComboBox()
        self.dose_time.setAccessibleName("Dose time")
        self.new_time = QTimeEdit()
        self.new_time.setDisplayFormat("HH:mm")
        self.new_time.setAccessibleName("Time of day of the new dose")
        self.now_line = explanation_label("")
        self.amount = NumberField("New amou&nt at this dose time", "new amount", unit="mg")
        self.total_line = explanation_label("")
        self.date = date_field("Date of the change")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason_message = FieldMessage()
        self.prescriber = QCheckBox("My &prescriber was involved")
        self.rebase = QCheckBox("Re-base the plan on the ne&w dose")
        self.rebase.setToolTip(
            "Replaces the plan's later steps with the same method from the new dose, "
            "starting after a stabilising hold of the length you choose."
        )
        self.hold_days = NumberField(
            "Stab&ilising hold before the plan goes on",
            "length of the stabilising hold",
            at_least(0, "length of the stabilising hold", " days"),
            whole=True,
            unit="days",
            example="e.g. 28",
        )

        self.form.addWidget(buddy_label("&Medication", self.medication))
        self.form.addWidget(self.medication)
        self.form.addWidget(buddy_label("Dose &time", self.dose_time))
        self.form.addWidget(self.dose_time)
        self.form.addWidget(self.new_time)
        self.form.addWidget(self.now_line)
        self.form.addWidget(self.amount)
        self.form.addWidget(self.total_line)
        self.form.addWidget(buddy_label("&Date", self.date))
        self.form.addWidget(self.date)
        reason_words = "Rea&son (optional)" if cut else "Rea&son"
        self.form.addWidget(buddy_label(reason_words, self.reason))
        self.form.addWidget(self.reason)
        self.form.addWidget(self.reason_message)
        if not cut:
            self.form.addWidget(self.prescriber)
            self.form.addWidget(self.rebase)
            self.form.addWidget(self.hold_days)
        self.prescriber.setVisible(not cut)
        self.rebase.setVisible(False)
        self.hold_days.setVisible(False)

        self.medication.currentIndexChanged.connect(self._medication_chosen)
        self.dose_time.currentIndexChanged.connect(self._update)
        self.new_time.timeChanged.connect(self._update)
        self.amount.changed.connect(self._update)
        self.date.dateChanged.connect(self._date_changed)
        self.reason.textChanged.connect(self._reason_typed)
        self.rebase.toggled.connect(self._update)
        self.hold_days.changed.connect(self._update)
        self.confirm_button.clicked.connect(self.confirm)
        self._reason_touched = False

    # ---- loading --------------------------------------------------------------------
    def load(self, service: DiaryService, today: dt.date) -> None:
        self._service = service
        self._medications = service.medications()
        self._has_plan = service.plan_summary() is not None
        self.date.blockSignals(True)
        self.date.setMaximumDate(to_qdate(today + FUTURE_ALLOWANCE))
        self.date.setDate(to_qdate(today))
        self.date.blockSignals(False)
        self.amount.clear()
        self.hold_days.clear()
        self.reason.clear()
        self._reason_touched = False
        self.reason_message.clear_message()
        self.prescriber.setChecked(False)
        self.rebase.setChecked(False)
        self.rebase.setVisible(self.kind is ChangeKind.UPDOSE and self._has_plan)
        self._fill_medications()

    def clear(self) -> None:
        self._service = None
        self._medications = []
        self._regimen = None
        self.medication.clear()
        self.dose_time.clear()
        self.amount.clear()
        self.hold_days.clear()
        self.reason.clear()
        self.now_line.clear()
        self.total_line.clear()
        self.reason_message.clear_message()
        self.result_message.clear_message()

    def first_field(self) -> QWidget:
        return self.medication

    def _date_changed(self) -> None:
        self._fill_medications()

    def _fill_medications(self) -> None:
        if self._service is None:
            return
        self._regimen = self._service.regimen_on(to_date(self.date.date()))
        drugs_taken = {d.drug for d in (self._regimen.doses if self._regimen else ())}
        choices = [
            m for m in self._medications if self.kind is ChangeKind.UPDOSE or m.drug in drugs_taken
        ]
        chosen = self.medication.currentText()
        self.medication.blockSignals(True)
        self.medication.clear()
        for med in choices:
            self.medication.addItem(med.name, med)
        # The medication named in the regimen comes first, as it is the likely one.
        named = [d.medication for d in (self._regimen.doses if self._regimen else ())]
        preferred = chosen or next((n for n in named if n), "")
        index = self.medication.findText(preferred)
        self.medication.setCurrentIndex(max(index, 0))
        self.medication.blockSignals(False)
        self._medication_chosen()

    def _medication_chosen(self) -> None:
        med = self._med()
        self.dose_time.blockSignals(True)
        self.dose_time.clear()
        for dose in self._doses_of(med):
            self.dose_time.addItem(f"{dose.time:%H:%M}  now {mg(dose.mg)}", dose)
        if self.kind is ChangeKind.UPDOSE:
            self.dose_time.addItem(NEW_TIME, None)
        self.dose_time.blockSignals(False)
        self._update()

    # ---- checking as you type ---------------------------------------------------------
    def _med(self) -> Medication | None:
        data = self.medication.currentData()
        return data if isinstance(data, Medication) else None

    def _doses_of(self, med: Medication | None) -> list[RegimenDose]:
        if med is None or self._regimen is None:
            return []
        return [d for d in self._regimen.doses if d.drug == med.drug]

    def _chosen_dose(self) -> RegimenDose | None:
        data = self.dose_time.currentData()
        return data if isinstance(data, RegimenDose) else None

    def _time(self) -> dt.time | None:
        dose = self._chosen_dose()
        if dose is not None:
            return dose.time
        if self.dose_time.currentText() == NEW_TIME:
            value = self.new_time.time()
            return dt.time(value.hour(), value.minute())
        return None

    def _update(self) -> None:
        med, dose = self._med(), self._chosen_dose()
        self.new_time.setVisible(self.dose_time.currentText() == NEW_TIME)
        now = 0.0 if dose is None else dose.mg
        if med is None:
            self.now_line.setText(
                "No medication is in the regimen on this date."
                if self.kind is ChangeKind.CUT
                else "Add a medication in Settings first."
            )
        elif dose is None:
            self.now_line.setText(f"No {med.drug} is taken at this time now.")
        else:
            self.now_line.setText(f"Now: {mg(now)} of {med.drug} at {dose.time:%H:%M}.")
        self.amount.set_check(self._amount_check(med, now))
        self.total_line.setText(self._total_text(med))
        self.hold_days.setVisible(self.rebase.isVisible() and self.rebase.isChecked())
        self.confirm_button.setEnabled(self._ready())

    def _amount_check(self, med: Medication | None, now: float) -> Callable[[float], str | None]:
        kind, service = self.kind, self._service

        def check(amount: float) -> str | None:
            if kind is ChangeKind.CUT and not 0 <= amount < now:
                return f"A cut lowers the dose: enter an amount from 0 to below {mg(now)}."
            if kind is ChangeKind.UPDOSE and not amount > now:
                return f"A reinstatement raises the dose: enter more than {mg(now)}."
            if med is None or service is None or amount == 0:
                return None
            products = products_from([med], service.medication_handling())
            below, above_ = nearest_measurable(med.drug, amount, products) if products else (0, 0)
            if products and below != above_:
                near = " and ".join(mg(a) for a in (below, above_) if a is not None)
                return f"{mg(amount)} cannot be measured with {med.name}; the nearest are {near}."
            return None

        return check

    def _total_text(self, med: Medication | None) -> str:
        if self._service is None or self._regimen is None or med is None:
            return ""
        try:
            before = sum(
                self._service.diazepam_equivalent(d.drug, d.mg) for d in self._regimen.doses
            )
            dose, amount = self._chosen_dose(), self.amount.value
            if amount is None:
                return f"Daily total now: {dz(before)} ({self._service_table()})."
            old = 0.0 if dose is None else self._service.diazepam_equivalent(med.drug, dose.mg)
            after = before - old + self._service.diazepam_equivalent(med.drug, amount)
        except DiaryError:
            return ""
        change = percent_change(before, after)
        return f"Daily total: {dz(before)} \N{RIGHTWARDS ARROW} {dz(after)} ({change})."

    def _service_table(self) -> str:
        assert self._service is not None
        return f"{get_table(self._service.equivalence_table()).title} table"

    def _reason_typed(self) -> None:
        self._reason_touched = True
        self._update()

    def _reason_problem(self) -> str | None:
        if self.kind is ChangeKind.UPDOSE and not self.reason.text().strip():
            return "Please give a reason for the reinstatement."
        return None

    def _ready(self) -> bool:
        reason_problem = self._reason_problem()
        if reason_problem and self._reason_touched:
            self.reason_message.show_problem(reason_problem)
        else:
            self.reason_message.clear_message()
        rebase_ok = not self.hold_days.isVisible() or self.hold_days.value is not None
        return (
            self._med() is not None
            and self._time() is not None
            and self.amount.value is not None
            and reason_problem is None
            and rebase_ok
        )

    # ---- recording ------------------------------------------------------------------
    def confirm(self) -> None:
        med, amount, time = self._med(), self.amount.value, self._time()
        if not self._ready() or med is None or amount is None or time is None:
            return
        day = to_date(self.date.date())
        reason = self.reason.text().strip()
        if self.kind is ChangeKind.CUT:
            done = self._save(lambda s: s.record_cut(med.name, amount, time, day, reason))
            what = f"The cut to {mg(amount)} at {time:%H:%M} from {describe_date(day)} is recorded."
        else:
            involved = self.prescriber.isChecked()
            hold = None
            if self.hold_days.isVisible() and self.hold_days.value is not None:
                hold = int(self.hold_days.value)
            done = self._save(
                lambda s: s.reinstate(med.name, amount, reason, time, day, involved, hold)
            )
            what = (
                f"The reinstatement to {mg(amount)} at {time:%H:%M} from "
                f"{describe_date(day)} is recorded."
            )
        if done:
            self.result_message.show_fine(what)
            self.closed.emit()
