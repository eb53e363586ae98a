"""Per-symptom trends against the previous period of equal length."""

from __future__ import annotations

import datetime as dt

import pytest

from diary.domain.errors import ValidationError
from diary.domain.models import CheckIn
from diary.domain.stability.trends import symptom_trends

MARCH = dt.date(2024, 3, 1)


def on(offset: int, **ratings: int) -> CheckIn:
    return CheckIn(MARCH + dt.timedelta(days=offset), dict(ratings))


def test_trends_compare_with_the_period_just_before_and_list_the_most_severe_first() -> None:
    checkins = [
        on(-10, anxiety=4, insomnia=1),  # the previous 10 days: 1-10 March minus 10
        on(-1, anxiety=2, tinnitus=3),
        on(0, anxiety=1, insomnia=3),
        on(5, anxiety=2, insomnia=3),
        on(9, insomnia=4),
        on(10, anxiety=4),  # after the period: left out
        on(-11, anxiety=0),  # before the previous period: left out
    ]
    trends = symptom_trends(checkins, MARCH, MARCH + dt.timedelta(days=9))
    assert [t.name for t in trends] == ["insomnia", "anxiety", "tinnitus"]
    insomnia, anxiety, tinnitus = trends
    assert (insomnia.days_rated, insomnia.worst) == (3, 4)
    assert insomnia.mean == pytest.approx(10 / 3)
    assert insomnia.previous_mean == pytest.approx(1.0)
    assert insomnia.change == pytest.approx(10 / 3 - 1)
    assert (anxiety.days_rated, anxiety.mean, anxiety.previous_mean) == (2, 1.5, 3.0)
    assert anxiety.change == pytest.approx(-1.5)  # better than before
    # Rated only before: no mean now (not 0), listed last.
    assert (tinnitus.days_rated, tinnitus.mean, tinnitus.worst, tinnitus.change) == (
        0,
        None,
        None,
        None,
    )
    assert tinnitus.previous_mean == 3.0


def test_a_symptom_new_in_the_period_has_no_change() -> None:
    [trend] = symptom_trends([on(2, tremor=2)], MARCH, MARCH + dt.timedelta(days=6))
    assert (trend.mean, trend.previous_mean, trend.change) == (2.0, None, None)


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ValidationError):
        symptom_trends([], MARCH, MARCH - dt.timedelta(days=1))
