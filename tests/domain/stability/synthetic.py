"""Synthetic burden series with known answers."""

from __future__ import annotations

import datetime as dt

START = dt.date(2024, 1, 1)


def day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


def flat(days: int, level: float = 20.0, first: int = 0) -> dict[dt.date, float]:
    """``level`` on every day from ``first`` for ``days`` days."""
    return {day(first + n): level for n in range(days)}
