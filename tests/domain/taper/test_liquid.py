"""Liquid maths: the worked examples of domain.md and the properties behind them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.errors import ValidationError
from diary.domain.taper.liquid import (
    SHAKE_NOTE,
    dose_after_removing,
    remove_k_ml_series,
    round_to_syringe,
    suspension_concentration,
    volume_for_dose,
)


def test_one_10_mg_tablet_in_100_ml_with_20_ml_removed_leaves_8_mg() -> None:
    assert dose_after_removing(10, 100, 20) == pytest.approx(8)


def test_a_suspension_of_two_5_mg_tablets_in_50_ml_is_0_2_mg_per_ml() -> None:
    assert suspension_concentration(5, 2, 50) == pytest.approx(0.2)
    assert volume_for_dose(1.5, 0.2) == pytest.approx(7.5)


def test_uk_2_mg_in_5_ml_liquid_rounded_to_a_0_1_ml_syringe_shows_the_real_dose() -> None:
    concentration = 2 / 5  # 0.4 mg/mL
    measured = round_to_syringe(1.3, concentration, 0.1)
    assert measured.ideal_ml == pytest.approx(3.25)
    assert measured.ml == pytest.approx(3.3)  # halfway: the larger volume, the gentler cut
    assert measured.mg == pytest.approx(1.32)


def test_a_volume_already_on_a_syringe_mark_is_kept_exactly() -> None:
    measured = round_to_syringe(2.4, 1.0, 0.1)
    assert (measured.ml, measured.mg) == (2.4, 2.4)


def test_removing_k_ml_on_day_k_falls_linearly_and_the_last_cuts_are_huge() -> None:
    days = remove_k_ml_series(10, 100, step_ml=1)
    assert len(days) == 101  # day 0 (whole tablet) to day 100 (nothing left)
    assert days[0].cut_percent is None and days[0].dose_mg == 10
    assert days[20].dose_mg == pytest.approx(8)
    drops = {round(a.dose_mg - b.dose_mg, 9) for a, b in zip(days, days[1:], strict=False)}
    assert drops == {0.1}  # the same 0.1 mg every day
    assert days[1].cut_percent == pytest.approx(1)
    assert days[98].cut_percent == pytest.approx(100 / 3)  # 0.3 -> 0.2 mg
    assert days[99].cut_percent == pytest.approx(50)  # 0.2 -> 0.1 mg
    assert days[100].cut_percent == pytest.approx(100) and days[100].dose_mg == 0


def test_a_step_that_does_not_divide_the_volume_ends_exactly_at_empty() -> None:
    days = remove_k_ml_series(5, 10, step_ml=3)
    assert [d.removed_ml for d in days] == [0, 3, 6, 9, 10]
    assert days[-1].dose_mg == 0


def test_the_shake_note_says_it_is_a_suspension() -> None:
    assert "suspension" in SHAKE_NOTE and "shake" in SHAKE_NOTE


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: suspension_concentration(10, 1, 0), "volume must be more than 0"),
        (lambda: dose_after_removing(10, 100, 120), "Cannot remove 120 mL from 100 mL"),
        (lambda: volume_for_dose(-1, 1), "dose cannot be below 0"),
        (lambda: round_to_syringe(1, 1, 0), "syringe resolution must be more than 0"),
    ],
)
def test_impossible_inputs_get_a_plain_message(call: object, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        call()  # type: ignore[operator]


@given(
    tablet_mg=st.sampled_from([2.0, 5.0, 10.0]),
    volume_ml=st.integers(10, 200),
    step_ml=st.sampled_from([0.5, 1.0, 2.0, 5.0]),
)
def test_each_day_of_the_series_is_the_formula_and_its_cut_is_of_the_day_before(
    tablet_mg: float, volume_ml: int, step_ml: float
) -> None:
    days = remove_k_ml_series(tablet_mg, volume_ml, step_ml)
    for before, day in zip(days, days[1:], strict=False):
        assert day.dose_mg == pytest.approx(tablet_mg * (volume_ml - day.removed_ml) / volume_ml)
        share_removed = (before.dose_mg - day.dose_mg) / before.dose_mg * 100
        assert day.cut_percent == pytest.approx(share_removed)
    cuts = [d.cut_percent for d in days if d.cut_percent is not None]
    assert cuts == sorted(cuts)  # a linear fall is an ever larger share of what is left


@given(
    target=st.floats(0, 20, allow_nan=False),
    concentration=st.sampled_from([0.4, 1.0, 5.0, 0.2]),
    resolution=st.sampled_from([0.01, 0.1, 0.2, 0.5]),
)
def test_the_syringe_is_never_off_by_more_than_half_a_mark(
    target: float, concentration: float, resolution: float
) -> None:
    measured = round_to_syringe(target, concentration, resolution)
    assert abs(measured.ml - measured.ideal_ml) <= resolution / 2 + 1e-9
    assert measured.mg == pytest.approx(measured.ml * concentration)
    assert round(measured.ml / resolution, 6) == round(measured.ml / resolution)
