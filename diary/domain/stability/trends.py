"""Per-symptom trends over a period, against the period of equal length just before it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from diary.domain.errors import ValidationError
from diary.domain.models import CheckIn


@dataclass(frozen=True)
class SymptomTrend:
    """One symptom from ``start`` to ``end``: on how many days it was rated, its mean and
    worst severity (0-4), the mean of the previous period of equal length, and ``change``
    (mean minus previous mean; negative is better). None: not rated in that period."""

    name: str
    days_rated: int
    mean: float | None
    worst: int | None
    previous_mean: float | None
    change: float | None


def symptom_trends(checkins: Iterable[CheckIn], start: dt.date, end: dt.date) -> list[SymptomTrend]:
    """Every symptom rated in the period or the one before, most severe first (by mean, then
    worst); symptoms rated only in the previous period come last."""
    if end < start:
        raise ValidationError("The end of the period is before its start.", field="end")
    previous_start = start - dt.timedelta(days=(end - start).days + 1)
    current: dict[str, list[int]] = {}
    previous: dict[str, list[int]] = {}
    for checkin in checkins:
        if start <= checkin.date <= end:
            into = current
        elif previous_start <= checkin.date < start:
            into = previous
        else:
            continue
        for name, severity in checkin.ratings.items():
            into.setdefault(name, []).append(severity)
    trends = [_trend(name, current.get(name, []), previous.get(name, [])) for name in current]
    trends += [_trend(name, [], values) for name, values in previous.items() if name not in current]
    return sorted(trends, key=_most_severe_first)


def _trend(name: str, values: list[int], earlier: list[int]) -> SymptomTrend:
    mean = sum(values) / len(values) if values else None
    previous_mean = sum(earlier) / len(earlier) if earlier else None
    change = None if mean is None or previous_mean is None else mean - previous_mean
    return SymptomTrend(name, len(values), mean, max(values, default=None), previous_mean, change)


def _most_severe_first(trend: SymptomTrend) -> tuple[bool, float, int, str]:
    return (
        trend.mean is None,
        -(trend.mean or 0.0),
        -(trend.worst or 0),
        trend.name.casefold(),
    )
