"""Cut responses: the burden around each cut, crossover stage and reinstatement."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.models import ChangeKind, RegimenChange, RegimenDose
from diary.domain.stability.params import StabilityParams
from diary.domain.stability.responses import CutResponse, aligned_curves, cut_responses
from tests.domain.stability.synthetic import day, flat

PARAMS = StabilityParams()
MORNING = dt.time(8)


def change(offset: int, kind: ChangeKind, mg: float, drug: str = "diazepam") -> RegimenChange:
    return RegimenChange(day(offset), kind, (RegimenDose(drug, mg, MORNING),))


def regimen(*cuts: tuple[int, ChangeKind, float]) -> list[RegimenChange]:
    return [change(0, ChangeKind.START, 10.0), *(change(*cut) for cut in cuts)]


def with_spike(base: float, cut: int, first: int, last: int, height: float) -> dict[dt.date, float]:
    burden = flat(200, level=base)
    burden.update({day(cut + n): base + height for n in range(first, last + 1)})
    return burden


def test_a_delayed_spike_gives_its_peak_delay_and_days_to_baseline() -> None:
    # A cut on day 60; symptoms from day 5 to day 14 after it, the worst on day 9.
    burden = with_spike(20.0, 60, 5, 14, 40.0)
    burden[day(69)] = 75.0
    [response] = cut_responses(regimen((60, ChangeKind.CUT, 9.0)), burden, "ashton", {})
    assert (response.date, response.kind) == (day(60), "cut")
    assert (response.from_mg, response.to_mg) == (10.0, 9.0)
    assert response.percent == pytest.approx(10.0)
    assert response.before_mean == pytest.approx(20.0)
    assert response.after_mean == pytest.approx((5 * 20 + 8 * 60 + 75) / 14)  # days 0-13
    assert (response.peak, response.peak_delay_days) == (pytest.approx(75.0), 9)
    # Back when the 7-day window holds no spike day: the day after the last one plus 6.
    assert response.days_to_baseline == 14 + PARAMS.rolling_days


def test_a_cut_that_changed_nothing_stayed_within_the_usual_range() -> None:
    [response] = cut_responses(regimen((60, ChangeKind.CUT, 9.0)), flat(200), "ashton", {})
    assert response.before_mean == response.after_mean == pytest.approx(20.0)
    assert response.days_to_baseline == 0
    assert response.peak_delay_days == 0  # the first of equal days


def test_figures_not_over_yet_are_none() -> None:
    burden = with_spike(20.0, 60, 5, 14, 40.0)
    today = day(70)  # 10 days after the cut: still in the spike
    [response] = cut_responses(
        regimen((60, ChangeKind.CUT, 9.0)), burden, "ashton", {}, today=today
    )
    assert response.before_mean == pytest.approx(20.0)
    assert response.after_mean is None  # the 14 days after are not over
    assert response.peak == pytest.approx(60.0)  # the peak so far
    assert response.days_to_baseline is None  # not back yet


def test_the_response_ends_at_the_next_change() -> None:
    burden = with_spike(20.0, 60, 5, 30, 40.0)  # still high when the next cut comes
    responses = cut_responses(
        regimen((60, ChangeKind.CUT, 9.0), (80, ChangeKind.CUT, 8.0)), burden, "ashton", {}
    )
    assert [r.date for r in responses] == [day(60), day(80)]
    assert responses[0].days_to_baseline is None  # not back before the next change
    assert responses[0].peak_delay_days is not None and responses[0].peak_delay_days < 20


def test_missing_days_never_count_as_zero() -> None:
    # Only 5 logged days before the cut: no mean rather than a mean dragged down by zeros.
    burden = {d: v for d, v in flat(200, 30.0).items() if not day(46) <= d < day(55)}
    [response] = cut_responses(regimen((60, ChangeKind.CUT, 9.0)), burden, "ashton", {})
    assert response.before_mean is None
    assert response.days_to_baseline is None  # nothing to return to
    assert response.after_mean == pytest.approx(30.0)


def test_every_cut_crossover_stage_and_updose_has_a_response_but_not_a_restart() -> None:
    changes = [
        change(0, ChangeKind.START, 1.0, "clonazepam"),
        RegimenChange(
            day(30),
            ChangeKind.CROSSOVER,
            (RegimenDose("clonazepam", 0.5, MORNING), RegimenDose("diazepam", 10, MORNING)),
        ),
        change(60, ChangeKind.CUT, 15.0),
        change(90, ChangeKind.UPDOSE, 18.0),
        change(120, ChangeKind.START, 18.0),
    ]
    responses = cut_responses(changes, flat(200), "ashton", {})
    assert [(r.date, r.kind) for r in responses] == [
        (day(30), "crossover"),
        (day(60), "cut"),
        (day(90), "updose"),
    ]
    assert responses[0].from_mg == pytest.approx(responses[0].to_mg)  # the total is kept
    assert responses[2].to_mg > responses[2].from_mg


def test_aligned_curves_run_from_before_to_after_with_gaps_as_none() -> None:
    burden = {day(58): 30.0, day(60): 45.0, day(63): 50.0}
    curves = aligned_curves(burden, [day(60)], before_days=2, after_days=3)
    assert curves == {day(60): [(-2, 30.0), (-1, None), (0, 45.0), (1, None), (2, None), (3, 50.0)]}


def figures(response: CutResponse) -> tuple[object, ...]:
    return (
        response.before_mean,
        response.after_mean,
        response.peak,
        response.peak_delay_days,
        response.days_to_baseline,
    )


@given(st.integers(-2000, 2000), st.integers(3, 20), st.floats(15, 60))
def test_shifting_every_date_shifts_the_responses(shift: int, delay: int, height: float) -> None:
    moved = dt.timedelta(days=shift)
    burden = with_spike(20.0, 60, delay, delay + 5, height)
    changes = regimen((60, ChangeKind.CUT, 9.0), (120, ChangeKind.UPDOSE, 9.5))
    moved_changes = [
        RegimenChange(c.date + moved, c.kind, c.doses, c.reason, c.prescriber_involved)
        for c in changes
    ]
    original = cut_responses(changes, burden, "ashton", {})
    again = cut_responses(moved_changes, {d + moved: v for d, v in burden.items()}, "ashton", {})
    assert [r.date + moved for r in original] == [r.date for r in again]
    assert [figures(r) for r in original] == [figures(r) for r in again]
    assert original[0].peak_delay_days == delay
