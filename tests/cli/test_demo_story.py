"""The synthetic demo diary tells the story it promises, reproducibly."""

from __future__ import annotations

import datetime as dt
import math
import statistics

import pytest

from diary.domain.models import ChangeKind, DoseKind
from diary.domain.records import DiaryRecords
from diary.domain.symptom_catalogue import DEFAULT_SYMPTOMS
from diary.services.demo import demo_records

END = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def ten_years() -> DiaryRecords:
    return demo_records(3650, DEFAULT_SYMPTOMS, END)


def test_same_seed_same_diary_other_seed_other_diary() -> None:
    first = demo_records(200, DEFAULT_SYMPTOMS, END, seed=1)
    assert demo_records(200, DEFAULT_SYMPTOMS, END, seed=1) == first
    assert demo_records(200, DEFAULT_SYMPTOMS, END, seed=2) != first


def test_spans_the_requested_days_and_ends_on_the_end_date(ten_years: DiaryRecords) -> None:
    days = {c.date for c in ten_years.checkins}
    assert min(days) == END - dt.timedelta(days=3649)
    assert max(d.local_date for d in ten_years.doses) <= END


def test_crossover_from_clonazepam_to_diazepam_keeps_the_total(ten_years: DiaryRecords) -> None:
    changes = ten_years.regimen_changes
    assert changes[0].kind == ChangeKind.START
    assert {d.drug for d in changes[0].doses} == {"clonazepam"}
    crossover = [c for c in changes if c.kind == ChangeKind.CROSSOVER]
    assert len(crossover) == 3
    assert {d.drug for d in crossover[-1].doses} == {"diazepam"}
    # Ashton: 0.5 mg clonazepam ~ 10 mg diazepam, so each step keeps 30 mg DZ-eq a day.
    for change in crossover:
        eq = sum(d.mg * (20 if d.drug == "clonazepam" else 1) for d in change.doses)
        assert eq == pytest.approx(30)


def test_cuts_are_percentages_with_one_too_fast_cut_then_one_updose(
    ten_years: DiaryRecords,
) -> None:
    changes = ten_years.regimen_changes
    updoses = [i for i, c in enumerate(changes) if c.kind == ChangeKind.UPDOSE]
    assert len(updoses) == 1
    totals = [sum(d.mg for d in c.doses) for c in changes]
    before, too_fast, after = totals[updoses[0] - 2 : updoses[0] + 1]
    assert 1 - too_fast / before == pytest.approx(0.25, abs=0.03)
    assert after == before
    cuts = [
        1 - totals[i] / totals[i - 1]
        for i, c in enumerate(changes)
        if c.kind == ChangeKind.CUT and i != updoses[0] - 1
    ]
    assert len(cuts) >= 20
    assert all(0.02 <= cut <= 0.12 for cut in cuts)


def test_two_holds_that_do_not_overlap(ten_years: DiaryRecords) -> None:
    first, second = ten_years.holds
    assert first.end is not None and first.end < second.start


def test_liquid_doses_near_the_end_are_logged_in_ml(ten_years: DiaryRecords) -> None:
    liquid = [d for d in ten_years.doses if d.ml is not None]
    assert liquid and all(d.ml == pytest.approx(d.mg) for d in liquid)  # 1 mg/mL
    tablets_end = max(d.taken_at for d in ten_years.doses if d.ml is None)
    assert min(d.taken_at for d in liquid) > tablets_end
    assert ten_years.doses[-1].ml is not None


def test_about_one_day_in_ten_is_not_logged_with_some_gaps(ten_years: DiaryRecords) -> None:
    logged = sorted(c.date for c in ten_years.checkins)
    assert 0.06 <= 1 - len(logged) / 3650 <= 0.14
    gaps = [(b - a).days - 1 for a, b in zip(logged, logged[1:], strict=False)]
    assert sum(1 for g in gaps if g >= 3) >= 5
    assert {c.date for c in ten_years.checkins} >= {d.local_date for d in ten_years.doses}


def test_symptoms_peak_one_to_two_weeks_after_a_cut_then_ease(ten_years: DiaryRecords) -> None:
    burden = {c.date: statistics.mean(c.ratings.values()) for c in ten_years.checkins if c.ratings}

    def mean_over(start: dt.date, first: int, last: int) -> float:
        days = [start + dt.timedelta(days=i) for i in range(first, last + 1)]
        return statistics.mean([burden[d] for d in days if d in burden] or [math.nan])

    changes = ten_years.regimen_changes
    cuts = [
        c.date
        for c, following in zip(changes, changes[1:], strict=False)
        if c.kind == ChangeKind.CUT and (following.date - c.date).days >= 24
    ]
    windows = [(mean_over(c, -6, 1), mean_over(c, 8, 14), mean_over(c, 21, 24)) for c in cuts]
    windows = [w for w in windows if not any(math.isnan(x) for x in w)]  # not logged: skip
    assert len(windows) >= 20
    assert sum(before < peak for before, peak, _ in windows) >= 0.8 * len(windows)
    assert sum(later < peak for _, peak, later in windows) >= 0.8 * len(windows)


def test_notes_some_for_the_doctor_events_and_dose_kinds(ten_years: DiaryRecords) -> None:
    notes = [c for c in ten_years.checkins if c.note]
    assert len(notes) > 200
    assert 10 < sum(c.for_doctor for c in ten_years.checkins) < len(notes)
    appointments = sorted(e.date for e in ten_years.events if e.kind == "appointment")
    intervals = [(b - a).days for a, b in zip(appointments, appointments[1:], strict=False)]
    assert all(60 <= i <= 90 for i in intervals)
    assert any(e.kind == "illness" for e in ten_years.events)
    assert {d.kind for d in ten_years.doses} == {DoseKind.AS_PLANNED, DoseKind.ADJUSTED}


def test_wording_never_calls_a_hold_or_updose_a_failure(ten_years: DiaryRecords) -> None:
    texts = [c.reason for c in ten_years.regimen_changes] + [c.note for c in ten_years.checkins]
    texts += [h.reason for h in ten_years.holds]
    for word in ("fail", "relapse", "missed"):
        assert not any(word in t.lower() for t in texts)


@pytest.mark.parametrize("days", [1, 5, 30, 90, 400])
def test_short_diaries_are_consistent(days: int) -> None:
    records = demo_records(days, DEFAULT_SYMPTOMS, END)
    dates = [c.date for c in records.regimen_changes]
    assert dates == sorted(set(dates))
    assert all(END - dt.timedelta(days=days - 1) <= d <= END for d in dates)
    assert all(0 <= s <= 4 for c in records.checkins for s in c.ratings.values())
    assert all(c.wellbeing is None or 0 <= c.wellbeing <= 10 for c in records.checkins)
