"""Limits on what the diary accepts, and the sentences that explain them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.errors import ValidationError
from diary.domain.models import DoseKind, Form, Hold, Medication, RegimenDose
from diary.domain.symptom_catalogue import DEFAULT_SYMPTOMS
from diary.domain.validation import (
    check_dose_mg,
    check_hold_dates,
    check_medication,
    check_ml,
    check_no_overlap,
    check_not_far_future,
    check_note,
    check_regimen,
    check_severity,
    check_sleep_hours,
    check_wellbeing,
    clean_name,
    max_single_dose_mg,
    parse_date,
    parse_datetime,
)

NOW = dt.datetime(2024, 3, 5, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.mark.parametrize("mg", [0, -1, float("nan"), float("inf")])
def test_a_dose_must_be_a_positive_number(mg: float) -> None:
    with pytest.raises(ValidationError):
        check_dose_mg(mg, "diazepam")


def test_the_largest_single_dose_is_100_mg_diazepam_equivalent_by_ashton() -> None:
    assert max_single_dose_mg("diazepam") == 100
    assert max_single_dose_mg("lorazepam") == 10
    assert max_single_dose_mg("bromazepam") == 60  # the upper end of Ashton's 5-6 range
    assert check_dose_mg(100, "diazepam") == 100
    with pytest.raises(ValidationError, match="equivalent of 100 mg diazepam by the Ashton table"):
        check_dose_mg(10.5, "lorazepam")


def test_not_taken_is_zero_mg() -> None:
    assert check_dose_mg(0, "diazepam", DoseKind.NOT_TAKEN) == 0
    with pytest.raises(ValidationError, match="not taken has 0 mg"):
        check_dose_mg(2, "diazepam", DoseKind.NOT_TAKEN)


@pytest.mark.parametrize("ml", [0, -0.1, 100.01])
def test_volume_limits(ml: float) -> None:
    with pytest.raises(ValidationError, match="at most 100 mL"):
        check_ml(ml)


def test_volume_edges_are_accepted() -> None:
    assert check_ml(None) is None
    assert check_ml(100) == 100
    assert check_ml(0.1) == 0.1


@given(st.integers())
def test_severity_is_0_to_4(value: int) -> None:
    if 0 <= value <= 4:
        assert check_severity(value, "Tinnitus") == value
    else:
        with pytest.raises(ValidationError, match="outside 0-4"):
            check_severity(value, "Tinnitus")


@given(st.integers())
def test_wellbeing_is_0_to_10(value: int) -> None:
    if 0 <= value <= 10:
        assert check_wellbeing(value) == value
    else:
        with pytest.raises(ValidationError, match=f"Wellbeing {value} is outside 0-10"):
            check_wellbeing(value)


def test_a_rating_must_be_a_whole_number() -> None:
    with pytest.raises(ValidationError, match="whole number"):
        check_severity(True, "Tinnitus")
    with pytest.raises(ValidationError, match="whole number"):
        check_wellbeing(2.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("hours", [-0.5, 24.5])
def test_sleep_is_0_to_24_hours(hours: float) -> None:
    with pytest.raises(ValidationError, match="outside 0-24"):
        check_sleep_hours(hours)
    assert check_sleep_hours(0) == 0
    assert check_sleep_hours(None) is None


def test_a_dose_may_be_dated_up_to_a_day_ahead() -> None:
    check_not_far_future(NOW + dt.timedelta(hours=23), NOW)
    with pytest.raises(ValidationError, match="more than one day in the future"):
        check_not_far_future(NOW + dt.timedelta(hours=25), NOW)


def test_names_are_trimmed_and_not_empty() -> None:
    assert clean_name("  Valium   5 mg ") == "Valium 5 mg"
    with pytest.raises(ValidationError, match="cannot be empty"):
        clean_name(" \t ", "medication name")
    with pytest.raises(ValidationError, match="the most is 100"):
        clean_name("x" * 101)


def test_notes_have_a_length_limit() -> None:
    assert check_note("x" * 10_000) == "x" * 10_000
    with pytest.raises(ValidationError, match="10,000"):
        check_note("x" * 10_001)


def test_a_liquid_needs_a_concentration() -> None:
    with pytest.raises(ValidationError, match="concentration in mg per mL"):
        check_medication(Medication("Drops", "diazepam", Form.LIQUID))
    liquid = check_medication(Medication("Drops", "Diazepam", Form.LIQUID, None, 1.0))
    assert liquid.drug == "diazepam"


def test_a_tablet_has_a_strength_not_a_concentration() -> None:
    with pytest.raises(ValidationError, match="not a concentration"):
        check_medication(Medication("Valium", "diazepam", Form.TABLET, 5, 1))
    assert check_medication(Medication("Valium", "diazepam")).strength_mg is None


def test_a_liquid_has_no_tablet_strength() -> None:
    with pytest.raises(ValidationError, match="not a tablet strength"):
        check_medication(Medication("Drops", "diazepam", Form.LIQUID, 5, 1))


def test_a_regimen_names_a_drug_once_per_time() -> None:
    eight = dt.time(8)
    with pytest.raises(ValidationError, match="appears twice at 08:00"):
        check_regimen([RegimenDose("diazepam", 5, eight), RegimenDose("Diazepam", 2, eight)])
    assert check_regimen([]) == ()


def test_hold_dates() -> None:
    with pytest.raises(ValidationError, match="cannot end .* before it starts"):
        check_hold_dates(dt.date(2024, 3, 5), dt.date(2024, 3, 4))
    check_hold_dates(dt.date(2024, 3, 5), dt.date(2024, 3, 5))


def test_holds_never_overlap() -> None:
    closed = Hold(dt.date(2024, 1, 1), dt.date(2024, 1, 31), id=1)
    with pytest.raises(ValidationError, match="overlaps the hold from 1 January 2024"):
        check_no_overlap(Hold(dt.date(2024, 1, 31)), [closed])
    with pytest.raises(ValidationError, match="overlaps"):
        check_no_overlap(Hold(dt.date(2023, 12, 1), None), [closed])
    check_no_overlap(Hold(dt.date(2024, 2, 1)), [closed])


def test_malformed_dates_are_explained() -> None:
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        parse_date("2024-13-01")
    assert parse_date(" 2024-03-05 ") == dt.date(2024, 3, 5)
    with pytest.raises(ValidationError, match="not a valid time"):
        parse_datetime("yesterday")
    assert parse_datetime("2024-03-05T08:00+02:00").utcoffset() == dt.timedelta(hours=2)
    assert parse_datetime("2024-03-05T08:00").utcoffset() is not None


def test_the_default_catalogue_has_24_distinct_symptoms() -> None:
    assert len(DEFAULT_SYMPTOMS) == 24
    assert len({s.casefold() for s in DEFAULT_SYMPTOMS}) == 24
    assert DEFAULT_SYMPTOMS[0] == "Anxiety or nervousness"
