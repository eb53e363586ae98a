"""The regimen timeline in diazepam equivalents: series, cut figures, windows, cycles."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.errors import ValidationError
from diary.domain.models import ChangeKind, RegimenChange, RegimenDose
from diary.domain.taper.history import (
    count_stop_restart_cycles,
    cut_figures,
    daily_diazepam,
    daily_diazepam_series,
    largest_reduction,
    reduction_over,
    regimen_on,
)

D = dt.date


def change(day: dt.date, kind: ChangeKind, *doses: tuple[str, float, int]) -> RegimenChange:
    return RegimenChange(
        day, kind, tuple(RegimenDose(drug, mg, dt.time(hour)) for drug, mg, hour in doses)
    )


HISTORY = [
    change(D(2024, 1, 1), ChangeKind.START, ("lorazepam", 1, 8), ("lorazepam", 1, 22)),
    change(D(2024, 2, 1), ChangeKind.CROSSOVER, ("lorazepam", 1, 8), ("diazepam", 10, 22)),
    change(D(2024, 3, 1), ChangeKind.CUT, ("lorazepam", 1, 8), ("diazepam", 8, 22)),
    change(D(2024, 3, 8), ChangeKind.CUT, ("lorazepam", 1, 8), ("diazepam", 6, 22)),
    change(D(2024, 4, 1), ChangeKind.UPDOSE, ("lorazepam", 1, 8), ("diazepam", 9, 22)),
]


def test_two_mg_lorazepam_a_day_is_20_mg_by_ashton_and_10_by_va() -> None:
    doses = HISTORY[0].doses
    assert daily_diazepam(doses, "ashton") == 20
    assert daily_diazepam(doses, "va") == 10


def test_the_regimen_on_a_day_is_the_latest_change_on_or_before_it() -> None:
    assert regimen_on(HISTORY, D(2023, 12, 31)) is None
    assert regimen_on(HISTORY, D(2024, 3, 1)) == HISTORY[2]
    assert regimen_on(HISTORY, D(2024, 3, 7)) == HISTORY[2]
    assert regimen_on(list(reversed(HISTORY)), D(2030, 1, 1)) == HISTORY[-1]


def test_the_daily_series_sums_drugs_and_leaves_out_days_before_any_regimen() -> None:
    series = daily_diazepam_series(HISTORY, D(2023, 12, 30), D(2024, 3, 2))
    assert series[0].date == D(2024, 1, 1)  # no regimen known before: not a dose of 0
    assert len(series) == 62
    assert series[0].by_drug == {"lorazepam": 20}
    feb = next(d for d in series if d.date == D(2024, 2, 1))
    assert feb.by_drug == {"lorazepam": 10, "diazepam": 10} and feb.total_mg == 20
    assert series[-1].total_mg == 18
    with pytest.raises(ValidationError, match="end of the period is before its start"):
        daily_diazepam_series(HISTORY, D(2024, 2, 1), D(2024, 1, 1))


def test_each_change_is_measured_against_the_dose_just_before_it() -> None:
    figures = cut_figures(HISTORY)
    assert [(f.kind, f.from_mg, f.to_mg) for f in figures] == [
        (ChangeKind.CROSSOVER, 20, 20),
        (ChangeKind.CUT, 20, 18),
        (ChangeKind.CUT, 18, 16),
        (ChangeKind.UPDOSE, 16, 19),
    ]
    assert [f.percent for f in figures] == [
        0,
        pytest.approx(10),
        pytest.approx(100 * 2 / 18),  # of 18, the dose just before, not of the 20 at the start
        pytest.approx(-18.75),
    ]


def test_the_rolling_window_compares_with_the_dose_window_days_earlier() -> None:
    series = daily_diazepam_series(HISTORY, D(2024, 1, 1), D(2024, 4, 30))
    assert reduction_over(series, D(2024, 3, 10), 14) == pytest.approx(20)  # 20 -> 16
    assert reduction_over(series, D(2024, 3, 20), 14) == pytest.approx(100 * 2 / 18)
    assert reduction_over(series, D(2024, 1, 5), 14) is None  # before the series begins
    assert largest_reduction(series, 14) == (D(2024, 3, 8), pytest.approx(20))
    assert largest_reduction(series, 28) == (D(2024, 3, 8), pytest.approx(20))


def test_stop_restart_cycles_count_each_return_after_reaching_zero() -> None:
    stop = change(D(2024, 5, 1), ChangeKind.CUT)
    restart = change(D(2024, 5, 20), ChangeKind.UPDOSE, ("diazepam", 5, 22))
    stop_again = change(D(2024, 9, 1), ChangeKind.CUT)
    assert count_stop_restart_cycles(HISTORY) == 0
    assert count_stop_restart_cycles([*HISTORY, stop]) == 0
    assert count_stop_restart_cycles([*HISTORY, stop, restart]) == 1
    again = change(D(2025, 1, 1), ChangeKind.UPDOSE, ("diazepam", 2, 22))
    assert count_stop_restart_cycles([*HISTORY, stop, restart, stop_again, again]) == 2


@given(amounts=st.lists(st.sampled_from([0, 1, 2, 2.5, 5, 7.5, 10, 20]), min_size=2, max_size=12))
def test_every_percentage_is_relative_to_the_dose_just_before(amounts: list[float]) -> None:
    changes = [
        change(D(2024, 1, 1) + dt.timedelta(days=7 * i), ChangeKind.CUT, ("diazepam", mg, 22))
        for i, mg in enumerate(amounts)
    ]
    figures = cut_figures(changes)
    assert len(figures) == len(amounts) - 1
    for before, after, figure in zip(amounts, amounts[1:], figures, strict=False):
        assert (figure.from_mg, figure.to_mg) == (before, after)
        if before == 0:
            assert figure.percent is None
        else:
            assert figure.percent == pytest.approx((before - after) / before * 100)
    zero_then_up = sum(1 for i in range(1, len(amounts)) if amounts[i] > 0 and amounts[i - 1] == 0)
    started = next((i for i, mg in enumerate(amounts) if mg > 0), None)
    leading_restarts = 1 if started is not None and started > 0 else 0
    assert count_stop_restart_cycles(changes) == zero_then_up - leading_restarts
