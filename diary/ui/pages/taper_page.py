"""The Taper page: the regimen now in diazepam equivalents (with the table named), the rate
figures, calm notes on pace with their sources, the active plan as a timeline of steps, and
the actions (hold, cut, next step, reinstatement, plan builder, crossover planner, liquid
calculator), each a panel inside the page.

It records and shows; it never tells anyone to cut, hold or reinstate. Every change goes
through ``mutate`` (the window's one way to change the diary); a save that fails puts up a
banner saying the change is NOT saved, why, with Retry running the same change again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from diary.domain.changes import Changes
from diary.domain.models import ChangeKind
from diary.domain.taper.plans import PlanMethod
from diary.domain.taper.warnings import Level, TaperWarning
from diary.services.diary_service import DiaryService
from diary.services.planning import PlanSummary, TaperStatus
from diary.ui.models.text_rows_model import TextRowsModel
from diary.ui.taper.apply_step_panel import ApplyStepPanel
from diary.ui.taper.dose_change_panel import DoseChangePanel
from diary.ui.taper.fields import Panel
from diary.ui.taper.hold_panel import HoldPanel
from diary.ui.taper.liquid_panel import LiquidPanel
from diary.ui.taper.plan_builder_panel import PlanBuilderPanel
from diary.ui.taper.plan_table import StepRow, step_rows, steps_model, table_view
from diary.ui.taper.regimen_panel import RegimenPanel
from diary.ui.taper.wording import day_words, dz, hold_words, mg, span_words
from diary.ui.widgets.form_parts import explanation_label, title_label
from diary.ui.widgets.save_state import ChangeSaver, NotSavedBanner, SavedIndicator

Action = Callable[[DiaryService], Changes]
Mutate = Callable[[Action], Changes | None]

TWO_COLUMNS_FROM_CHARS = 140  # narrower than this many characters: one column
ACTION_COLUMNS = 4
STYLE = """
QFrame[role="section"] { border: 1px solid palette(mid); border-radius: 8px; }
QFrame[role="taper-note"] {
    border: 2px solid palette(link); border-radius: 6px; background: palette(alternate-base);
}
QFrame[role="taper-note"] QLabel { border: 0; }
QLabel[role="note"] {
    border: 2px solid palette(link); border-radius: 6px; padding: 6px;
    background: palette(alternate-base);
}
QPushButton[role="primary"] { font-weight: 600; border: 2px solid palette(link); }
QPushButton[role="primary"]:disabled { font-weight: normal; border: 1px solid palette(mid); }
/* the accent already outlines a primary button: its focus ring is the text colour */
QPushButton[role="primary"]:focus { border: 3px solid palette(text); }
QDateEdit, QTimeEdit, QComboBox { padding: 4px; }
QDateEdit:focus, QTimeEdit:focus, QComboBox:focus { border: 3px solid palette(link); }
"""
METHOD_WORDS = {
    PlanMethod.PERCENT: "{percent:g}% of the most recent dose every {interval} days",
    PlanMethod.STEP: "{step:g} mg less every {interval} days",
    PlanMethod.CUSTOM: "own list of daily amounts, every {interval} days",
}
LEVEL_WORDS = {Level.CAUTION: "Worth a look", Level.NOTICE: "For information"}


def section(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "section")
    frame.setAccessibleName(title)
    layout = QVBoxLayout(frame)
    layout.addWidget(title_label(title))
    return frame, layout


def clear_layout(layout: QVBoxLayout | QGridLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def action_button(text: str, key: str, description: str) -> QPushButton:
    button = QPushButton(text)
    plain = text.replace("&", "")
    button.setAccessibleName(plain)
    button.setAccessibleDescription(f"{description} Shortcut: Alt+{key}.")
    button.setToolTip(f"{description} (Alt+{key})")
    return button


class TaperPage(QWidget):
    title = "Taper"
    medications_wanted = Signal()  # Set regimen with no medications: open Settings > Medications

    def __init__(
        self,
        mutate: Mutate,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = dt.datetime.now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._service: DiaryService | None = None
        self.status: TaperStatus | None = None
        self.setStyleSheet(STYLE)

        self.saved_indicator = SavedIndicator()
        self.banner = NotSavedBanner()
        self._saver = ChangeSaver(
            mutate, self.banner, self.saved_indicator, now, after_retry=self._after_retry
        )
        self._save = self._saver.save
        self._build_actions()
        self._build_panels()
        self._build_now()
        self._build_notes()
        self._build_figures()
        self._build_plan()

        content = QWidget()
        outer = QVBoxLayout(content)
        outer.addLayout(self.actions_grid)
        outer.addWidget(self.panel_area)
        self._columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.now_section)
        left.addWidget(self.notes_section)
        left.addStretch(1)
        right.addWidget(self.figures_section)
        right.addStretch(1)
        self._columns.addLayout(left, 1)
        self._columns.addLayout(right, 1)
        outer.addLayout(self._columns)
        outer.addWidget(self.plan_section, 1)  # the widest table gets the whole width
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # it follows the focused field
        self.scroller.setWidget(content)

        header = QHBoxLayout()
        header.addStretch(1)  # the window's tab names the page
        header.addWidget(self.saved_indicator)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroller, 1)
        self.close_session()

    # ---- building -------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.hold_button = action_button(
            "Start a &hold", "H", "Start a stretch without cuts, or end the one going on."
        )
        self.cut_button = action_button(
            "Record a &cut", "C", "Record a lower amount for one dose time."
        )
        self.apply_button = action_button(
            "&Apply next step", "A", "Record the plan's next step as a regimen change."
        )
        self.reinstate_button = action_button(
            "Record a re&instatement", "I", "Record a higher amount for one dose time."
        )
        self.build_button = action_button(
            "&Build a plan", "B", "Work out and preview future steps before saving them."
        )
        self.crossover_button = action_button(
            "Cr&ossover planner", "O", "Plan a move to one drug, one dose time at a time."
        )
        self.liquid_button = action_button(
            "&Liquid calculator", "L", "Work out amounts for a liquid made from tablets."
        )
        self.regimen_button = action_button(
            "Set &regimen\N{HORIZONTAL ELLIPSIS}",
            "R",
            "Record the whole regimen, every dose time, from a date you choose.",
        )
        self.action_buttons = [
            self.hold_button,
            self.cut_button,
            self.apply_button,
            self.reinstate_button,
            self.build_button,
            self.crossover_button,
            self.liquid_button,
            self.regimen_button,
        ]
        self.actions_grid = QGridLayout()
        for index, button in enumerate(self.action_buttons):
            self.actions_grid.addWidget(button, index // ACTION_COLUMNS, index % ACTION_COLUMNS)

    def _build_panels(self) -> None:
        self.hold_panel = HoldPanel(self._save)
        self.cut_panel = DoseChangePanel(ChangeKind.CUT, self._save)
        self.apply_panel = ApplyStepPanel(self._save)
        self.reinstate_panel = DoseChangePanel(ChangeKind.UPDOSE, self._save)
        self.plan_panel = PlanBuilderPanel(self._save)
        self.crossover_panel = PlanBuilderPanel(self._save, crossover=True)
        self.liquid_panel = LiquidPanel()
        self.regimen_panel = RegimenPanel(self._save)
        self.regimen_panel.medications_wanted.connect(self.medications_wanted)
        self.panels: dict[QPushButton, Panel] = {
            self.hold_button: self.hold_panel,
            self.cut_button: self.cut_panel,
            self.apply_button: self.apply_panel,
            self.reinstate_button: self.reinstate_panel,
            self.build_button: self.plan_panel,
            self.crossover_button: self.crossover_panel,
            self.liquid_button: self.liquid_panel,
            self.regimen_button: self.regimen_panel,
        }
        self.panel_area = QWidget()
        area = QVBoxLayout(self.panel_area)
        area.setContentsMargins(0, 0, 0, 0)
        for button, panel in self.panels.items():
            area.addWidget(panel)
            panel.hide()
            button.clicked.connect(lambda _=False, p=panel: self.open_panel(p))
            panel.closed.connect(lambda b=button: self._panel_closed(b))
        self.open: Panel | None = None

    def _build_now(self) -> None:
        self.now_section, layout = section("Now")
        self.regimen_grid = QGridLayout()
        self.regimen_grid.setColumnStretch(4, 1)
        self.total_label = QLabel()
        self.total_label.setWordWrap(True)
        self.total_label.setAccessibleName("Daily total in diazepam equivalents")
        self.table_label = explanation_label("")
        self.hold_label = QLabel()
        self.hold_label.setWordWrap(True)
        self.hold_label.setAccessibleName("Hold")
        layout.addLayout(self.regimen_grid)
        layout.addWidget(self.total_label)
        layout.addWidget(self.table_label)
        layout.addWidget(self.hold_label)

    def _build_notes(self) -> None:
        self.notes_section, layout = section("Notes on pace")
        self.notes_list = QVBoxLayout()
        layout.addLayout(self.notes_list)
        self.note_frames: list[QFrame] = []

    def _build_figures(self) -> None:
        self.figures_section, layout = section("Figures")
        self.figures_grid = QGridLayout()
        self.figures_grid.setColumnStretch(1, 1)
        self.figures_source = explanation_label("")
        layout.addLayout(self.figures_grid)
        layout.addWidget(self.figures_source)
        self.figures: dict[str, str] = {}

    def _build_plan(self) -> None:
        self.plan_section, layout = section("Plan")
        self.plan_summary_label = QLabel()
        self.plan_summary_label.setWordWrap(True)
        self.plan_summary_label.setAccessibleName("The plan in short")
        self.plan_model: TextRowsModel[StepRow] = steps_model()
        self.plan_table = table_view(self.plan_model, "Steps of the plan")
        self.plan_table.setMinimumHeight(self.fontMetrics().height() * 14)
        layout.addWidget(self.plan_summary_label)
        layout.addWidget(self.plan_table, 1)

    # ---- the page protocol ----------------------------------------------------------
    def open_session(self, service: DiaryService) -> None:
        self._service = service
        self.setEnabled(True)
        self.reload()

    def close_session(self) -> None:
        """Forget the diary and clear every widget (runs on every lock)."""
        self._service = None
        self._saver.forget()
        self.status = None
        self.banner.hide()
        self.saved_indicator.clear()
        for panel in self.panels.values():
            panel.clear()
            panel.hide()
        self.open = None
        clear_layout(self.regimen_grid)
        for label in (self.total_label, self.table_label, self.hold_label):
            label.clear()
        self._set_notes([])
        clear_layout(self.figures_grid)
        self.figures = {}
        self.figures_source.clear()
        self.plan_summary_label.clear()
        self.plan_model.clear()
        self.setEnabled(False)

    def on_changed(self, changes: Changes) -> None:
        if self._service is None:
            return
        if changes.regimen or changes.holds or changes.settings or changes.medications:
            self.reload()

    def focus_first_field(self) -> None:
        self.hold_button.setFocus()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        wide = self.width() > self.fontMetrics().averageCharWidth() * TWO_COLUMNS_FROM_CHARS
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        self._columns.setDirection(direction)

    # ---- showing the diary ----------------------------------------------------------
    def reload(self) -> None:
        if self._service is None:
            return
        today = self._today()
        self.status = self._service.status(today)
        self._show_now(self.status)
        self._set_notes(list(self.status.warnings))
        self._show_figures(self.status)
        self._show_plan(self.status.plan)
        self._update_actions(self.status)
        if self.open is not None and self.open in (self.hold_panel, self.apply_panel):
            self.open.load(self._service, today)
        if self.open is self.regimen_panel and self.regimen_panel.needs_medications:
            self.regimen_panel.load(self._service, today)  # a medication may be there now

    def _show_now(self, status: TaperStatus) -> None:
        clear_layout(self.regimen_grid)
        doses = status.regimen.doses if status.regimen else ()
        for row, (dose, dz_mg) in enumerate(zip(doses, status.dz_by_dose, strict=True)):
            cells = (f"{dose.time:%H:%M}", dose.drug, mg(dose.mg), f"= {dz(dz_mg)}")
            for column, text in enumerate(cells):
                label = QLabel(text)
                if column >= 2:
                    label.setAlignment(Qt.AlignmentFlag.AlignRight)
                self.regimen_grid.addWidget(label, row, column)
        if not doses:
            empty = QLabel(no_doses_words(status))
            empty.setWordWrap(True)
            self.regimen_grid.addWidget(empty, 0, 0, 1, -1)
        total = "\N{EM DASH}" if status.dz_total is None else mg(status.dz_total)
        self.total_label.setText(f"<b>Daily total: {total} diazepam-equivalent</b>")
        self.table_label.setText(
            f"Equivalents by the {status.table_title} table"
            + self._overrides_words()
            + ". They are approximate and vary between people."
        )
        if status.active_hold is not None:
            self.hold_label.setText(hold_words(status.active_hold, status.today) + ".")
        else:
            self.hold_label.setText("No hold is going on.")

    def _overrides_words(self) -> str:
        overrides = self._service.equivalence_overrides() if self._service else {}
        if not overrides:
            return ""
        own = ", ".join(f"{drug} {value:g} mg" for drug, value in sorted(overrides.items()))
        return f", with your own values for 10 mg diazepam: {own}"

    def _set_notes(self, warnings: list[TaperWarning]) -> None:
        clear_layout(self.notes_list)
        self.note_frames = []
        for warning in warnings:
            frame = QFrame()
            frame.setProperty("role", "taper-note")
            frame.setAccessibleName(LEVEL_WORDS[warning.level])
            frame.setAccessibleDescription(f"{warning.message} Source: {warning.source}.")
            inner = QVBoxLayout(frame)
            message = QLabel(f"<b>{LEVEL_WORDS[warning.level]}.</b> {warning.message}")
            message.setWordWrap(True)
            source = explanation_label(f"Source: {warning.source}.")
            inner.addWidget(message)
            inner.addWidget(source)
            self.notes_list.addWidget(frame)
            self.note_frames.append(frame)
        self.notes_section.setVisible(bool(warnings))

    def note_texts(self) -> list[str]:
        """Each note on pace as the person reads it: message, then source."""
        return [frame.accessibleDescription() for frame in self.note_frames]

    def _show_figures(self, status: TaperStatus) -> None:
        clear_layout(self.figures_grid)
        self.figures = figure_lines(status)
        for row, (name, value) in enumerate(self.figures.items()):
            name_label = QLabel(name)
            name_label.setProperty("role", "explanation")
            value_label = QLabel(value)
            value_label.setWordWrap(True)
            value_label.setAccessibleName(name)
            self.figures_grid.addWidget(name_label, row, 0, Qt.AlignmentFlag.AlignTop)
            self.figures_grid.addWidget(value_label, row, 1)
        self.figures_source.setText(
            f"All figures in diazepam-equivalent by the {status.table_title} table, "
            "from the regimen recorded in this diary."
        )

    def _show_plan(self, summary: PlanSummary | None) -> None:
        if summary is None:
            self.plan_summary_label.setText(
                "No plan is active. A plan is optional: Build a plan or the Crossover planner "
                "work out steps from the current regimen, and nothing changes until you apply "
                "a step yourself."
            )
            self.plan_model.clear()
            self.plan_table.hide()
            return
        plan = summary.plan
        before = self._dz_before_plan(summary)
        self.plan_model.set_rows(
            step_rows(summary.schedule, before, plan.applied, [s.start for s in plan.steps])
        )
        self.plan_table.show()
        self.plan_summary_label.setText(plan_words(summary))

    def _dz_before_plan(self, summary: PlanSummary) -> float | None:
        """The daily DZ-eq in force the day before the first step (as applied, or as it falls
        now): what that step is measured against."""
        if self._service is None or not summary.schedule:
            return None
        first = min(step.start for step in summary.schedule)
        regimen = self._service.regimen_on(first - dt.timedelta(days=1))
        if regimen is None:
            return None
        return sum(self._service.diazepam_equivalent(d.drug, d.mg) for d in regimen.doses)

    def _update_actions(self, status: TaperStatus) -> None:
        # A hold ending today still covers today, but there is nothing left to end.
        in_hold = self._service is not None and any(
            hold.end is None for hold in self._service.holds()
        )
        self.hold_button.setText("End the &hold" if in_hold else "Start a &hold")
        self.hold_button.setAccessibleName("End the hold" if in_hold else "Start a hold")
        has_regimen = status.regimen is not None and bool(status.regimen.doses)
        has_next = status.plan is not None and status.plan.next_step is not None
        self.apply_button.setEnabled(has_next)
        self.cut_button.setEnabled(has_regimen)
        self.build_button.setEnabled(has_regimen)
        self.crossover_button.setEnabled(has_regimen)

    # ---- panels ---------------------------------------------------------------------
    def open_panel(self, panel: Panel) -> None:
        """Show one action's panel (closing any other), filled from the diary."""
        if self._service is None:
            return
        if self.open is not None and self.open is not panel:
            self.open.hide()
        panel.result_message.clear_message()
        panel.load(self._service, self._today())
        panel.show()
        self.open = panel
        self.scroller.ensureWidgetVisible(panel)
        panel.first_field().setFocus()

    def _panel_closed(self, button: QPushButton) -> None:
        panel = self.panels[button]
        panel.hide()
        if self.open is panel:
            self.open = None
        button.setFocus()

    # ---- saving ---------------------------------------------------------------------
    def _after_retry(self) -> None:
        """A Retry saved the change: close the panel it came from and show the diary."""
        if self.open is not None:
            self.open.hide()
            self.open = None
        self.reload()


