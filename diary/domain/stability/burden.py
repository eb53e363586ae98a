"""Daily symptom burden: the day's rated severities as a share of their maximum."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from diary.domain.models import CheckIn

MAX_SEVERITY = 4


def burden_of(ratings: Mapping[str, int]) -> float | None:
    """``sum(severities) / (4 × rated) × 100`` over the symptoms rated; None when none were."""
    if not ratings:
        return None
    return sum(ratings.values()) / (MAX_SEVERITY * len(ratings)) * 100


def daily_burden(checkins: Iterable[CheckIn]) -> dict[dt.date, float]:
    """Burden (0-100) by date. Days with nothing rated are absent, never 0: not logged is
    missing data. Two check-ins of one date are merged, the later rating of a symptom winning."""
    ratings_by_day: dict[dt.date, dict[str, int]] = {}
    for checkin in checkins:
        ratings_by_day.setdefault(checkin.date, {}).update(checkin.ratings)
    burden: dict[dt.date, float] = {}
    for day in sorted(ratings_by_day):
        value = burden_of(ratings_by_day[day])
        if value is not None:
            burden[day] = value
    return burden
