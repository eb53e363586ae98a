"""How the symptom burden followed each cut, crossover stage and reinstatement.

The figures describe what was logged around each change; they never say whether the change
was right. None means "not yet" (the period is not over) or "not enough data" (too few
logged days); ``docs/stability.md`` says which applies where.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from diary.domain.models import ChangeKind, RegimenChange
from diary.domain.stability.params import StabilityParams
from diary.domain.stability.series import DEFAULT_PARAMS, days_between
from diary.domain.stability.windows import CalendarSums
from diary.domain.taper.history import CutFigure, cut_figures

RESPONSE_KINDS = (ChangeKind.CUT, ChangeKind.CROSSOVER, ChangeKind.UPDOSE)
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class CutResponse:
    """The burden around one regimen change on ``date`` (``from_mg`` -> ``to_mg`` DZ-eq a day).

    With the default parameters: ``before_mean``: mean burden of the logged days of the 14 days
    before the change (None: fewer than 7 logged). ``after_mean``: the same for the 14 days
    from the change (None: the 14 days are not over yet, or fewer than 7 logged). ``peak``: the
    highest daily burden from the change until the next change, at most 28 days (so far, while
    that is not over; None: nothing logged yet), ``peak_delay_days`` days after the change.
    ``days_to_baseline``: when the rolling burden rose above the usual range of
    ``before_mean`` during the peak's search period, the days from the change to the first day
    it was back within it; 0 when it never rose above it; None when it is not back yet, was not
    back before the next change, or there is no ``before_mean`` to return to.
    """

    date: dt.date
    kind: str
    from_mg: float
    to_mg: float
    before_mean: float | None
    after_mean: float | None
    peak: float | None
    peak_delay_days: int | None
    days_to_baseline: int | None
    percent: float | None = None  # of the daily DZ-eq removed; negative for an increase


def cut_responses(
    changes: Sequence[RegimenChange],
    burden: Mapping[dt.date, float],
    table: str,
    overrides: Mapping[str, float],
    params: StabilityParams = DEFAULT_PARAMS,
    today: dt.date | None = None,
) -> list[CutResponse]:
    """One response per cut, crossover stage and updose, in date order. ``today`` (default:
    the last logged day) is the last day whose figures count; later periods are "not yet"."""
    figures = cut_figures(changes, table, overrides)
    if not figures:
        return []
    last_day = today or max(burden, default=figures[-1].date)
    origin = figures[0].date - dt.timedelta(days=params.response_window_days + params.rolling_days)
    sums = CalendarSums(burden, origin, last_day)
    responses = []
    for index, figure in enumerate(figures):
        if figure.kind not in RESPONSE_KINDS:
            continue
        following = figures[index + 1].date if index + 1 < len(figures) else None
        responses.append(_response(figure, following, burden, sums, last_day, params))
    return responses


def aligned_curves(
    burden: Mapping[dt.date, float],
    anchors: Sequence[dt.date],
    before_days: int = 14,
    after_days: int = 60,
) -> dict[dt.date, list[tuple[int, float | None]]]:
    """For each anchor (a change's date): (days since the anchor, burden) from ``-before_days``
    to ``after_days``; None where the day was not logged."""
    return {
        anchor: [
            (offset, burden.get(anchor + dt.timedelta(days=offset)))
            for offset in range(-before_days, after_days + 1)
        ]
        for anchor in anchors
    }


def _response(
    figure: CutFigure,
    following: dt.date | None,
    burden: Mapping[dt.date, float],
    sums: CalendarSums,
    last_day: dt.date,
    params: StabilityParams,
) -> CutResponse:
    day, window = figure.date, params.response_window_days
    before = sums.mean_if(
        day - dt.timedelta(days=window), day - dt.timedelta(days=1), params.min_logged_in_response
    )
    after_last = day + dt.timedelta(days=window - 1)
    after = None
    if after_last <= last_day:
        after = sums.mean_if(day, after_last, params.min_logged_in_response)
    # The response to this change ends where the next change's begins.
    response_end = last_day if following is None else min(last_day, following - _ONE_DAY)
    search_end = day + dt.timedelta(days=params.peak_search_days - 1)
    if following is not None:
        search_end = min(search_end, following - _ONE_DAY)
    peak_end = min(search_end, last_day)
    peak = _peak(burden, day, peak_end)
    days_back = None
    if before is not None:
        limit = before.mean + max(params.stable_band_points, before.sd)
        searched = search_end <= last_day
        days_back = _days_to_return(sums, day, peak_end, searched, response_end, limit, params)
    return CutResponse(
        date=day,
        kind=ChangeKind(figure.kind).value,
        from_mg=figure.from_mg,
        to_mg=figure.to_mg,
        before_mean=None if before is None else before.mean,
        after_mean=None if after is None else after.mean,
        peak=None if peak is None else peak[1],
        peak_delay_days=None if peak is None else (peak[0] - day).days,
        days_to_baseline=days_back,
        percent=figure.percent,
    )


def _peak(
    burden: Mapping[dt.date, float], first: dt.date, last: dt.date
) -> tuple[dt.date, float] | None:
    """The first day with the highest logged burden from ``first`` to ``last``."""
    logged = [(day, burden[day]) for day in days_between(first, last) if day in burden]
    return max(logged, key=lambda item: item[1]) if logged else None


def _days_to_return(
    sums: CalendarSums,
    change: dt.date,
    peak_end: dt.date,
    searched: bool,
    response_end: dt.date,
    limit: float,
    params: StabilityParams,
) -> int | None:
    """Days from ``change`` until the rolling burden, having gone above ``limit`` by
    ``peak_end``, was back at or below it by ``response_end``. 0 when it never went above
    (once the peak search is over, ``searched``); None when it is not back (yet)."""
    left = _first_day(sums, change, peak_end, params, lambda mean: mean > limit)
    if left is None:
        return 0 if searched else None
    back = _first_day(sums, left, response_end, params, lambda mean: mean <= limit)
    return None if back is None else (back - change).days


def _first_day(
    sums: CalendarSums,
    first: dt.date,
    last: dt.date,
    params: StabilityParams,
    test: Callable[[float], bool],
) -> dt.date | None:
    """The first day from ``first`` to ``last`` whose rolling burden passes ``test``."""
    for day in days_between(first, last):
        at = sums.index(day)
        window = sums.mean_at(at - params.rolling_days + 1, at, params.min_logged_in_rolling)
        if window is not None and test(window.mean):
            return day
    return None
