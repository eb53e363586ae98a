"""The stability report: every series and figure the Charts page and ``taper-diary stability``
show, computed once per call from the diary's records.

Nothing here reads or writes the diary; ``DiaryService.stability`` feeds ``build_report``
what it has read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from diary.domain.models import CheckIn, RegimenChange
from diary.domain.stability.burden import daily_burden
from diary.domain.stability.params import StabilityParams
from diary.domain.stability.responses import CutResponse, aligned_curves, cut_responses
from diary.domain.stability.series import DayStability, stability_series
from diary.domain.stability.trends import SymptomTrend, symptom_trends
from diary.domain.stability.waves import Run, find_runs
from diary.domain.taper.history import DayDose, daily_diazepam_series

ALIGNED_BEFORE_DAYS = 14
ALIGNED_AFTER_DAYS = 60


@dataclass(frozen=True)
class StabilityReport:
    """Stability from ``start`` to ``end`` inclusive. Dictionaries hold logged days only:
    a date that is absent was not logged (never 0).

    ``days``: one entry per calendar day. ``cut_responses``: the changes dated in the period,
    with figures as of ``end``. ``aligned``: for each of them, burden by days since the change
    (-14 to +60), for the cut-aligned chart. ``dz_series``: the regimen's daily DZ-eq (total
    and by drug) by the ``table`` named, from the first recorded regimen on.
    """

    start: dt.date
    end: dt.date
    table: str
    params: StabilityParams
    days: list[DayStability]
    waves: list[Run]
    windows: list[Run]
    cut_responses: list[CutResponse]
    trends: list[SymptomTrend]
    burden: dict[dt.date, float]
    sleep: dict[dt.date, float]
    wellbeing: dict[dt.date, int]
    dz_series: list[DayDose]
    aligned: dict[dt.date, list[tuple[int, float | None]]]

    @property
    def current(self) -> DayStability | None:
        """The last day of the period, when it is in the report."""
        return self.days[-1] if self.days else None

    def stable_share(self) -> float | None:
        """Stable days as a share (0-1) of the days with enough data; None when none has."""
        known = [day.stable for day in self.days if day.stable is not None]
        return sum(known) / len(known) if known else None


def build_report(
    checkins: Sequence[CheckIn],
    changes: Sequence[RegimenChange],
    table: str,
    overrides: Mapping[str, float],
    start: dt.date,
    end: dt.date,
    params: StabilityParams | None = None,
) -> StabilityReport:
    """Everything computed once: the daily burden of the whole diary feeds each figure (days
    before ``start`` fill the first days' windows); only days up to ``end`` count."""
    params = params or StabilityParams()
    in_record = [c for c in checkins if c.date <= end]
    burden = daily_burden(in_record)
    days = stability_series(burden, start, end, params)
    waves, windows = find_runs(days, params)
    responses = [
        response
        for response in cut_responses(changes, burden, table, overrides, params, today=end)
        if start <= response.date <= end
    ]
    in_period = [c for c in in_record if start <= c.date]
    return StabilityReport(
        start=start,
        end=end,
        table=table,
        params=params,
        days=days,
        waves=waves,
        windows=windows,
        cut_responses=responses,
        trends=symptom_trends(in_record, start, end),
        burden={day: value for day, value in burden.items() if start <= day},
        sleep={c.date: c.sleep_hours for c in in_period if c.sleep_hours is not None},
        wellbeing={c.date: c.wellbeing for c in in_period if c.wellbeing is not None},
        dz_series=daily_diazepam_series(changes, start, end, table, overrides),
        aligned=aligned_curves(
            burden, [r.date for r in responses], ALIGNED_BEFORE_DAYS, ALIGNED_AFTER_DAYS
        ),
    )
