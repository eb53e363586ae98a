"""Warnings: the thresholds behind the Taper page's notes on pace, each with its source.

The notes only state facts and point to the prescriber; these numbers decide when a note
appears. Each field checks itself as you type; Save is possible only when all are sound.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from diary.domain.changes import Changes
from diary.domain.errors import ValidationError
from diary.domain.taper.warnings import GENTLE_PACE, JOINT_GUIDELINE, SHORT_TAPER, Thresholds
from diary.services.diary_service import DiaryService
from diary.ui.settings.section import Save, Section
from diary.ui.taper.fields import NumberField, at_least, between
from diary.ui.widgets.form_parts import FieldMessage, explanation_label

MAX_DAYS = 3650


class WarningsSection(Section):
    title = "Warnings"
    explanation = (
        "The Taper page notes a change in pace when it goes past these numbers. The notes "
        "state the figures and name their source; they never tell you what to do with a dose."
    )

    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self._stored = Thresholds()
        self.hard = NumberField(
            "&Main note: a fall of more than",
            "main percentage",
            between(0, 100, "percentage"),
            unit="%",
        )
        self.soft = NumberField(
            "&Gentler note: a fall of more than",
            "gentler percentage",
            between(0, 100, "percentage"),
            unit="%",
        )
        days = at_least(1, "number of days", " day")
        self.window_days = NumberField(
            "&Within this many days (for both notes)",
            "window in days",
            days,
            whole=True,
            unit="days",
        )
        self.short = NumberField(
            "A plan that reaches 0 mg within this many days is s&hort",
            "short-taper length in days",
            days,
            whole=True,
            unit="days",
        )
        self.long_term = NumberField(
            "…after at least this many days on the regimen (&long-term use)",
            "long-term length in days",
            days,
            whole=True,
            unit="days",
        )
        self.fields = [self.hard, self.soft, self.window_days, self.short, self.long_term]
        self.together_message = FieldMessage()
        self.save_button = QPushButton("&Save thresholds")
        self.save_button.setProperty("role", "primary")
        self.defaults_button = QPushButton("Use the de&faults")
        self.defaults_button.setAccessibleName("Put back the default thresholds")
        self.save_button.clicked.connect(self.save_thresholds)
        self.defaults_button.clicked.connect(lambda: self._fill(Thresholds()))
        for field in self.fields:
            field.changed.connect(self._check)
            field.edit.returnPressed.connect(self.save_thresholds)
        self.add_narrow(self.hard)
        self.body.addWidget(explanation_label(f"Source: {JOINT_GUIDELINE}."))
        self.add_narrow(self.soft)
        self.body.addWidget(explanation_label(f"Source: {GENTLE_PACE}."))
        self.add_narrow(self.window_days)
        self.add_narrow(self.short)
        self.add_narrow(self.long_term)
        self.body.addWidget(explanation_label(f"Source: {SHORT_TAPER}."))
        self.body.addWidget(self.together_message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.defaults_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.clear()

    def load(self, service: DiaryService) -> None:
        stored = service.warning_thresholds()
        if stored != self._stored or self.typed() is None:
            self._fill(stored)  # leaves numbers being typed alone when nothing changed
        self._stored = stored
        self._check()

    def clear(self) -> None:
        self._stored = Thresholds()
        for field in self.fields:
            field.clear()
        self.together_message.clear_message()
        self.save_button.setEnabled(False)

    def concerns(self, changes: Changes) -> bool:
        return changes.settings

    def first_field(self) -> QWidget:
        return self.hard.edit

    def typed(self) -> Thresholds | None:
        """The thresholds as typed, or None while any is missing or not acceptable."""
        values = [field.value for field in self.fields]
        if any(value is None for value in values):
            return None
        hard, soft, window, short, long_term = (float(v or 0) for v in values)
        try:
            return Thresholds(hard, soft, int(window), int(short), int(long_term))
        except ValidationError:
            return None

    def save_thresholds(self) -> None:
        thresholds = self.typed()
        if thresholds is None:
            for field in self.fields:
                field.reveal()
            self._check()
            return
        if self._save(lambda service: service.set_warning_thresholds(thresholds)):
            self._stored = thresholds
            self.together_message.show_fine("Saved. The Taper page uses these numbers now.")
            self._check()

    def _fill(self, thresholds: Thresholds) -> None:
        self.hard.set_value(thresholds.hard_percent)
        self.soft.set_value(thresholds.soft_percent)
        self.window_days.set_value(thresholds.window_days)
        self.short.set_value(thresholds.short_taper_days)
        self.long_term.set_value(thresholds.long_term_days)

    def _check(self) -> None:
        problem = None
        if all(field.is_valid for field in self.fields):
            try:
                values = [float(field.value or 0) for field in self.fields]
                Thresholds(values[0], values[1], *(int(v) for v in values[2:]))
            except ValidationError as error:
                problem = error.message
        if problem is not None:
            self.together_message.show_problem(problem)
        elif self.together_message.tone == "problem":
            self.together_message.clear_message()
        typed = self.typed()
        self.save_button.setEnabled(typed is not None and typed != self._stored)
        if typed is not None and typed != self._stored and self.together_message.tone == "fine":
            self.together_message.clear_message()
