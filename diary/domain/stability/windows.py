"""Means and spreads of the logged days in any stretch of calendar days, each in O(1).

Running totals over the calendar make a 10-year diary's windows cheap; a day without a value
adds nothing and is not counted, so "not logged" never becomes 0.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Scales the median absolute deviation to the standard deviation of normally spread values.
MAD_TO_SD = 1.4826


@dataclass(frozen=True)
class WindowStats:
    """The logged days of one stretch: how many, their mean and sample standard deviation
    (0 for a single day)."""

    logged: int
    mean: float
    sd: float


@dataclass(frozen=True)
class RobustStats:
    """The logged days of one stretch: how many, their median, and their spread as the
    scaled median absolute deviation (a standard deviation that a few extreme days do not
    inflate)."""

    logged: int
    median: float
    spread: float


def robust_stats(values: Sequence[float]) -> RobustStats | None:
    """Median and spread of ``values``; None when there are none."""
    if not values:
        return None
    middle = _median(sorted(values))
    spread = MAD_TO_SD * _median(sorted([abs(value - middle) for value in values]))
    return RobustStats(len(values), middle, spread)


def _median(ordered: Sequence[float]) -> float:
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


class CalendarSums:
    """Running count, sum and sum of squares of ``values`` from ``origin`` to ``last``."""

    def __init__(self, values: Mapping[dt.date, float], origin: dt.date, last: dt.date) -> None:
        self._origin = origin
        size = max(0, (last - origin).days + 1)
        counts, sums, squares = [0] * (size + 1), [0.0] * (size + 1), [0.0] * (size + 1)
        for offset in range(size):
            value = values.get(origin + dt.timedelta(days=offset))
            present = value is not None
            counts[offset + 1] = counts[offset] + (1 if present else 0)
            sums[offset + 1] = sums[offset] + (value if value is not None else 0.0)
            squares[offset + 1] = squares[offset] + (value * value if value is not None else 0.0)
        self._size = size
        self._counts, self._sums, self._squares = counts, sums, squares
        self._values = [values.get(origin + dt.timedelta(days=n)) for n in range(size)]

    def index(self, day: dt.date) -> int:
        """``day`` as a number of days since the origin (for the ``*_at`` methods)."""
        return (day - self._origin).days

    def stats(self, first: dt.date, last: dt.date) -> WindowStats | None:
        """The logged days from ``first`` to ``last`` inclusive (clipped to the covered
        stretch); None when none of them was logged."""
        return self.stats_at(self.index(first), self.index(last))

    def stats_at(self, first: int, last: int) -> WindowStats | None:
        """``stats`` by day numbers (see ``index``)."""
        low = max(0, first)
        high = min(self._size, last + 1)
        if high <= low:
            return None
        logged = self._counts[high] - self._counts[low]
        if logged == 0:
            return None
        total = self._sums[high] - self._sums[low]
        mean = total / logged
        if logged == 1:
            return WindowStats(1, mean, 0.0)
        spread = self._squares[high] - self._squares[low] - total * mean
        return WindowStats(logged, mean, math.sqrt(max(0.0, spread) / (logged - 1)))

    def mean_if(self, first: dt.date, last: dt.date, min_logged: int) -> WindowStats | None:
        """``stats`` when at least ``min_logged`` days of the stretch were logged, else None."""
        return self.mean_at(self.index(first), self.index(last), min_logged)

    def mean_at(self, first: int, last: int, min_logged: int) -> WindowStats | None:
        """``mean_if`` by day numbers (see ``index``)."""
        found = self.stats_at(first, last)
        return found if found is not None and found.logged >= min_logged else None

    def robust_at(self, first: int, last: int, min_logged: int) -> RobustStats | None:
        """Median and spread of the logged days ``first`` to ``last`` (day numbers, see
        ``index``) when at least ``min_logged`` were logged, else None."""
        logged = [v for v in self._values[max(0, first) : max(0, last + 1)] if v is not None]
        return robust_stats(logged) if len(logged) >= min_logged else None
