"""Overall taper figures: where the person started, where they are, and how fast it went.

Every figure is diazepam-equivalent (DZ-eq) by one named table, and every percentage is
relative to a dose the person actually had (never to a planned one). These are records to
show, not targets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from diary.domain.models import ChangeKind, Hold, RegimenChange
from diary.domain.taper.history import (
    count_stop_restart_cycles,
    daily_diazepam,
    daily_diazepam_series,
    in_date_order,
    reduction_over,
)

DAYS_PER_MONTH = 365.25 / 12
ROLLING_WINDOWS = (14, 28)
TAPER_KINDS = (ChangeKind.CUT, ChangeKind.CROSSOVER)


@dataclass(frozen=True)
class DzPoint:
    """From ``date`` on, the regimen's daily total is ``total_mg`` DZ-eq."""

    date: dt.date
    kind: ChangeKind
    total_mg: float


@dataclass(frozen=True)
class TaperFigures:
    table: str  # the equivalence table's name, part of every figure below
    start_mg: float | None  # DZ-eq of the first recorded regimen
    current_mg: float | None  # DZ-eq of the regimen in force on ``today``
    percent_reduced: float | None  # of ``start_mg``
    taper_start: dt.date | None  # the first cut or crossover step
    days_on_taper: int | None
    mg_per_month: float | None  # average DZ-eq reduced per month since ``taper_start``
    percent_per_month: float | None  # the same, as a share of ``start_mg``
    cuts: int
    reinstatements: int
    holds: int
    hold_days: int  # an open hold counts up to ``today``
    reduced_percent: Mapping[int, float | None]  # trailing window in days -> % reduced
    stop_restart_cycles: int  # context for the clinician, never a score
    projected_end: dt.date | None  # of the active plan, with holds counted


def dz_timeline(
    changes: Sequence[RegimenChange], table: str, overrides: Mapping[str, float] | None = None
) -> list[DzPoint]:
    """The daily DZ-eq as a step function: one point per regimen change, oldest first."""
    return [
        DzPoint(c.date, c.kind, daily_diazepam(c.doses, table, overrides))
        for c in in_date_order(changes)
    ]


def rolling_reductions(
    changes: Sequence[RegimenChange],
    today: dt.date,
    table: str,
    overrides: Mapping[str, float] | None = None,
) -> dict[int, float | None]:
    """Percent reduced over each trailing window in ``ROLLING_WINDOWS`` up to ``today``."""
    since = today - dt.timedelta(days=max(ROLLING_WINDOWS))
    series = daily_diazepam_series(changes, since, today, table, overrides)
    return {days: reduction_over(series, today, days) for days in ROLLING_WINDOWS}


def hold_days(holds: Sequence[Hold], today: dt.date) -> int:
    """Days spent in holds, each counted from its start to its end (or ``today``) inclusive."""
    total = 0
    for hold in holds:
        if hold.start > today:
            continue
        end = today if hold.end is None else min(hold.end, today)
        total += (end - hold.start).days + 1
    return total


def taper_figures(
    changes: Sequence[RegimenChange],
    holds: Sequence[Hold],
    today: dt.date,
    table: str,
    overrides: Mapping[str, float] | None = None,
    projected_end: dt.date | None = None,
) -> TaperFigures:
    points = dz_timeline(changes, table, overrides)
    past = [p for p in points if p.date <= today]
    start_mg = past[0].total_mg if past else None
    current_mg = past[-1].total_mg if past else None
    taper_start = next((p.date for p in past if p.kind in TAPER_KINDS), None)
    days_on_taper = None if taper_start is None else (today - taper_start).days
    reduced_mg = None
    if start_mg is not None and current_mg is not None:
        reduced_mg = start_mg - current_mg
    percent_reduced = None
    if reduced_mg is not None and start_mg:
        percent_reduced = reduced_mg / start_mg * 100
    mg_per_month = percent_per_month = None
    if days_on_taper and reduced_mg is not None:
        months = days_on_taper / DAYS_PER_MONTH
        mg_per_month = reduced_mg / months
        if percent_reduced is not None:
            percent_per_month = percent_reduced / months
    return TaperFigures(
        table=table,
        start_mg=start_mg,
        current_mg=current_mg,
        percent_reduced=percent_reduced,
        taper_start=taper_start,
        days_on_taper=days_on_taper,
        mg_per_month=mg_per_month,
        percent_per_month=percent_per_month,
        cuts=sum(1 for p in past if p.kind is ChangeKind.CUT),
        reinstatements=sum(1 for p in past if p.kind is ChangeKind.UPDOSE),
        holds=sum(1 for h in holds if h.start <= today),
        hold_days=hold_days(holds, today),
        reduced_percent=rolling_reductions(changes, today, table, overrides),
        stop_restart_cycles=count_stop_restart_cycles(changes, table, overrides),
        projected_end=projected_end,
    )
