"""The liquid calculator: a suspension made from tablets, the volume for a dose, the dose
left after removing some mL, the "remove k mL on day k" series with each day's cut, and the
syringe's rounding with the dose it really gives. It computes; it saves nothing and never
suggests a dose."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QWidget

from diary.domain.errors import DiaryError
from diary.domain.taper.liquid import (
    SHAKE_NOTE,
    LiquidDay,
    dose_after_removing,
    remove_k_ml_series,
    round_to_syringe,
    suspension_concentration,
)
from diary.services.diary_service import DiaryService
from diary.ui.models.text_rows_model import RIGHT, TextColumn, TextRowsModel
from diary.ui.taper.fields import NumberField, Panel, above, at_least
from diary.ui.taper.plan_table import table_view
from diary.ui.widgets.form_parts import FieldMessage, explanation_label

LARGE_CUT_PERCENT = 10.0  # a day's cut above this is highlighted (the softer warning level)
MAX_SERIES_DAYS = 1000


def _cut_text(day: LiquidDay) -> str:
    return "\N{EM DASH}" if day.cut_percent is None else f"{day.cut_percent:.1f}%"


def _is_large(day: LiquidDay) -> bool:
    return day.cut_percent is not None and day.cut_percent > LARGE_CUT_PERCENT


SERIES_COLUMNS: tuple[TextColumn[LiquidDay], ...] = (
    TextColumn("Day", lambda d: str(d.day), RIGHT),
    TextColumn("Removed", lambda d: f"{d.removed_ml:g} mL", RIGHT),
    TextColumn("Dose", lambda d: f"{d.dose_mg:.3g} mg", RIGHT),
    TextColumn("Cut from the day before", _cut_text, RIGHT, _is_large),
)


class LiquidPanel(Panel):
    def __init__(self) -> None:
        super().__init__(
            "Liquid calculator",
            "Works out amounts for a liquid made by suspending tablets in water or milk. "
            "It only calculates; nothing is saved.",
            "",
        )
        self.confirm_button.hide()
        self.shake_note = QLabel(SHAKE_NOTE)
        self.shake_note.setWordWrap(True)
        self.shake_note.setProperty("role", "note")
        self.shake_note.setAccessibleName("Shake before every dose")
        self.tablet_mg = NumberField(
            "&Tablet strength", "tablet strength", above(0, "tablet strength", " mg"), unit="mg"
        )
        self.tablets = NumberField(
            "&Number of tablets", "number of tablets", above(0, "number of tablets"), unit="tablets"
        )
        self.volume = NumberField(
            "&Volume of liquid", "volume", above(0, "volume", " mL"), unit="mL"
        )
        self.concentration_line = explanation_label("")
        self.removed = NumberField(
            "mL re&moved and thrown away",
            "volume removed",
            at_least(0, "volume removed", " mL"),
            optional=True,
            unit="mL",
        )
        self.removed_line = FieldMessage()
        self.target = NumberField(
            "Volume for a &dose of", "dose", above(0, "dose", " mg"), optional=True, unit="mg"
        )
        self.syringe = NumberField(
            "&Syringe marks every", "syringe marks", above(0, "syringe marks", " mL"), unit="mL"
        )
        self.target_line = FieldMessage()
        self.daily_step = NumberField(
            "Remove this many more mL each da&y",
            "daily step",
            above(0, "daily step", " mL"),
            optional=True,
            unit="mL",
        )
        self.series_model: TextRowsModel[LiquidDay] = TextRowsModel(SERIES_COLUMNS)
        self.series = table_view(self.series_model, "Dose on each day of removing more mL")
        self.series.setMinimumHeight(self.fontMetrics().height() * 10)
        self.series_note = FieldMessage()

        self.form.addWidget(self.shake_note)
        for widget in (self.tablet_mg, self.tablets, self.volume):
            self.form.addWidget(widget)
        self.form.addWidget(self.concentration_line)
        self.form.addWidget(self.removed)
        self.form.addWidget(self.removed_line)
        self.form.addWidget(self.target)
        self.form.addWidget(self.syringe)
        self.form.addWidget(self.target_line)
        self.form.addWidget(self.daily_step)
        self.below.addWidget(self.series_note)
        self.below.addWidget(self.series)
        for field in (
            self.tablet_mg,
            self.tablets,
            self.volume,
            self.removed,
            self.target,
            self.syringe,
            self.daily_step,
        ):
            field.changed.connect(self.calculate)
        self.clear()

    def first_field(self) -> QWidget:
        return self.tablet_mg.edit

    def load(self, service: DiaryService, today: dt.date) -> None:
        """Nothing to read: the calculator keeps what was typed until the diary locks."""

    def clear(self) -> None:
        for field in (self.tablet_mg, self.volume, self.removed, self.target, self.daily_step):
            field.clear()
        self.tablets.set_value(1)
        self.syringe.set_value(0.1)
        self.calculate()

    @property
    def concentration(self) -> float | None:
        strength, count, volume = self.tablet_mg.value, self.tablets.value, self.volume.value
        if strength is None or count is None or volume is None:
            return None
        return suspension_concentration(strength, count, volume)

    def calculate(self) -> None:
        concentration = self.concentration
        for line in (self.removed_line, self.target_line, self.series_note):
            line.clear_message()
        self.series_model.clear()
        if concentration is None:
            self.concentration_line.setText("Enter the tablets and the volume to begin.")
            return
        total = concentration * (self.volume.value or 0)
        self.concentration_line.setText(
            f"Concentration: {concentration:.4g} mg/mL ({total:g} mg in {self.volume.value:g} mL)."
        )
        try:
            self._removed(concentration)
            self._target(concentration)
            self._series()
        except DiaryError as error:
            self.series_note.show_problem(error.message)

    def _removed(self, concentration: float) -> None:
        removed, volume = self.removed.value, self.volume.value
        if removed is None or volume is None or self.tablet_mg.value is None:
            return
        if removed > volume:
            self.removed.show_problem(f"Only {volume:g} mL can be removed from {volume:g} mL.")
            return
        dose = dose_after_removing(self.tablet_mg.value, volume, removed, self.tablets.value or 1)
        self.removed_line.show_fine(
            f"Dose left after removing {removed:g} mL: {dose:.4g} mg "
            f"(in the {volume - removed:g} mL that stay)."
        )

    def _target(self, concentration: float) -> None:
        target, resolution = self.target.value, self.syringe.value
        if target is None or resolution is None:
            return
        measured = round_to_syringe(target, concentration, resolution)
        real = (
            f"the syringe measures {measured.ml:g} mL, which holds {measured.mg:.4g} mg"
            if abs(measured.mg - target) > 1e-9
            else f"exactly {measured.ml:g} mL on the syringe"
        )
        self.target_line.show_fine(
            f"{target:g} mg is {measured.ideal_ml:.4g} mL; {real}. Shake before measuring."
        )

    def _series(self) -> None:
        step, volume, strength = self.daily_step.value, self.volume.value, self.tablet_mg.value
        if step is None or volume is None or strength is None:
            return
        if volume / step > MAX_SERIES_DAYS:
            self.daily_step.show_problem(
                f"That makes more than {MAX_SERIES_DAYS} days; enter a larger daily step."
            )
            return
        days = remove_k_ml_series(strength, volume, step, self.tablets.value or 1)
        self.series_model.set_rows(days)
        large = [d for d in days if _is_large(d)]
        if large:
            self.series_note.show_note(
                f"The dose falls by the same mg each day, so each day's cut is a larger share "
                f"of what is left: from day {large[0].day} on, each cut is more than "
                f"{LARGE_CUT_PERCENT:g}% (shown in bold), and the last day's is 100%."
            )
