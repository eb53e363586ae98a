"""A plan's steps as table rows: date, kind, each dose time's ideal and measurable amount,
the daily DZ-eq, the change against the dose just before, and whether the step is applied,
next or still to come (and how far holds have moved it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from diary.domain.taper.plans import PlanStep, StepKind
from diary.ui.models.text_rows_model import LEFT, RIGHT, TextColumn, TextRowsModel
from diary.ui.taper.wording import day_words, mg, percent_change

KIND_WORDS = {
    StepKind.CROSSOVER: "Crossover stage",
    StepKind.CUT: "Step down",
    StepKind.FINAL: "Last step (0 mg)",
}


@dataclass(frozen=True)
class StepRow:
    number: int
    start: dt.date
    kind: StepKind
    doses: str
    how: str  # how each dose is measured (tablets, pieces, mL)
    diazepam_mg: float
    change: str
    state: str
    is_next: bool = False


def step_rows(
    steps: Sequence[PlanStep],
    before_dz: float | None,
    applied: Sequence[dt.date | None] | None = None,
    planned_starts: Sequence[dt.date] | None = None,
) -> list[StepRow]:
    """Rows for ``steps`` (dates as they fall now). ``before_dz`` is the daily DZ-eq before the
    first step; ``applied`` the date each step became a regimen change (None: not yet);
    ``planned_starts`` the dates the plan had when it was made, to show moves by holds."""
    rows = []
    previous = before_dz
    next_index = next((i for i, day in enumerate(applied or ()) if day is None), None)
    for index, step in enumerate(steps):
        done = applied[index] if applied is not None else None
        rows.append(
            StepRow(
                number=index + 1,
                start=step.start,
                kind=step.kind,
                doses=_doses_text(step),
                how="; ".join(f"{d.time:%H:%M}: {d.how}" for d in step.doses),
                diazepam_mg=step.diazepam_mg,
                change="\N{EM DASH}" if previous is None else _change(step, previous),
                state=_state(index, done, next_index, applied is not None, step, planned_starts),
                is_next=index == next_index,
            )
        )
        previous = step.diazepam_mg
    return rows


def _doses_text(step: PlanStep) -> str:
    if not step.doses:
        return "0 mg: nothing to take"
    drugs = {d.drug for d in step.doses}
    parts = []
    for dose in step.doses:
        name = f"{dose.drug} " if len(drugs) > 1 or step.kind is StepKind.CROSSOVER else ""
        ideal = "" if abs(dose.ideal_mg - dose.mg) < 1e-9 else f" (ideal {dose.ideal_mg:.3g})"
        parts.append(f"{dose.time:%H:%M} {name}{mg(dose.mg)}{ideal}")
    return ", ".join(parts)


def _change(step: PlanStep, before: float) -> str:
    text = percent_change(before, step.diazepam_mg)
    if step.kind is StepKind.CROSSOVER and text == "no change":
        return "same total"
    return text


def _state(
    index: int,
    done: dt.date | None,
    next_index: int | None,
    stored: bool,
    step: PlanStep,
    planned_starts: Sequence[dt.date] | None,
) -> str:
    if not stored:
        return "Preview"
    if done is not None:
        return f"Applied on {day_words(done)}"
    state = "Next" if index == next_index else "Still to come"
    if planned_starts is not None and index < len(planned_starts):
        moved = (step.start - planned_starts[index]).days
        if moved > 0:
            state += f", moved {moved} day{'s' if moved != 1 else ''} by holds"
    return state


ACCENT = QPalette.ColorRole.Link
STEP_COLUMNS: tuple[TextColumn[StepRow], ...] = (
    TextColumn("Step", lambda r: str(r.number), RIGHT, lambda r: r.is_next, None, ACCENT),
    TextColumn("From", lambda r: day_words(r.start), LEFT, lambda r: r.is_next, None, ACCENT),
    TextColumn("Kind", lambda r: KIND_WORDS[r.kind]),
    TextColumn("Per dose time: measurable (ideal)", lambda r: r.doses, tooltip=lambda r: r.how),
    TextColumn("Daily DZ-eq", lambda r: mg(r.diazepam_mg), RIGHT),
    TextColumn("Change", lambda r: r.change, RIGHT),
    TextColumn("State", lambda r: r.state, LEFT, lambda r: r.is_next, None, ACCENT),
)


def steps_model() -> TextRowsModel[StepRow]:
    return TextRowsModel(STEP_COLUMNS)


def table_view(model: QAbstractItemModel, accessible_name: str) -> QTableView:
    """A read-only table that reads row by row (used for steps and the liquid series)."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(accessible_name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # arrows move among rows; Tab leaves the table
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view
