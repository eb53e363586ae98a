"""Rate warnings fire at their thresholds, name their source, and never advise."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from diary.domain.errors import ValidationError
from diary.domain.models import ChangeKind
from diary.domain.taper.plans import PlannedDose, PlanStep, StepKind
from diary.domain.taper.rates import DzPoint
from diary.domain.taper.warnings import (
    GENTLE_PACE,
    JOINT_GUIDELINE,
    SHORT_TAPER,
    Level,
    Thresholds,
    cut_warnings,
    plan_warnings,
    short_taper_warning,
)

D = dt.date
TITLE = "Ashton Manual (rev. 2007)"
ADVICE = re.compile(r"\b(should|must|need to|ought|failure|failed|relapse|missed)\b", re.I)


def points(*pairs: tuple[dt.date, float]) -> list[DzPoint]:
    return [DzPoint(day, ChangeKind.CUT, mg) for day, mg in pairs]


@pytest.mark.parametrize(
    ("new_mg", "level"),
    [(9.0, None), (8.9, Level.NOTICE), (7.5, Level.NOTICE), (7.4, Level.CAUTION)],
)
def test_a_single_cut_is_measured_against_the_dose_just_before(
    new_mg: float, level: Level | None
) -> None:
    found = cut_warnings(points((D(2024, 1, 1), 10), (D(2024, 3, 1), new_mg)), TITLE)
    assert [w.level for w in found] == ([] if level is None else [level])


def test_two_cuts_within_fourteen_days_add_up() -> None:
    # 20 -> 18 -> 14.8: each cut alone is at most 18%, together 26% within 14 days.
    found = cut_warnings(
        points((D(2024, 1, 1), 20), (D(2024, 2, 1), 18), (D(2024, 2, 14), 14.8)), TITLE
    )
    assert [w.level for w in found] == [Level.CAUTION]
    assert found[0].percent == pytest.approx(26)
    assert found[0].source == JOINT_GUIDELINE
    assert "2025 US Joint Clinical Practice Guideline" in found[0].source


def test_cuts_fifteen_days_apart_are_separate_windows() -> None:
    found = cut_warnings(
        points((D(2024, 1, 1), 20), (D(2024, 2, 1), 18), (D(2024, 2, 16), 16.2)), TITLE
    )
    assert found == []


def test_exact_threshold_does_not_fire_and_wording_has_no_advice() -> None:
    exact = cut_warnings(points((D(2024, 1, 1), 10), (D(2024, 2, 1), 9)), TITLE)
    assert exact == []
    found = cut_warnings(points((D(2024, 1, 1), 10), (D(2024, 2, 1), 5)), TITLE)
    assert len(found) == 1
    message = found[0].message
    assert "prescriber" in message and TITLE in message and "50%" in message
    assert ADVICE.search(message) is None


def test_updoses_and_old_cuts_before_since_are_not_warnings() -> None:
    history = points((D(2024, 1, 1), 10), (D(2024, 2, 1), 5), (D(2024, 3, 1), 8))
    assert cut_warnings(history, TITLE, since=D(2024, 2, 15)) == []


def test_thresholds_are_configurable() -> None:
    strict = Thresholds(hard_percent=8, soft_percent=4)
    found = cut_warnings(points((D(2024, 1, 1), 10), (D(2024, 2, 1), 9)), TITLE, strict)
    assert [(w.level, w.source) for w in found] == [(Level.CAUTION, JOINT_GUIDELINE)]
    soft = cut_warnings(points((D(2024, 1, 1), 10), (D(2024, 2, 1), 9.5)), TITLE, strict)
    assert [(w.level, w.source) for w in soft] == [(Level.NOTICE, GENTLE_PACE)]


def test_thresholds_round_trip_through_settings_and_reject_nonsense() -> None:
    chosen = Thresholds(hard_percent=20, soft_percent=5, window_days=28)
    assert Thresholds.from_settings(chosen.as_settings()) == chosen
    assert Thresholds.from_settings({}) == Thresholds()
    with pytest.raises(ValidationError):
        Thresholds(hard_percent=120)
    with pytest.raises(ValidationError):
        Thresholds(hard_percent=10, soft_percent=20)


def test_a_plan_ending_a_long_term_taper_within_six_weeks() -> None:
    long_ago = D(2020, 1, 1)
    start = D(2024, 1, 1)
    fired = short_taper_warning(start, start + dt.timedelta(days=42), 20, long_ago)
    assert fired is not None and fired.source == SHORT_TAPER
    assert "42 days" in fired.message and ADVICE.search(fired.message) is None
    assert short_taper_warning(start, start + dt.timedelta(days=43), 20, long_ago) is None
    recent = start - dt.timedelta(days=30)  # not long-term use
    assert short_taper_warning(start, start + dt.timedelta(days=10), 20, recent) is None
    assert short_taper_warning(start, None, 20, long_ago) is None


def step(day: dt.date, mg: float, kind: StepKind = StepKind.CUT) -> PlanStep:
    doses = () if mg == 0 else (PlannedDose("diazepam", dt.time(8), mg, mg, None, ""),)
    return PlanStep(0, day, kind, doses, mg, mg)


def test_plan_warnings_measure_planned_steps_from_todays_dose() -> None:
    today = D(2024, 1, 1)
    steps = [
        step(D(2024, 1, 15), 9),
        step(D(2024, 1, 22), 6),
        step(D(2024, 2, 1), 0, StepKind.FINAL),
    ]
    found = plan_warnings(10, today, steps, TITLE, D(2020, 1, 1))
    assert [w.date for w in found if w.source == JOINT_GUIDELINE] == [D(2024, 1, 22), D(2024, 2, 1)]
    assert any(w.source == SHORT_TAPER for w in found)
    assert all("would bring" in w.message for w in found if w.source != SHORT_TAPER)
    assert all(ADVICE.search(w.message) is None for w in found)
