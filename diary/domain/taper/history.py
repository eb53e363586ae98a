"""The regimen timeline: what was in force when, in diazepam equivalents, and how it changed.

Every figure depends on the equivalence table (and the user's overrides) passed in; callers
show the table's name next to it. Figures describe the record; they never advise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from diary.domain.equivalence import DEFAULT_TABLE, canonical_drug, diazepam_equivalent
from diary.domain.errors import ValidationError
from diary.domain.models import ChangeKind, RegimenChange, RegimenDose


@dataclass(frozen=True)
class DayDose:
    """The regimen's daily diazepam equivalent on ``date``, in total and per drug."""

    date: dt.date
    total_mg: float
    by_drug: dict[str, float]


@dataclass(frozen=True)
class CutFigure:
    """One regimen change measured against the daily DZ-eq just before it.

    ``percent`` is the share of the dose just before that was removed: 10.0 for a 10% cut,
    negative for an increase (-25.0 when the dose rose by a quarter), about 0 for a crossover
    stage, and None when the dose just before was 0 (a restart).
    """

    date: dt.date
    kind: ChangeKind
    from_mg: float
    to_mg: float
    percent: float | None


def in_date_order(changes: Sequence[RegimenChange]) -> list[RegimenChange]:
    """Changes by date; of two on one date, the later in ``changes`` wins."""
    latest: dict[dt.date, RegimenChange] = {}
    for change in changes:
        latest[change.date] = change
    return [latest[day] for day in sorted(latest)]


def regimen_on(changes: Sequence[RegimenChange], day: dt.date) -> RegimenChange | None:
    """The change in force on ``day`` (the latest on or before it); None before the first."""
    in_force = [c for c in in_date_order(changes) if c.date <= day]
    return in_force[-1] if in_force else None


def diazepam_by_drug(
    doses: Sequence[RegimenDose],
    table: str = DEFAULT_TABLE,
    overrides: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Daily DZ-eq of each drug in ``doses``."""
    totals: dict[str, float] = {}
    for dose in doses:
        drug = canonical_drug(dose.drug)
        totals[drug] = totals.get(drug, 0.0) + diazepam_equivalent(drug, dose.mg, table, overrides)
    return totals


def daily_diazepam(
    doses: Sequence[RegimenDose],
    table: str = DEFAULT_TABLE,
    overrides: Mapping[str, float] | None = None,
) -> float:
    return sum(diazepam_by_drug(doses, table, overrides).values())


def daily_diazepam_series(
    changes: Sequence[RegimenChange],
    start: dt.date,
    end: dt.date,
    table: str = DEFAULT_TABLE,
    overrides: Mapping[str, float] | None = None,
) -> list[DayDose]:
    """One DayDose per day from ``start`` to ``end`` inclusive. Days before the first recorded
    regimen are left out: an unknown regimen is not a dose of 0."""
    if end < start:
        raise ValidationError("The end of the period is before its start.", field="end")
    ordered = in_date_order(changes)
    by_drug = [diazepam_by_drug(c.doses, table, overrides) for c in ordered]
    series: list[DayDose] = []
    current = -1
    day = start
    while day <= end:
        while current + 1 < len(ordered) and ordered[current + 1].date <= day:
            current += 1
        if current >= 0:
            drugs = by_drug[current]
            series.append(DayDose(day, sum(drugs.values()), dict(drugs)))
        day += dt.timedelta(days=1)
    return series


def cut_figures(
    changes: Sequence[RegimenChange],
    table: str = DEFAULT_TABLE,
    overrides: Mapping[str, float] | None = None,
) -> list[CutFigure]:
    """Every change after the first, against the daily DZ-eq just before it."""
    ordered = in_date_order(changes)
    totals = [daily_diazepam(c.doses, table, overrides) for c in ordered]
    figures: list[CutFigure] = []
    for before, after, change in zip(totals, totals[1:], ordered[1:], strict=False):
        percent = (before - after) / before * 100 if before > 0 else None
        figures.append(CutFigure(change.date, change.kind, before, after, percent))
    return figures


def reduction_over(series: Sequence[DayDose], day: dt.date, window_days: int) -> float | None:
    """Percent of the daily DZ-eq removed by the changes of the ``window_days`` days ending on
    ``day`` (the dose on ``day`` against the dose ``window_days`` earlier). Negative when the
    dose rose; None when either day is outside the series or the earlier dose was 0."""
    if window_days < 1:
        raise ValidationError("A window is at least 1 day long.", field="window")
    totals = {d.date: d.total_mg for d in series}
    before = totals.get(day - dt.timedelta(days=window_days))
    now = totals.get(day)
    if before is None or now is None or before <= 0:
        return None
    return (before - now) / before * 100


def largest_reduction(series: Sequence[DayDose], window_days: int) -> tuple[dt.date, float] | None:
    """The day whose trailing ``window_days`` removed the largest share of the dose, and that
    share; None when no window fits in the series or nothing was removed."""
    best: tuple[dt.date, float] | None = None
    for day_dose in series:
        percent = reduction_over(series, day_dose.date, window_days)
        if percent is not None and percent > 0 and (best is None or percent > best[1]):
            best = (day_dose.date, percent)
    return best


def count_stop_restart_cycles(
    changes: Sequence[RegimenChange],
    table: str = DEFAULT_TABLE,
    overrides: Mapping[str, float] | None = None,
) -> int:
    """How many times the daily DZ-eq reached 0 and then rose again: context for a clinician,
    never a score."""
    cycles = 0
    taken_before = stopped = False
    for change in in_date_order(changes):
        total = daily_diazepam(change.doses, table, overrides)
        if total > 0:
            cycles += 1 if stopped else 0
            taken_before, stopped = True, False
        elif taken_before:
            stopped = True
    return cycles
