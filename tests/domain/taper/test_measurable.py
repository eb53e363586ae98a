"""Rounding to what the person's own tablets, splitter and syringe can measure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.errors import ValidationError
from diary.domain.taper.measurable import (
    DEFAULT_RESOLUTION_MG,
    Product,
    cannot_measure,
    is_measurable,
    measure,
    nearest_measurable,
    resolution_mg,
)

DIAZEPAM_TABLETS = [Product("diazepam", (2, 5), split=2)]
DIAZEPAM_WITH_LIQUID = [*DIAZEPAM_TABLETS, Product("diazepam", liquid_mg_per_ml=1.0)]


def test_an_amount_the_tablets_make_is_measured_exactly_and_explained() -> None:
    measured = measure("diazepam", 7.5, DIAZEPAM_TABLETS)
    assert (measured.mg, measured.ml, measured.how) == (7.5, None, "1½ × 5 mg")
    assert measure("diazepam", 9, DIAZEPAM_TABLETS).how == "1 × 5 mg + 2 × 2 mg"


def test_whole_tablets_are_preferred_to_broken_ones() -> None:
    assert measure("diazepam", 8, DIAZEPAM_TABLETS).how == "4 × 2 mg"


def test_the_nearest_amount_is_taken_and_halfway_goes_to_the_larger() -> None:
    assert measure("diazepam", 8.1, DIAZEPAM_TABLETS).mg == 8
    assert measure("diazepam", 8.25, DIAZEPAM_TABLETS).mg == 8.5  # halfway: the gentler cut
    assert measure("diazepam", 0.4, DIAZEPAM_TABLETS).mg == 0


def test_a_liquid_tops_up_the_tablets_to_the_syringe_mark() -> None:
    measured = measure("diazepam", 8.1, DIAZEPAM_WITH_LIQUID)
    assert (measured.mg, measured.ml) == (8.1, 0.1)
    assert measured.how == "4 × 2 mg + 0.1 mL of 1 mg/mL"


def test_a_liquid_alone_is_described_in_ml() -> None:
    measured = measure("diazepam", 2.3, [Product("diazepam", liquid_mg_per_ml=1.0)])
    assert (measured.mg, measured.ml, measured.how) == (2.3, 2.3, "2.3 mL of 1 mg/mL")


def test_uk_2_mg_in_5_ml_with_a_0_1_ml_syringe_measures_0_04_mg_steps() -> None:
    liquid = [Product("diazepam", liquid_mg_per_ml=0.4, syringe_ml=0.1)]
    assert resolution_mg("diazepam", liquid) == pytest.approx(0.04)
    assert measure("diazepam", 1.3, liquid).mg == pytest.approx(1.32)


def test_quartered_clonazepam_measures_eighths_of_a_mg() -> None:
    quarters = [Product("clonazepam", (0.5,), split=4)]
    assert resolution_mg("clonazepam", quarters) == 0.125
    assert measure("clonazepam", 0.375, quarters).how == "¾ × 0.5 mg"


def test_products_of_another_drug_are_ignored_and_the_ideal_is_said_to_be_calculated() -> None:
    measured = measure("lorazepam", 0.333, DIAZEPAM_TABLETS)
    assert measured.mg == 0.33
    assert "no product entered for lorazepam" in measured.how
    assert resolution_mg("lorazepam", DIAZEPAM_TABLETS) == DEFAULT_RESOLUTION_MG


def test_the_nearest_measurable_amounts_name_both_sides() -> None:
    assert nearest_measurable("diazepam", 6.2, DIAZEPAM_TABLETS) == (6, 6.5)
    assert nearest_measurable("diazepam", 6.5, DIAZEPAM_TABLETS) == (6.5, 6.5)
    assert is_measurable("diazepam", 6.5, DIAZEPAM_TABLETS)
    assert not is_measurable("diazepam", 6.2, DIAZEPAM_TABLETS)
    error = cannot_measure("diazepam", 6.2, DIAZEPAM_TABLETS)
    assert str(error) == (
        "6.2 mg of diazepam cannot be measured with the products entered; "
        "the nearest amounts are 6 mg and 6.5 mg."
    )


def test_a_computed_amount_equal_to_a_measurable_one_counts_as_measurable() -> None:
    computed = 81 * 0.1  # 8.100000000000001 in floating point
    assert is_measurable("diazepam", computed, DIAZEPAM_WITH_LIQUID)
    assert measure("diazepam", computed, DIAZEPAM_WITH_LIQUID).mg == 8.1


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Product("diazepam"), "needs a tablet strength or a liquid concentration"),
        (lambda: Product("diazepam", (5,), split=3), "whole .* halves .* quarters"),
        (lambda: Product("diazepam", (0,)), "tablet strength must be more than 0"),
        (lambda: Product("diazepam", liquid_mg_per_ml=1, syringe_ml=0), "syringe resolution"),
        (lambda: measure("diazepam", -1, DIAZEPAM_TABLETS), "cannot be below 0 mg"),
    ],
)
def test_impossible_products_and_amounts_are_refused_plainly(make: object, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        make()  # type: ignore[operator]


products_strategy = st.lists(
    st.one_of(
        st.builds(
            Product,
            drug=st.just("diazepam"),
            tablet_mg=st.lists(
                st.sampled_from([1.0, 2.0, 2.5, 5.0, 10.0]), min_size=1, max_size=2
            ).map(tuple),
            split=st.sampled_from([1, 2, 4]),
        ),
        st.builds(
            Product,
            drug=st.just("diazepam"),
            liquid_mg_per_ml=st.sampled_from([0.4, 1.0, 5.0]),
            syringe_ml=st.sampled_from([0.1, 0.2, 0.5]),
        ),
    ),
    min_size=0,
    max_size=3,
)


@given(ideal=st.floats(0, 60, allow_nan=False), products=products_strategy)
def test_rounding_never_departs_from_the_ideal_by_more_than_the_resolution(
    ideal: float, products: list[Product]
) -> None:
    resolution = resolution_mg("diazepam", products)
    measured = measure("diazepam", ideal, products)
    # Multiples of the finest step are always measurable, so half a step is the most.
    assert abs(measured.mg - ideal) <= resolution / 2 + 1e-9
    below, above = nearest_measurable("diazepam", ideal, products)
    assert below is not None and above is not None
    assert below <= ideal + 1e-9 <= above + 2e-9
    assert above - below <= resolution + 1e-9
    assert measured.mg in (below, above)
    assert is_measurable("diazepam", measured.mg, products)
