"""Day-by-day stability: rolling burden, its variability, the baseline and the "stable" flag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from diary.domain.errors import ValidationError
from diary.domain.stability.params import StabilityParams
from diary.domain.stability.windows import CalendarSums, WindowStats

DEFAULT_PARAMS = StabilityParams()


@dataclass(frozen=True)
class DayStability:
    """One calendar day. Every None means "not logged" or "not enough data", never 0 or False.

    ``burden``: the day's own burden (0-100). ``rolling``: mean burden of the logged days of
    the last ``rolling_days`` days. ``variability``: their sample standard deviation.
    ``baseline``: median burden of the logged days of the ``baseline_days`` days just before
    the rolling window, so a short wave or window does not move it. ``band``: how far from the
    baseline still counts as the usual range: ``stable_band_points``, or the baseline days'
    spread (scaled median absolute deviation) when that is wider.
    ``slope``: the rolling burden's trend in points a day. ``stable``: within the usual range
    and not trending up.
    """

    date: dt.date
    burden: float | None
    rolling: float | None
    variability: float | None
    baseline: float | None
    stable: bool | None
    band: float | None = None
    slope: float | None = None


def stability_series(
    burden: Mapping[dt.date, float],
    start: dt.date,
    end: dt.date,
    params: StabilityParams = DEFAULT_PARAMS,
) -> list[DayStability]:
    """One entry per calendar day from ``start`` to ``end`` inclusive. Days logged before
    ``start`` feed the windows of the first days; unlogged days stay None."""
    if end < start:
        raise ValidationError("The end of the period is before its start.", field="end")
    lookback = params.trend_days - 1 + params.rolling_days + params.baseline_days
    sums = CalendarSums(burden, start - dt.timedelta(days=lookback), end)
    first = sums.index(start)
    # Rolling windows from trend_days - 1 days before start, for the first days' trends.
    rolling_from = first - (params.trend_days - 1)
    rolling = [_rolling_at(sums, at, params) for at in range(rolling_from, sums.index(end) + 1)]
    means = [None if window is None else window.mean for window in rolling]
    series = []
    for offset, day in enumerate(days_between(start, end)):
        at = first + offset
        window = rolling[at - rolling_from]
        base_last = at - params.rolling_days
        base = sums.robust_at(
            base_last - params.baseline_days + 1, base_last, params.min_logged_in_baseline
        )
        band = None if base is None else max(params.stable_band_points, base.spread)
        slope = least_squares_slope(means[offset : offset + params.trend_days], params)
        stable = None
        if window is not None and base is not None and band is not None and slope is not None:
            within = abs(window.mean - base.median) <= band
            stable = within and slope <= params.trend_max_points_per_day
        series.append(
            DayStability(
                date=day,
                burden=burden.get(day),
                rolling=None if window is None else window.mean,
                variability=None if window is None else window.sd,
                baseline=None if base is None else base.median,
                stable=stable,
                band=band,
                slope=slope,
            )
        )
    return series


def _rolling_at(sums: CalendarSums, at: int, params: StabilityParams) -> WindowStats | None:
    return sums.mean_at(at - params.rolling_days + 1, at, params.min_logged_in_rolling)


def least_squares_slope(values: Sequence[float | None], params: StabilityParams) -> float | None:
    """Slope, in points a day, of the line best fitting the known ``values`` (one a day);
    None with fewer than ``min_rolling_for_trend`` (and at least 2) known values."""
    n = 0
    sum_x = sum_y = sum_xx = sum_xy = 0.0
    for x, y in enumerate(values):
        if y is not None:
            n += 1
            sum_x += x
            sum_y += y
            sum_xx += x * x
            sum_xy += x * y
    if n < max(2, params.min_rolling_for_trend):
        return None
    return (n * sum_xy - sum_x * sum_y) / (n * sum_xx - sum_x * sum_x)


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every calendar day from ``first`` to ``last`` inclusive (empty when ``last`` is before)."""
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
