"""Equivalence tables: worked examples from the sources, ranges, overrides, unknown drugs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diary.domain.equivalence import (
    ASHTON,
    HALF_LIVES,
    TABLES,
    VA,
    canonical_drug,
    diazepam_equivalent,
    factor_for,
    get_table,
)
from diary.domain.errors import NotFound, ValidationError


def test_two_mg_lorazepam_is_20_by_ashton_and_10_by_va() -> None:
    assert diazepam_equivalent("lorazepam", 2, "ashton") == pytest.approx(20)
    assert diazepam_equivalent("lorazepam", 2, "va") == pytest.approx(10)


def test_the_tables_hold_every_drug_of_their_source() -> None:
    assert len(ASHTON.factors) == 27
    assert len([d for d in VA.factors if d != "diazepam"]) == 11
    assert set(HALF_LIVES) == set(ASHTON.factors)


def test_diazepam_is_10_in_every_table() -> None:
    for table in TABLES.values():
        assert diazepam_equivalent("diazepam", 10, table) == 10


def test_a_range_is_kept_as_a_range() -> None:
    bromazepam = ASHTON.factors["bromazepam"]
    assert (bromazepam.low, bromazepam.high) == (5, 6)
    assert str(bromazepam) == "5-6"


def test_a_range_without_a_chosen_value_asks_the_user_to_choose() -> None:
    with pytest.raises(ValidationError, match="range of 5-6 mg bromazepam.*choose"):
        diazepam_equivalent("bromazepam", 6)


def test_an_override_settles_a_range() -> None:
    assert diazepam_equivalent("bromazepam", 6, overrides={"bromazepam": 6}) == 10


def test_an_override_wins_over_the_table() -> None:
    assert diazepam_equivalent("clonazepam", 1, "ashton", {"clonazepam": 0.25}) == 40


def test_a_drug_the_table_lacks_asks_for_a_value() -> None:
    with pytest.raises(ValidationError, match="no value for zolpidem"):
        factor_for("zolpidem", "va")


def test_an_unknown_drug_suggests_the_closest_name() -> None:
    with pytest.raises(NotFound, match='Did you mean "clonazepam"'):
        diazepam_equivalent("clonazepan", 1)


def test_drug_and_table_names_ignore_case() -> None:
    assert canonical_drug("  Diazepam ") == "diazepam"
    assert get_table("VA") is VA


def test_an_unknown_table_is_named() -> None:
    with pytest.raises(NotFound, match="equivalence table"):
        get_table("maudsley")


single_valued = sorted(d for d, f in ASHTON.factors.items() if not f.is_range)


@given(
    drug=st.sampled_from(single_valued),
    mg=st.floats(min_value=0.01, max_value=100),
    k=st.floats(min_value=0.1, max_value=10),
)
def test_equivalents_scale_with_the_dose(drug: str, mg: float, k: float) -> None:
    assert diazepam_equivalent(drug, mg * k) == pytest.approx(diazepam_equivalent(drug, mg) * k)


@given(drug=st.sampled_from(single_valued))
def test_the_factor_itself_is_10_mg_diazepam(drug: str) -> None:
    assert diazepam_equivalent(drug, ASHTON.factors[drug].low) == pytest.approx(10)
