"""How taper figures read on screen. Facts only: nothing here suggests a dose change, and
holds and reinstatements are described with the same respect as cuts."""

from __future__ import annotations

import datetime as dt

from diary.domain.models import Hold, RegimenDose


def day_words(day: dt.date, today: dt.date | None = None) -> str:
    """3 March, with the year when it is not this year's."""
    if today is not None and day.year == today.year:
        return f"{day.day} {day:%B}"
    return f"{day.day} {day:%B %Y}"


def mg(amount: float) -> str:
    return f"{amount:.3g} mg" if amount < 1 else f"{round(amount, 2):g} mg"


def dz(amount: float | None) -> str:
    return "\N{EM DASH}" if amount is None else f"{mg(amount)} DZ-eq"


def percent_change(before: float, after: float) -> str:
    """The change from ``before`` to ``after`` as a share of ``before``."""
    if before <= 0:
        return "\N{EM DASH}"
    percent = (before - after) / before * 100
    if abs(percent) < 0.05:
        return "no change"
    return f"{percent:.1f}% less" if percent > 0 else f"{-percent:.1f}% more"


def dose_line(dose: RegimenDose) -> str:
    return f"{dose.time:%H:%M}  {dose.drug} {mg(dose.mg)}"


def hold_words(hold: Hold, today: dt.date) -> str:
    """E.g. "Hold since 3 March: 12 days", or for an ended hold its dates and length."""
    if hold.end is None or hold.end >= today:
        days = (today - hold.start).days + 1
        text = f"Hold since {day_words(hold.start, today)}: {days} day{'s' if days != 1 else ''}"
        if hold.end is not None:
            text += f", ending {day_words(hold.end, today)}"
    else:
        days = (hold.end - hold.start).days + 1
        text = (
            f"Hold from {day_words(hold.start, today)} to {day_words(hold.end, today)}: {days} days"
        )
    return text + (f" ({hold.reason})" if hold.reason else "")


def span_words(days: int) -> str:
    """A number of days with a rounder reading beside it for long spans."""
    if days < 60:
        return f"{days} days"
    if days < 730:
        return f"{days} days (about {round(days / 30.44)} months)"
    return f"{days} days (about {days / 365.25:.1f} years)"
