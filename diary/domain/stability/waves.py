"""Windows and waves: runs of days clearly better or worse than the person's own baseline.

Patient words, used as descriptive labels only: a wave is never a diagnosis, a window never a
promise. See ``docs/stability.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from diary.domain.stability.params import StabilityParams
from diary.domain.stability.series import DEFAULT_PARAMS, DayStability

RunKind = Literal["wave", "window"]


@dataclass(frozen=True)
class Run:
    """A wave (worse days) or a window (better days) from ``start`` to ``end`` inclusive.

    ``baseline``: the baseline on the run's first day, which every day of the run is compared
    with. ``depth``: the mean distance of the run's logged days from it, in points, always
    positive: how much worse for a wave, how much better for a window. ``peak``: the highest
    burden of a wave, the lowest of a window, first reached on ``peak_date``.
    """

    kind: RunKind
    start: dt.date
    end: dt.date
    depth: float
    peak_date: dt.date
    peak: float
    baseline: float = 0.0
    logged_days: int = 0

    @property
    def days(self) -> int:
        """Calendar days from start to end, both included."""
        return (self.end - self.start).days + 1


@dataclass
class _OpenRun:
    reference: float
    days: list[tuple[dt.date, float]] = field(default_factory=list)


def find_runs(
    series: Sequence[DayStability], params: StabilityParams = DEFAULT_PARAMS
) -> tuple[list[Run], list[Run]]:
    """(waves, windows), each in date order. ``series`` is one entry per day, as from
    ``stability_series``."""
    return _runs(series, "wave", params), _runs(series, "window", params)


def _runs(series: Sequence[DayStability], kind: RunKind, params: StabilityParams) -> list[Run]:
    """A run starts on a logged day at least ``wave_threshold_points`` beyond its baseline and
    goes on over the following logged days beyond that same baseline (so a long wave does not
    raise its own yardstick) or beyond their own. A logged day beyond neither, or more than
    ``max_unlogged_in_run`` unlogged days in a row, ends it."""
    sign = 1.0 if kind == "wave" else -1.0
    found: list[Run] = []
    current: _OpenRun | None = None
    for day in series:
        if day.burden is None:
            continue
        if current is not None:
            gap = (day.date - current.days[-1][0]).days - 1
            if gap <= params.max_unlogged_in_run and (
                _beyond(day.burden, current.reference, sign, params)
                or _beyond(day.burden, day.baseline, sign, params)
            ):
                current.days.append((day.date, day.burden))
                continue
            found += _closed(current, kind, sign, params)
            current = None
        if day.baseline is not None and _beyond(day.burden, day.baseline, sign, params):
            current = _OpenRun(day.baseline, [(day.date, day.burden)])
    if current is not None:
        found += _closed(current, kind, sign, params)
    return found


def _beyond(burden: float, baseline: float | None, sign: float, params: StabilityParams) -> bool:
    """Whether ``burden`` is at least the threshold above (sign 1) or below (-1) ``baseline``."""
    return baseline is not None and sign * (burden - baseline) >= params.wave_threshold_points


def _closed(run: _OpenRun, kind: RunKind, sign: float, params: StabilityParams) -> list[Run]:
    """The finished run, or nothing when it has fewer than ``wave_min_days`` logged days."""
    if len(run.days) < params.wave_min_days:
        return []
    peak_date, peak = max(run.days, key=lambda item: sign * item[1])  # first of equals wins
    depth = sum(sign * (value - run.reference) for _, value in run.days) / len(run.days)
    return [
        Run(
            kind=kind,
            start=run.days[0][0],
            end=run.days[-1][0],
            depth=depth,
            peak_date=peak_date,
            peak=peak,
            baseline=run.reference,
            logged_days=len(run.days),
        )
    ]
