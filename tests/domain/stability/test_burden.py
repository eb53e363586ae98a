"""Daily burden: rated severities as a share of their maximum; unrated days are absent."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from diary.domain.models import CheckIn
from diary.domain.stability.burden import daily_burden

NAMES = ["anxiety", "insomnia", "fatigue", "tinnitus", "tremor"]
ratings = st.dictionaries(st.sampled_from(NAMES), st.integers(0, 4), max_size=len(NAMES))
days = st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))


def test_burden_counts_only_the_symptoms_rated_that_day() -> None:
    checkins = [
        CheckIn(dt.date(2024, 3, 1), {"anxiety": 2, "insomnia": 4}),  # 6 of 8
        CheckIn(dt.date(2024, 3, 2), {"anxiety": 1}),  # 1 of 4
        CheckIn(dt.date(2024, 3, 3), {"anxiety": 0, "insomnia": 0, "fatigue": 0}),
    ]
    assert daily_burden(checkins) == {
        dt.date(2024, 3, 1): 75.0,
        dt.date(2024, 3, 2): 25.0,
        dt.date(2024, 3, 3): 0.0,
    }


def test_a_day_with_nothing_rated_is_missing_not_zero() -> None:
    checkins = [
        CheckIn(dt.date(2024, 3, 1), {"anxiety": 2}),
        CheckIn(dt.date(2024, 3, 2), {}, wellbeing=7, sleep_hours=6.5, note="no ratings today"),
    ]
    burden = daily_burden(checkins)
    assert dt.date(2024, 3, 2) not in burden
    assert list(burden) == [dt.date(2024, 3, 1)]


@given(st.lists(st.tuples(days, ratings), max_size=30))
def test_burden_is_between_0_and_100_and_only_on_rated_days(
    entries: list[tuple[dt.date, dict[str, int]]],
) -> None:
    checkins = [CheckIn(date, values) for date, values in entries]
    burden = daily_burden(checkins)
    assert all(0.0 <= value <= 100.0 for value in burden.values())
    rated = {date for date, values in entries if values}
    assert set(burden) == rated


@given(
    st.dictionaries(days, ratings.filter(bool), max_size=30),
    days,
    ratings.filter(bool),
)
def test_adding_a_missing_day_never_changes_other_days(
    existing: dict[dt.date, dict[str, int]], new_day: dt.date, new_ratings: dict[str, int]
) -> None:
    existing.pop(new_day, None)
    checkins = [CheckIn(date, values) for date, values in existing.items()]
    before = daily_burden(checkins)
    after = daily_burden([*checkins, CheckIn(new_day, new_ratings)])
    assert {date: value for date, value in after.items() if date != new_day} == before
    assert new_day in after
