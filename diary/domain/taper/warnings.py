"""Rate warnings: facts about the pace of a taper, each with the source of its threshold.

Wording rule (domain.md, "Safety rules"): a warning states what the numbers are and points to
the prescriber. It never tells anyone to cut, hold or reinstate.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from diary.domain.errors import ValidationError
from diary.domain.models import ChangeKind
from diary.domain.taper.plans import PlanStep, StepKind, plan_end
from diary.domain.taper.rates import DzPoint
from diary.domain.validation import describe_date

JOINT_GUIDELINE = (
    "2025 US Joint Clinical Practice Guideline on Benzodiazepine Tapering "
    "(cuts typically not more than 25% every 2 weeks)"
)
GENTLE_PACE = (
    "2025 US Joint Clinical Practice Guideline on Benzodiazepine Tapering "
    "(start with cuts of 5-10% every 2-4 weeks)"
)
SHORT_TAPER = (
    "2025 US Joint Clinical Practice Guideline on Benzodiazepine Tapering "
    "(tapers after long-term use usually take months)"
)
PRESCRIBER = "This may be worth going over with your prescriber."

# Keys in the diary's settings, and their defaults.
SETTING_HARD_PERCENT = "warning_cut_percent"
SETTING_SOFT_PERCENT = "warning_soft_cut_percent"
SETTING_WINDOW_DAYS = "warning_window_days"
SETTING_SHORT_TAPER_DAYS = "warning_short_taper_days"
SETTING_LONG_TERM_DAYS = "warning_long_term_days"

# Float noise and tiny rounding must not turn an exact 10% cut into "more than 10%".
_TOLERANCE_PERCENT = 1e-6


class Level(StrEnum):
    CAUTION = "caution"  # above the hard threshold
    NOTICE = "notice"  # above the softer one


@dataclass(frozen=True)
class Thresholds:
    hard_percent: float = 25.0
    soft_percent: float = 10.0
    window_days: int = 14
    short_taper_days: int = 42  # six weeks
    long_term_days: int = 90  # on a regimen at least this long before the plan starts

    def __post_init__(self) -> None:
        for what, value in (
            ("warning percentage", self.hard_percent),
            ("softer warning percentage", self.soft_percent),
        ):
            if not math.isfinite(value) or not 0 < value < 100:
                raise ValidationError(
                    f"The {what} must be between 0 and 100 (got {value:g}).", field="thresholds"
                )
        if self.soft_percent > self.hard_percent:
            raise ValidationError(
                "The softer warning percentage cannot be above the main one.", field="thresholds"
            )
        for what, days in (
            ("warning window", self.window_days),
            ("short-taper length", self.short_taper_days),
            ("long-term length", self.long_term_days),
        ):
            if days < 1:
                raise ValidationError(f"The {what} must be at least 1 day.", field="thresholds")

    def as_settings(self) -> dict[str, str]:
        return {
            SETTING_HARD_PERCENT: f"{self.hard_percent:g}",
            SETTING_SOFT_PERCENT: f"{self.soft_percent:g}",
            SETTING_WINDOW_DAYS: str(self.window_days),
            SETTING_SHORT_TAPER_DAYS: str(self.short_taper_days),
            SETTING_LONG_TERM_DAYS: str(self.long_term_days),
        }

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> Thresholds:
        """Stored values where present, defaults for the rest."""
        default = cls()
        return cls(
            hard_percent=float(settings.get(SETTING_HARD_PERCENT, default.hard_percent)),
            soft_percent=float(settings.get(SETTING_SOFT_PERCENT, default.soft_percent)),
            window_days=int(settings.get(SETTING_WINDOW_DAYS, default.window_days)),
            short_taper_days=int(settings.get(SETTING_SHORT_TAPER_DAYS, default.short_taper_days)),
            long_term_days=int(settings.get(SETTING_LONG_TERM_DAYS, default.long_term_days)),
        )


@dataclass(frozen=True)
class TaperWarning:
    level: Level
    date: dt.date  # the day of the cut, or the plan's last step
    message: str  # facts, then the pointer to the prescriber
    source: str  # where the threshold comes from
    percent: float | None = None


def cut_warnings(
    points: Sequence[DzPoint],
    table_title: str,
    thresholds: Thresholds = Thresholds(),
    since: dt.date | None = None,
    planned: bool = False,
) -> list[TaperWarning]:
    """One warning per fall in the daily DZ-eq (from ``since`` on) that exceeds a threshold,
    measured against the highest daily dose in the ``window_days`` days up to that fall."""
    warnings: list[TaperWarning] = []
    for index, point in enumerate(points):
        if index == 0 or (since is not None and point.date < since):
            continue
        highest = _highest_in_window(points[:index], point.date, thresholds.window_days)
        if highest <= 0 or point.total_mg >= highest:
            continue
        percent = (highest - point.total_mg) / highest * 100
        level, source = _level(percent, thresholds)
        if level is None:
            continue
        limit = thresholds.hard_percent if level is Level.CAUTION else thresholds.soft_percent
        verb = "would bring" if planned else "brought"
        what = "planned step" if planned else "change"
        message = (
            f"The {what} on {describe_date(point.date)} {verb} the daily dose from "
            f"{highest:.3g} to {point.total_mg:.3g} mg diazepam-equivalent ({table_title}), "
            f"{percent:.0f}% less within {thresholds.window_days} days; that is above the "
            f"{limit:g}% in {thresholds.window_days} days named by the source below. {PRESCRIBER}"
        )
        warnings.append(TaperWarning(level, point.date, message, source, percent))
    return warnings


def short_taper_warning(
    start: dt.date,
    end: dt.date | None,
    start_mg: float,
    on_regimen_since: dt.date | None,
    thresholds: Thresholds = Thresholds(),
) -> TaperWarning | None:
    """A warning when a plan would take a long-term regimen to nothing within
    ``short_taper_days`` of its start."""
    if end is None or on_regimen_since is None:
        return None
    if (start - on_regimen_since).days < thresholds.long_term_days:
        return None
    days = (end - start).days
    if days > thresholds.short_taper_days:
        return None
    message = (
        f"This plan would take the daily dose from {start_mg:.3g} mg diazepam-equivalent to "
        f"nothing in {days} days, after {(start - on_regimen_since).days} days on the regimen; "
        f"that is {thresholds.short_taper_days} days or less, the length named by the source "
        f"below. {PRESCRIBER}"
    )
    return TaperWarning(Level.CAUTION, end, message, SHORT_TAPER)


def plan_warnings(
    current_mg: float,
    today: dt.date,
    steps: Sequence[PlanStep],
    table_title: str,
    on_regimen_since: dt.date | None,
    thresholds: Thresholds = Thresholds(),
) -> list[TaperWarning]:
    """Warnings about a plan's steps still to come, measured from today's daily DZ-eq."""
    if not steps:
        return []
    points = [DzPoint(today, ChangeKind.START, current_mg)] + [
        DzPoint(
            step.start,
            ChangeKind.CROSSOVER if step.kind is StepKind.CROSSOVER else ChangeKind.CUT,
            step.diazepam_mg,
        )
        for step in sorted(steps, key=lambda s: s.start)
    ]
    warnings = cut_warnings(points, table_title, thresholds, planned=True)
    short = short_taper_warning(
        min(s.start for s in steps), plan_end(steps), current_mg, on_regimen_since, thresholds
    )
    return warnings + ([short] if short is not None else [])


def _highest_in_window(earlier: Sequence[DzPoint], day: dt.date, window_days: int) -> float:
    """The highest daily dose in force on any of the ``window_days`` days before ``day``."""
    window_start = day - dt.timedelta(days=window_days)
    highest = 0.0
    for point in reversed(earlier):
        highest = max(highest, point.total_mg)
        if point.date <= window_start:
            break  # this one was in force when the window began; older ones were not
    return highest


def _level(percent: float, thresholds: Thresholds) -> tuple[Level | None, str]:
    if percent > thresholds.hard_percent + _TOLERANCE_PERCENT:
        return Level.CAUTION, JOINT_GUIDELINE
    if percent > thresholds.soft_percent + _TOLERANCE_PERCENT:
        return Level.NOTICE, GENTLE_PACE
    return None, ""
