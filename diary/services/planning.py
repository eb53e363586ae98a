"""Plans and taper figures as the CLI and the GUI show them, built from domain maths.

Nothing here reads or writes the diary: ``preview_steps`` works without one (``plan preview``),
and ``DiaryService`` feeds these functions what it has read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from diary.domain.equivalence import canonical_drug, factor_for, get_table
from diary.domain.models import ChangeKind, Hold, RegimenChange, RegimenDose
from diary.domain.taper.history import diazepam_by_drug
from diary.domain.taper.measurable import Product
from diary.domain.taper.plan_record import PlanRecord
from diary.domain.taper.plans import PlanSpec, PlanStep, build_crossover, build_plan, validate_spec
from diary.domain.taper.rates import TaperFigures
from diary.domain.taper.warnings import TaperWarning


@dataclass(frozen=True)
class PlanSummary:
    plan: PlanRecord
    schedule: tuple[PlanStep, ...]  # with holds counted (see ``scheduled_steps``)
    next_step: PlanStep | None  # the first step not yet applied
    steps_left: int
    projected_end: dt.date | None  # the day it would reach 0 mg, holds counted


@dataclass(frozen=True)
class TaperStatus:
    today: dt.date
    table: str  # the equivalence table's name
    table_title: str
    regimen: RegimenChange | None  # in force today
    dz_by_dose: tuple[float, ...]  # DZ-eq of each dose of ``regimen``
    dz_by_drug: dict[str, float]
    dz_total: float | None
    figures: TaperFigures
    active_hold: Hold | None
    warnings: tuple[TaperWarning, ...]
    plan: PlanSummary | None


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event of the regimen history: a regimen change or a hold starting or ending."""

    date: dt.date
    kind: str  # start, cut, updose, crossover, hold_start, hold_end
    dz_total: float | None  # the daily DZ-eq from this date (regimen changes only)
    text: str


def preview_steps(
    current: Sequence[RegimenDose],
    spec: PlanSpec,
    products: Sequence[Product],
    table: str,
    overrides: Mapping[str, float] | None = None,
    crossover_to: str | None = None,
    stage_days: int | None = None,
) -> list[PlanStep]:
    """The steps of a plan from ``current``: a taper of its one drug, or with ``crossover_to``
    a crossover (one dose time per stage of ``stage_days``, default the interval) followed by
    the taper of the target drug."""
    get_table(table)
    validate_spec(spec)
    if crossover_to is None:
        return build_plan(current, spec, products, table, overrides)
    target = canonical_drug(crossover_to)
    factor_for(target, table, overrides)  # a drug the table has no value for cannot be a target
    days = spec.interval_days if stage_days is None else stage_days
    return build_crossover(current, target, days, spec.start, products, table, overrides, spec)


def timeline(
    changes: Sequence[RegimenChange],
    holds: Sequence[Hold],
    table: str,
    overrides: Mapping[str, float] | None = None,
) -> list[TimelineEntry]:
    """Regimen changes and hold starts and ends, in date order."""
    entries = []
    for change in changes:
        total = sum(diazepam_by_drug(change.doses, table, overrides).values())
        doses = ", ".join(f"{d.drug} {d.mg:g} mg at {d.time:%H:%M}" for d in change.doses)
        text = doses or "nothing"
        if change.reason:
            text += f" ({change.reason})"
        entries.append(TimelineEntry(change.date, ChangeKind(change.kind).value, total, text))
    for hold in holds:
        entries.append(TimelineEntry(hold.start, "hold_start", None, hold.reason or "hold"))
        if hold.end is not None:
            entries.append(TimelineEntry(hold.end, "hold_end", None, hold.reason or "hold"))
    return sorted(entries, key=lambda e: e.date)