def no_doses_words(status: TaperStatus) -> str:
    if status.regimen is None:
        return "No regimen is recorded for today. Set regimen\N{HORIZONTAL ELLIPSIS} records one."
    return f"The regimen from {day_words(status.regimen.date, status.today)} has no dose times."


def figure_lines(status: TaperStatus) -> dict[str, str]:
    """The rate figures as name -> sentence, in the order the page shows them."""
    f = status.figures
    lines: dict[str, str] = {}
    if f.start_mg is None or f.current_mg is None:
        return {"Regimen": "No regimen is recorded yet."}
    reduced = "" if f.percent_reduced is None else f", {f.percent_reduced:.1f}% lower"
    lines["Start and now"] = f"{dz(f.start_mg)} at the start; {dz(f.current_mg)} now{reduced}"
    if f.taper_start is not None and f.days_on_taper is not None:
        lines["Time on taper"] = (
            f"{span_words(f.days_on_taper)} since {day_words(f.taper_start, status.today)}"
        )
    if f.mg_per_month is not None:
        share = "" if f.percent_per_month is None else f" ({f.percent_per_month:.1f}% of the start)"
        lines["Average a month"] = f"{mg(f.mg_per_month)}{share}"
    for days, percent in sorted(f.reduced_percent.items()):
        lines[f"Last {days} days"] = (
            "\N{EM DASH}"
            if percent is None
            else f"{percent:.1f}% lower"
            if percent > 0.05
            else f"{-percent:.1f}% higher"
            if percent < -0.05
            else "no change"
        )
    lines["Cuts"] = str(f.cuts)
    hold_days = f"{f.hold_days} day{'s' if f.hold_days != 1 else ''}"
    lines["Holds"] = f"{f.holds} ({hold_days} in all)" if f.holds else "none"
    lines["Reinstatements"] = str(f.reinstatements) if f.reinstatements else "none"
    lines["Stop and restart cycles"] = (
        f"{f.stop_restart_cycles} (context for your clinician)" if f.stop_restart_cycles else "none"
    )
    if f.projected_end is not None:
        lines["Plan reaches 0 mg"] = f"{day_words(f.projected_end, status.today)}, holds counted"
    return lines


def plan_words(summary: PlanSummary) -> str:
    plan = summary.plan
    spec = plan.spec
    method = METHOD_WORDS[spec.method].format(
        percent=spec.percent or 0, step=spec.step_mg or 0, interval=spec.interval_days
    )
    if plan.crossover_to:
        method = f"crossover to {plan.crossover_to}, {plan.stage_days} days a stage, then {method}"
    parts = [f"Made on {day_words(plan.created)}: {method}."]
    count = len(plan.steps)
    done = count - summary.steps_left
    parts.append(f"{done} of {count} steps applied.")
    if summary.next_step is not None:
        parts.append(f"Next step planned for {day_words(summary.next_step.start)}.")
    if summary.projected_end is not None:
        parts.append(f"Reaches 0 mg on {day_words(summary.projected_end)}, holds counted.")
    parts.append("The plan never applies itself.")
    return " ".join(parts)
