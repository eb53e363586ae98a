"""Overall taper figures from a recorded history, worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from diary.domain.models import ChangeKind, Hold, RegimenChange, RegimenDose
from diary.domain.taper.rates import dz_timeline, hold_days, taper_figures

D = dt.date
MORNING, NIGHT = dt.time(8), dt.time(22)


def change(day: dt.date, kind: ChangeKind, *doses: tuple[str, float]) -> RegimenChange:
    times = (MORNING, NIGHT)
    return RegimenChange(
        day, kind, tuple(RegimenDose(drug, mg, times[i]) for i, (drug, mg) in enumerate(doses))
    )


HISTORY = [
    change(D(2024, 1, 1), ChangeKind.START, ("clonazepam", 0.5), ("clonazepam", 0.5)),  # 20 mg
    change(D(2024, 2, 1), ChangeKind.CROSSOVER, ("diazepam", 10), ("clonazepam", 0.5)),  # 20
    change(D(2024, 3, 1), ChangeKind.CUT, ("diazepam", 10), ("clonazepam", 0.25)),  # 15
    change(D(2024, 3, 10), ChangeKind.CUT, ("diazepam", 8), ("clonazepam", 0.25)),  # 13
    change(D(2024, 4, 1), ChangeKind.UPDOSE, ("diazepam", 10), ("clonazepam", 0.25)),  # 15
    change(D(2024, 7, 1), ChangeKind.CUT, ("diazepam", 10)),  # 10
]


def test_the_timeline_sums_every_drug_in_diazepam_equivalents() -> None:
    totals = [p.total_mg for p in dz_timeline(HISTORY, "ashton")]
    assert totals == pytest.approx([20, 20, 15, 13, 15, 10])


def test_the_table_changes_every_figure() -> None:
    # VA/DoD: clonazepam 1 mg = 10 mg diazepam, half the Ashton figure.
    assert dz_timeline(HISTORY[:1], "va")[0].total_mg == pytest.approx(10)


def test_overall_figures_on_a_known_history() -> None:
    holds = [Hold(D(2024, 4, 1), D(2024, 4, 30)), Hold(D(2024, 7, 20))]
    today = D(2024, 7, 31)
    figures = taper_figures(HISTORY, holds, today, "ashton", projected_end=D(2025, 1, 1))
    assert figures.table == "ashton"
    assert (figures.start_mg, figures.current_mg) == pytest.approx((20, 10))
    assert figures.percent_reduced == pytest.approx(50)
    assert figures.taper_start == D(2024, 2, 1)  # the first crossover stage
    assert figures.days_on_taper == (today - D(2024, 2, 1)).days
    months = figures.days_on_taper / (365.25 / 12)
    assert figures.mg_per_month == pytest.approx(10 / months)
    assert figures.percent_per_month == pytest.approx(50 / months)
    assert (figures.cuts, figures.reinstatements) == (3, 1)
    assert (figures.holds, figures.hold_days) == (2, 30 + 12)  # the open one counts to today
    assert figures.projected_end == D(2025, 1, 1)


def test_rolling_reductions_are_relative_to_the_dose_at_the_start_of_the_window() -> None:
    # 15 mg until 1 July, then 10 mg: a third less over both windows on 10 July.
    figures = taper_figures(HISTORY, [], D(2024, 7, 10), "ashton")
    assert figures.reduced_percent[14] == pytest.approx(100 / 3)
    assert figures.reduced_percent[28] == pytest.approx(100 / 3)
    later = taper_figures(HISTORY, [], D(2024, 8, 30), "ashton")
    assert later.reduced_percent[14] == pytest.approx(0)


def test_an_updose_shows_as_a_negative_reduction() -> None:
    figures = taper_figures(HISTORY, [], D(2024, 4, 5), "ashton")
    assert figures.reduced_percent[14] == pytest.approx((13 - 15) / 13 * 100)


def test_figures_of_an_empty_diary_are_unknown_not_zero() -> None:
    figures = taper_figures([], [], D(2024, 1, 1), "ashton")
    assert figures.start_mg is None and figures.current_mg is None
    assert figures.percent_reduced is None and figures.taper_start is None
    assert figures.reduced_percent == {14: None, 28: None}


def test_changes_after_today_are_not_counted_yet() -> None:
    figures = taper_figures(HISTORY, [], D(2024, 3, 5), "ashton")
    assert figures.current_mg == pytest.approx(15)
    assert (figures.cuts, figures.reinstatements) == (1, 0)


def test_hold_days_count_both_ends_and_ignore_future_holds() -> None:
    holds = [Hold(D(2024, 1, 1), D(2024, 1, 1)), Hold(D(2024, 5, 1))]
    assert hold_days(holds, D(2024, 4, 1)) == 1
