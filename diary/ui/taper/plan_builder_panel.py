"""Build a plan, or plan a crossover, with a live preview of its steps before saving.

Method: a percentage of the most recent dose every N days (the person picks the final step,
as a percentage taper never reaches 0 by itself), fixed mg steps, or their own list. The
crossover planner first moves the current regimen to one drug (diazepam by default), one
dose time per stage, then goes on with the chosen method. Every field is checked as you type;
the plan is saved only with the Save button, and a saved plan never applies itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from diary.domain.changes import Changes
from diary.domain.equivalence import known_drugs
from diary.domain.errors import DiaryError, ValidationError
from diary.domain.models import Form
from diary.domain.taper.plans import PlanMethod, PlanSpec, PlanStep
from diary.domain.taper.products import split_word
from diary.domain.taper.warnings import TaperWarning, plan_warnings
from diary.services.diary_service import DiaryService
from diary.ui.models.text_rows_model import TextRowsModel
from diary.ui.taper.fields import (
    NumberField,
    Panel,
    above,
    at_least,
    between,
    date_field,
    to_date,
    to_qdate,
)
from diary.ui.taper.plan_table import StepRow, step_rows, steps_model, table_view
from diary.ui.taper.wording import day_words
from diary.ui.widgets.form_parts import FieldMessage, buddy_label, explanation_label

Action = Callable[[DiaryService], Changes]
Save = Callable[[Action], bool]

METHODS = (
    (PlanMethod.PERCENT, "A percentage of the most recent dose"),
    (PlanMethod.STEP, "The same number of mg each step"),
    (PlanMethod.CUSTOM, "My own list of daily amounts"),
)
DEFAULT_TARGET = "diazepam"


class PlanBuilderPanel(Panel):
    def __init__(self, save: Save, crossover: bool = False) -> None:
        super().__init__(
            "Crossover planner" if crossover else "Build a plan",
            "Moves the current regimen to one drug, one dose time per stage, keeping the daily "
            "total about the same; then goes on with the taper method below. "
            if crossover
            else "Works out future steps from the current regimen. Nothing changes until you "
            "apply a step yourself; a plan never applies itself.",
            "Save as my plan",
        )
        self.crossover = crossover
        self._save = save
        self._service: DiaryService | None = None
        self._today = dt.date.today()
        self._current_dz: float | None = None
        self._table_title = ""
        self._regimen_since: dt.date | None = None
        self.steps: list[PlanStep] = []
        self.warnings: list[TaperWarning] = []

        self.target = QComboBox()
        self.target.setAccessibleName("Drug to cross over to")
        self.target.addItems(known_drugs())
        self.target.setCurrentText(DEFAULT_TARGET)
        self.stage_days = NumberField(
            "Days per crossover sta&ge",
            "days per stage",
            at_least(1, "number of days per stage", " day"),
            whole=True,
            unit="days",
            example="e.g. 14",
        )
        self.method = QComboBox()
        self.method.setAccessibleName("Taper method")
        for method, words in METHODS:
            self.method.addItem(words, method.value)
        self.percent = NumberField(
            "&Percentage cut at each step",
            "percentage",
            between(0, 100, "percentage"),
            unit="%",
            example="e.g. 10",
        )
        self.step_mg = NumberField(
            "&Step size (daily mg)", "step size", above(0, "step size", " mg"), unit="mg"
        )
        self.custom = QLineEdit()
        self.custom.setAccessibleName("Daily amounts, from the next one down to 0")
        self.custom.setPlaceholderText("e.g. 9; 8; 7; 6; 0")
        self.custom_label = buddy_label("Daily amounts in mg, separated by ;", self.custom)
        self.custom_message = FieldMessage()
        self.final_step = NumberField(
            "&Final step: below this daily amount the next step is 0 mg",
            "final step",
            above(0, "final step", " mg"),
            unit="mg",
            example="e.g. 0.5",
        )
        self.interval = NumberField(
            "&Interval between steps",
            "interval",
            at_least(1, "interval between steps", " day"),
            whole=True,
            unit="days",
            example="e.g. 14",
        )
        self.start = date_field("First step on")
        self.products_line = explanation_label("")
        self.preview_title = explanation_label("Preview")
        self.preview_model: TextRowsModel[StepRow] = steps_model()
        self.preview = table_view(self.preview_model, "Preview of the plan's steps")
        self.preview.setMinimumHeight(self.fontMetrics().height() * 12)
        self.preview_message = FieldMessage()
        self.notes = FieldMessage()
        self.replaces_line = explanation_label("")

        if crossover:
            self.form.addWidget(buddy_label("Cross over &to", self.target))
            self.form.addWidget(self.target)
            self.form.addWidget(self.stage_days)
        self.form.addWidget(buddy_label("&Method", self.method))
        self.form.addWidget(self.method)
        for widget in (self.percent, self.final_step, self.step_mg):
            self.form.addWidget(widget)
        self.form.addWidget(self.custom_label)
        self.form.addWidget(self.custom)
        self.form.addWidget(self.custom_message)
        self.form.addWidget(self.interval)
        self.form.addWidget(buddy_label("First step o&n", self.start))
        self.form.addWidget(self.start)
        self.form.addWidget(self.products_line)
        self.below.addWidget(self.preview_title)
        self.below.addWidget(self.preview)
        self.below.addWidget(self.preview_message)
        self.below.addWidget(self.notes)
        self.below.addWidget(self.replaces_line)
        self.target.setVisible(crossover)
        self.stage_days.setVisible(crossover)

        for field in (self.stage_days, self.percent, self.step_mg, self.final_step, self.interval):
            field.changed.connect(self.refresh_preview)
        self.target.currentIndexChanged.connect(self.refresh_preview)
        self.method.currentIndexChanged.connect(self._method_chosen)
        self.custom.textChanged.connect(self.refresh_preview)
        self.start.dateChanged.connect(self.refresh_preview)
        self.confirm_button.clicked.connect(self.confirm)
        self._method_chosen()

    # ---- loading --------------------------------------------------------------------
    def load(self, service: DiaryService, today: dt.date) -> None:
        self._service = service
        self._today = today
        status = service.status(today)
        self._current_dz = status.dz_total
        self._table_title = status.table_title
        history = service.regimen_history()
        self._regimen_since = min((c.date for c in history), default=None)
        self.start.blockSignals(True)
        self.start.setMinimumDate(to_qdate(today))
        self.start.setDate(to_qdate(today))
        self.start.blockSignals(False)
        self.products_line.setText(self._products_text(service))
        self.replaces_line.setText(
            "Saving replaces the plan you have now; its applied steps stay in the regimen."
            if status.plan is not None
            else ""
        )
        self.refresh_preview()

    def clear(self) -> None:
        self._service = None
        self._current_dz = None
        self.steps = []
        self.warnings = []
        for field in (self.stage_days, self.percent, self.step_mg, self.final_step, self.interval):
            field.clear()
        self.custom.clear()
        self.custom_message.clear_message()
        self.preview_model.clear()
        self.preview_message.clear_message()
        self.notes.clear_message()
        self.products_line.clear()
        self.replaces_line.clear()
        self.result_message.clear_message()
        self.confirm_button.setEnabled(False)

    def first_field(self) -> QWidget:
        return self.target if self.crossover else self.method

    def _products_text(self, service: DiaryService) -> str:
        handling = service.medication_handling()
        parts = []
        for med in service.medications():
            how = handling.get(med.name)
            if med.form is Form.LIQUID:
                syringe = f"syringe marks of {how.syringe_ml:g} mL" if how else "a syringe"
                parts.append(f"{med.name} ({syringe})")
            elif how is not None and how.split > 1:
                parts.append(f"{med.name} (in {split_word(how.split)}s)")
            else:
                parts.append(f"{med.name} (whole)")
        if not parts:
            return "No medications are entered, so amounts are calculated, not measured."
        return (
            "Amounts are rounded to what you can measure with: "
            + ", ".join(parts)
            + ". Tablets and liquids are set in Settings."
        )

    def _method_chosen(self) -> None:
        method = self._method()
        self.percent.setVisible(method is PlanMethod.PERCENT)
        self.final_step.setVisible(method is PlanMethod.PERCENT)
        self.step_mg.setVisible(method is PlanMethod.STEP)
        for widget in (self.custom_label, self.custom):
            widget.setVisible(method is PlanMethod.CUSTOM)
        self.custom_message.setVisible(
            method is PlanMethod.CUSTOM and bool(self.custom_message.text())
        )
        self.refresh_preview()

    def _method(self) -> PlanMethod:
        return PlanMethod(self.method.currentData() or PlanMethod.PERCENT.value)

    # ---- the spec and its preview ---------------------------------------------------
    def _custom_amounts(self) -> tuple[tuple[float, ...], str | None]:
        text = self.custom.text().strip()
        if not text:
            return (), "Enter the daily amounts, from the next one down to 0."
        amounts = []
        for part in text.replace(",", ";").split(";"):
            part = part.strip()
            if not part:
                continue
            try:
                amounts.append(float(part))
            except ValueError:
                return (), f'"{part}" is not a number; enter each daily amount in mg, like 7.5.'
        return tuple(amounts), None

    def spec(self) -> PlanSpec | None:
        """The plan as the fields describe it, or None while a field is not acceptable."""
        method = self._method()
        fields = [self.interval]
        if method is PlanMethod.PERCENT:
            fields += [self.percent, self.final_step]
        elif method is PlanMethod.STEP:
            fields.append(self.step_mg)
        if self.crossover:
            fields.append(self.stage_days)
        custom: tuple[float, ...] = ()
        custom_problem: str | None = None
        if method is PlanMethod.CUSTOM:
            custom, custom_problem = self._custom_amounts()
            if self.custom.text().strip() and custom_problem:
                self.custom_message.show_problem(custom_problem)
            else:
                self.custom_message.clear_message()
        if custom_problem or any(f.value is None for f in fields):
            return None
        assert self.interval.value is not None
        return PlanSpec(
            method,
            int(self.interval.value),
            to_date(self.start.date()),
            percent=self.percent.value if method is PlanMethod.PERCENT else None,
            step_mg=self.step_mg.value if method is PlanMethod.STEP else None,
            custom_mg=custom,
            final_step_mg=self.final_step.value if method is PlanMethod.PERCENT else None,
        )

    def _crossover_args(self) -> tuple[str | None, int | None]:
        if not self.crossover or self.stage_days.value is None:
            return None, None
        return self.target.currentText(), int(self.stage_days.value)

    def refresh_preview(self) -> None:
        self.steps, self.warnings = [], []
        self.preview_message.clear_message()
        self.notes.clear_message()
        spec = self.spec()
        if spec is None or self._service is None:
            self.preview_model.clear()
            self.preview_message.show_note(
                "The preview appears once every field above is filled in."
            )
            self.confirm_button.setEnabled(False)
            return
        target, stage_days = self._crossover_args()
        try:
            self.steps = self._service.preview_plan(spec, target, stage_days)
        except ValidationError as error:
            self._show_service_problem(error)
        except DiaryError as error:
            self.preview_message.show_problem(error.message)
        self.preview_model.set_rows(step_rows(self.steps, self._current_dz))
        self._show_notes()
        self.confirm_button.setEnabled(bool(self.steps))

    def _show_service_problem(self, error: ValidationError) -> None:
        beside: dict[str | None, NumberField] = {
            "percent": self.percent,
            "final_step": self.final_step,
            "step": self.step_mg,
            "interval": self.interval,
            "stage": self.stage_days,
        }
        field = beside.get(error.field)
        if field is not None and field.isVisible():
            field.show_problem(error.message)
        elif error.field == "steps" and self.custom.isVisible():
            self.custom_message.show_problem(error.message)
        else:
            self.preview_message.show_problem(error.message)

    def _show_notes(self) -> None:
        if not self.steps or self._current_dz is None or self._service is None:
            return
        self.warnings = plan_warnings(
            self._current_dz,
            self._today,
            self.steps,
            self._table_title,
            self._regimen_since,
            self._service.warning_thresholds(),
        )
        if self.warnings:
            self.notes.show_note(
                "\n\n".join(f"{w.message}\nSource: {w.source}." for w in self.warnings)
            )
        else:
            last = self.steps[-1]
            self.notes.show_note(
                f"{len(self.steps)} steps; the last one on {day_words(last.start)}, "
                "before any holds."
            )

    # ---- saving ---------------------------------------------------------------------
    def confirm(self) -> None:
        spec = self.spec()
        if spec is None or not self.steps:
            return
        target, stage_days = self._crossover_args()
        count = len(self.steps)
        if self._save(lambda s: s.create_plan(spec, target, stage_days)):
            self.result_message.show_fine(f"The plan of {count} steps is saved.")
            self.closed.emit()
