"""Windows and waves: runs clearly worse or better than the person's own baseline."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.stability.params import StabilityParams
from diary.domain.stability.series import stability_series
from diary.domain.stability.waves import Run, find_runs
from tests.domain.stability.synthetic import day, flat

PARAMS = StabilityParams()


def runs_of(
    burden: dict[dt.date, float], first: int = 0, last: int = 149
) -> tuple[list[Run], list[Run]]:
    return find_runs(stability_series(burden, day(first), day(last)))


def test_an_injected_wave_is_found_with_its_start_length_and_height() -> None:
    start, length, height = 70, 10, 25.0
    burden = flat(150, level=20.0)
    burden.update({day(start + n): 20.0 + height for n in range(length)})
    waves, windows = runs_of(burden)
    assert windows == []
    assert len(waves) == 1
    wave = waves[0]
    assert (wave.kind, wave.start, wave.end, wave.days) == ("wave", day(70), day(79), 10)
    # Compared throughout with the baseline of its first day: a long wave does not raise
    # its own yardstick.
    assert wave.baseline == pytest.approx(20.0)
    assert wave.depth == pytest.approx(height)
    assert (wave.peak, wave.peak_date) == (pytest.approx(45.0), day(70))


def test_an_injected_window_is_found_with_its_depth_and_lowest_day() -> None:
    burden = flat(150, level=40.0)
    burden.update({day(90 + n): 25.0 for n in range(5)})
    burden[day(92)] = 10.0
    waves, windows = runs_of(burden)
    assert waves == []
    assert [(w.kind, w.start, w.end) for w in windows] == [("window", day(90), day(94))]
    assert windows[0].depth == pytest.approx((15 * 4 + 30) / 5)
    assert (windows[0].peak, windows[0].peak_date) == (pytest.approx(10.0), day(92))


def test_a_run_shorter_than_the_minimum_is_no_wave() -> None:
    burden = flat(150, level=20.0)
    burden.update({day(80): 60.0, day(81): 60.0})
    assert runs_of(burden) == ([], [])


def test_a_bump_below_the_threshold_is_no_wave() -> None:
    burden = flat(150, level=20.0)
    burden.update({day(80 + n): 20.0 + PARAMS.wave_threshold_points - 0.5 for n in range(10)})
    assert runs_of(burden) == ([], [])


def test_a_few_unlogged_days_inside_a_wave_do_not_end_it_but_a_long_gap_does() -> None:
    burden = flat(150, level=20.0)
    burden.update({day(80 + n): 50.0 for n in range(12)})
    for gap in (84, 85):  # two unlogged days: still one wave
        del burden[day(gap)]
    waves, _ = runs_of(burden)
    assert [(w.start, w.end, w.logged_days) for w in waves] == [(day(80), day(91), 10)]
    del burden[day(86)]  # three in a row: two waves
    waves, _ = runs_of(burden)
    assert [(w.start, w.end) for w in waves] == [(day(80), day(83)), (day(87), day(91))]


def test_no_wave_is_found_without_a_baseline() -> None:
    burden = {day(n): 80.0 for n in range(5)}
    assert runs_of(burden, 0, 20) == ([], [])


@given(st.dictionaries(st.integers(0, 119), st.floats(0, 100), max_size=120))
def test_runs_lie_inside_the_series_and_never_overlap(values: dict[int, float]) -> None:
    burden = {day(n): v for n, v in values.items()}
    waves, windows = runs_of(burden, 0, 119)
    for runs, kind in ((waves, "wave"), (windows, "window")):
        for run in runs:
            assert run.kind == kind
            assert day(0) <= run.start <= run.peak_date <= run.end <= day(119)
            assert run.logged_days >= PARAMS.wave_min_days
            assert run.start in burden and run.end in burden
        for earlier, later in zip(runs, runs[1:], strict=False):
            assert earlier.end < later.start
