"""How a day's values read in the day list. "Not logged" is an em dash, never 0."""

from __future__ import annotations

import datetime as dt

from diary.domain.models import DaySummary

NOT_LOGGED = "\N{EM DASH}"
NOTE_EXCERPT_CHARS = 60


def format_date(day: dt.date) -> str:
    return f"{day.isoformat()}  {day.strftime('%a')}"


def format_mg(mg: float) -> str:
    return f"{mg:g} mg"


def format_doses(day: DaySummary) -> str:
    """What was taken, then how many doses: "diazepam 1.1 mg in 2 doses"."""
    if day.dose_count == 0:
        return NOT_LOGGED
    count = f"{day.dose_count} dose{'s' if day.dose_count != 1 else ''}"
    totals = ", ".join(
        f"{drug} {format_mg(mg)}" for drug, mg in sorted(day.total_mg_by_drug.items())
    )
    return f"{totals} in {count}" if totals else count


def format_burden(day: DaySummary) -> str:
    if day.burden_percent is None:
        return NOT_LOGGED
    return f"{day.burden_percent:.0f}%"


def format_wellbeing(day: DaySummary) -> str:
    return NOT_LOGGED if day.wellbeing is None else f"{day.wellbeing}/10"


def format_sleep(day: DaySummary) -> str:
    return NOT_LOGGED if day.sleep_hours is None else f"{day.sleep_hours:g} h"


def note_excerpt(note: str) -> str:
    first_line = note.strip().splitlines()[0] if note.strip() else ""
    if not first_line:
        return NOT_LOGGED
    if len(first_line) > NOTE_EXCERPT_CHARS or "\n" in note.strip():
        return first_line[:NOTE_EXCERPT_CHARS].rstrip() + "\N{HORIZONTAL ELLIPSIS}"
    return first_line
