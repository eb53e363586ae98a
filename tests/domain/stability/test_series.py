"""Rolling burden, baseline and the stable flag on series with known answers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.errors import ValidationError
from diary.domain.stability.params import StabilityParams
from diary.domain.stability.series import stability_series
from tests.domain.stability.synthetic import day, flat

PARAMS = StabilityParams()
# On a series logged every day from day 0, the first day whose baseline (the 28 days before
# its 7-day window) holds the 14 logged days it needs.
WARM_UP = PARAMS.rolling_days + PARAMS.min_logged_in_baseline - 1


def test_a_flat_series_is_stable_on_every_day_with_enough_history() -> None:
    burden = flat(120, level=30.0)
    series = stability_series(burden, day(0), day(119))
    assert len(series) == 120
    assert [entry.date for entry in series] == [day(n) for n in range(120)]
    warmed = series[WARM_UP:]
    assert all(entry.stable is True for entry in warmed)
    assert all(entry.rolling == pytest.approx(30.0) for entry in warmed)
    assert all(entry.baseline == pytest.approx(30.0) for entry in warmed)
    assert all(entry.variability == pytest.approx(0.0, abs=1e-9) for entry in warmed)
    # Before that there is no 28-day baseline yet: not enough data, never "not stable".
    assert all(entry.stable is None for entry in series[:WARM_UP])


def test_history_before_the_start_feeds_the_first_days() -> None:
    burden = flat(120, level=30.0)
    series = stability_series(burden, day(60), day(61))
    assert [entry.stable for entry in series] == [True, True]


def test_missing_days_never_count_as_zero() -> None:
    # Logged on two days of every three, always at 40: the means stay 40 and the days are
    # stable, as they would be if the gaps counted as 0 they would not.
    burden = {day(n): 40.0 for n in range(100) if n % 3 != 2}
    series = stability_series(burden, day(0), day(99))
    assert all(entry.burden is None for entry in series[2::3])
    assert all(entry.rolling == pytest.approx(40.0) for entry in series[6:])
    assert all(entry.baseline == pytest.approx(40.0) for entry in series[40:])
    assert all(entry.stable is True for entry in series[40:])


def test_a_clear_rise_is_not_stable_and_a_rise_within_the_band_is() -> None:
    burden = flat(60, level=20.0)
    small = {**burden, **{day(n): 24.0 for n in range(60, 74)}}
    large = {**burden, **{day(n): 45.0 for n in range(60, 74)}}
    # On day 66 the 7-day window is days 60-66, its baseline days 32-59.
    assert stability_series(small, day(66), day(66))[0].stable is True
    after_rise = stability_series(large, day(66), day(66))[0]
    assert after_rise.stable is False
    assert after_rise.rolling == pytest.approx(45.0)
    assert after_rise.baseline == pytest.approx(20.0)


def test_trending_up_inside_the_band_is_not_stable() -> None:
    wide_band = StabilityParams(stable_band_points=20.0)
    # Rising by 3 points a day over the last week: within the (wide) band, but trending up.
    rising = {**flat(60, level=20.0), **{day(60 + n): 20.0 + 3.0 * (n + 1) for n in range(7)}}
    entry = stability_series(rising, day(66), day(66), wide_band)[0]
    assert entry.baseline is not None and entry.rolling is not None and entry.band is not None
    assert abs(entry.rolling - entry.baseline) <= entry.band
    assert entry.slope is not None and entry.slope > wide_band.trend_max_points_per_day
    assert entry.stable is False
    steady = stability_series(flat(67, level=20.0), day(66), day(66), wide_band)[0]
    assert steady.stable is True


def test_too_few_logged_days_in_the_week_gives_none() -> None:
    burden = flat(60, level=20.0)
    sparse_week = {d: v for d, v in burden.items() if d < day(53) or d in (day(55), day(58))}
    entry = stability_series(sparse_week, day(59), day(59))[0]
    assert entry.rolling is None and entry.stable is None


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ValidationError, match="before its start"):
        stability_series({}, day(10), day(9))


levels = st.floats(0, 100, allow_nan=False)
sparse_series = st.dictionaries(st.integers(0, 89), levels, max_size=90)


@given(sparse_series)
def test_stable_is_none_whenever_the_windows_hold_too_few_logged_days(
    values: dict[int, float],
) -> None:
    burden = {day(n): v for n, v in values.items()}
    for entry in stability_series(burden, day(0), day(89)):
        rolling_logged = sum(
            1 for n in range(PARAMS.rolling_days) if entry.date - dt.timedelta(days=n) in burden
        )
        base_logged = sum(
            1
            for n in range(PARAMS.rolling_days, PARAMS.rolling_days + PARAMS.baseline_days)
            if entry.date - dt.timedelta(days=n) in burden
        )
        if rolling_logged < PARAMS.min_logged_in_rolling:
            assert entry.rolling is None and entry.stable is None
        if base_logged < PARAMS.min_logged_in_baseline:
            assert entry.baseline is None and entry.stable is None
        for figure in (entry.burden, entry.rolling, entry.baseline):
            assert figure is None or -1e-9 <= figure <= 100 + 1e-9


@given(sparse_series, st.integers(-3000, 3000))
def test_shifting_every_date_shifts_the_results(values: dict[int, float], shift: int) -> None:
    moved = dt.timedelta(days=shift)
    burden = {day(n): v for n, v in values.items()}
    shifted = {date + moved: v for date, v in burden.items()}
    original = stability_series(burden, day(0), day(89))
    again = stability_series(shifted, day(0) + moved, day(89) + moved)
    assert [entry.date + moved for entry in original] == [entry.date for entry in again]
    strip = [(e.burden, e.rolling, e.variability, e.baseline, e.stable) for e in original]
    assert strip == [(e.burden, e.rolling, e.variability, e.baseline, e.stable) for e in again]
