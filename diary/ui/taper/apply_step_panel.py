"""Apply the plan's next step: shows what the regimen is and what it would become, and
records it as a regimen change from the date the person picks. A plan never applies itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from diary.domain.changes import Changes
from diary.domain.errors import DiaryError
from diary.domain.taper.plans import PlanStep, StepKind
from diary.domain.validation import FUTURE_ALLOWANCE, describe_date
from diary.services.diary_service import DiaryService
from diary.services.planning import PlanSummary
from diary.ui.taper.fields import Panel, date_field, to_date, to_qdate
from diary.ui.taper.wording import day_words, dose_line, dz, mg, percent_change
from diary.ui.widgets.form_parts import buddy_label, explanation_label

Action = Callable[[DiaryService], Changes]
Save = Callable[[Action], bool]


class ApplyStepPanel(Panel):
    def __init__(self, save: Save) -> None:
        super().__init__(
            "Apply the next step",
            "Records the plan's next step as a regimen change from the date you choose. "
            "Nothing changes until you confirm.",
            "Apply this step",
        )
        self._save = save
        self._service: DiaryService | None = None
        self._summary: PlanSummary | None = None
        self.date = date_field("Date the step starts")
        self.before = explanation_label("")
        self.after = explanation_label("")
        self.before.setProperty("role", "")
        self.after.setProperty("role", "")
        self.totals = explanation_label("")
        self.form.addWidget(buddy_label("&Date", self.date))
        self.form.addWidget(self.date)
        self.form.addWidget(self.before)
        self.form.addWidget(self.after)
        self.form.addWidget(self.totals)
        self.date.dateChanged.connect(self._describe)
        self.confirm_button.clicked.connect(self.confirm)

    def load(self, service: DiaryService, today: dt.date) -> None:
        self._service = service
        self._summary = service.plan_summary()
        self.date.blockSignals(True)
        self.date.setMaximumDate(to_qdate(today + FUTURE_ALLOWANCE))
        self.date.setDate(to_qdate(today))
        self.date.blockSignals(False)
        self._describe()

    def clear(self) -> None:
        self._service = None
        self._summary = None
        for label in (self.before, self.after, self.totals):
            label.clear()
        self.result_message.clear_message()

    def first_field(self) -> QWidget:
        return self.date

    @property
    def step(self) -> PlanStep | None:
        return None if self._summary is None else self._summary.next_step

    def _describe(self) -> None:
        step, service = self.step, self._service
        if step is None or service is None or self._summary is None:
            self.before.setText("There is no step to apply: no plan is active, or it is done.")
            self.after.clear()
            self.totals.clear()
            self.confirm_button.setEnabled(False)
            return
        day = to_date(self.date.date())
        count = len(self._summary.plan.steps)
        regimen = service.regimen_on(day)
        now = [dose_line(d) for d in (regimen.doses if regimen else ())]
        self.before.setText(f"Regimen on {day_words(day)}:\n  " + ("\n  ".join(now) or "none"))
        planned = [f"{d.time:%H:%M}  {d.drug} {mg(d.mg)}  ({d.how})" for d in step.doses]
        kind = "a crossover stage" if step.kind is StepKind.CROSSOVER else "a step down"
        self.after.setText(
            f"Step {step.index + 1} of {count} ({kind}, planned for "
            f"{day_words(step.start)}) would make it:\n  "
            + ("\n  ".join(planned) or "0 mg: nothing to take")
        )
        try:
            before = (
                sum(service.diazepam_equivalent(d.drug, d.mg) for d in regimen.doses)
                if (regimen)
                else None
            )
        except DiaryError:
            before = None
        change = "" if before is None else f" ({percent_change(before, step.diazepam_mg)})"
        self.totals.setText(
            f"Daily total: {dz(before)} \N{RIGHTWARDS ARROW} {dz(step.diazepam_mg)}{change}."
        )
        self.confirm_button.setText(f"Apply step {step.index + 1} from {describe_date(day)}")
        self.confirm_button.setEnabled(True)

    def confirm(self) -> None:
        if self.step is None:
            return
        day = to_date(self.date.date())
        number = self.step.index + 1
        if self._save(lambda s: s.apply_next_step(day)):
            self.result_message.show_fine(f"Step {number} is recorded from {describe_date(day)}.")
            self.closed.emit()
