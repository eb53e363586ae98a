"""DiaryService.stability on a real encrypted diary: series, runs, cut responses, trends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from diary.domain.errors import ValidationError
from diary.domain.models import ChangeKind, RegimenDose
from diary.services.diary_service import DiaryService

FIRST = dt.date(2024, 1, 1)
CUT = dt.date(2024, 3, 1)
LAST = dt.date(2024, 4, 30)
UNLOGGED = {dt.date(2024, 2, 10), dt.date(2024, 2, 11), dt.date(2024, 2, 12)}
SPIKE = [CUT + dt.timedelta(days=n) for n in range(5, 15)]  # 5 to 14 days after the cut


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.fixture
def tapering(on_lorazepam: DiaryService) -> DiaryService:
    """Lorazepam 1 mg + 1 mg from 1 January 2024, a cut of the night dose to 0.5 mg on
    1 March; anxiety and insomnia rated every day (mild, 25%) except three February days,
    with a spike (severe, 75%) from 5 to 14 days after the cut."""
    service = on_lorazepam
    with service.batch("four months of check-ins"):
        service.set_regimen(
            [RegimenDose("lorazepam", 1, dt.time(8)), RegimenDose("lorazepam", 0.5, dt.time(20))],
            CUT,
            ChangeKind.CUT,
        )
        for day in days(FIRST, LAST):
            if day in UNLOGGED:
                continue
            severity = 3 if day in SPIKE else 1
            service.record_checkin(
                day,
                {"anxiety": severity, "insomnia": severity},
                wellbeing=3 if day in SPIKE else 7,
                sleep_hours=5.0 if day in SPIKE else 7.5,
            )
    return service


def test_the_report_covers_every_day_and_keeps_unlogged_days_missing(
    tapering: DiaryService,
) -> None:
    report = tapering.stability(end=LAST)
    assert (report.start, report.end, report.table) == (FIRST, LAST, "ashton")
    assert [d.date for d in report.days] == days(FIRST, LAST)
    by_date = {d.date: d for d in report.days}
    assert all(by_date[day].burden is None for day in UNLOGGED)
    assert all(day not in report.burden and day not in report.sleep for day in UNLOGGED)
    assert by_date[dt.date(2024, 2, 1)].burden == 25.0
    assert by_date[SPIKE[0]].burden == 75.0
    assert by_date[dt.date(2024, 2, 28)].stable is True
    assert by_date[SPIKE[-1]].stable is False
    assert report.wellbeing[SPIKE[0]] == 3 and report.sleep[FIRST] == 7.5


def test_the_spike_after_the_cut_is_a_wave_and_the_cut_response_measures_it(
    tapering: DiaryService,
) -> None:
    report = tapering.stability(end=LAST)
    [wave] = report.waves
    assert (wave.start, wave.end, wave.depth) == (SPIKE[0], SPIKE[-1], pytest.approx(50.0))
    [response] = report.cut_responses
    assert (response.date, response.kind) == (CUT, "cut")
    assert (response.from_mg, response.to_mg) == (pytest.approx(20.0), pytest.approx(15.0))
    assert response.before_mean == pytest.approx(25.0)
    assert (response.peak, response.peak_delay_days) == (pytest.approx(75.0), 5)
    assert response.days_to_baseline == 14 + 7  # the first week with no spike day in it
    assert report.aligned[CUT][14] == (0, 25.0)  # -14 days first
    assert report.aligned[CUT][14 + 5] == (5, 75.0)


def test_the_dose_series_and_symptom_trends_come_along(tapering: DiaryService) -> None:
    report = tapering.stability(CUT, dt.date(2024, 3, 31))
    assert report.dz_series[0].date == CUT
    assert report.dz_series[0].total_mg == pytest.approx(15.0)
    assert len(report.dz_series) == 31
    assert [t.name for t in report.trends] == ["Anxiety or nervousness", "Insomnia"]
    anxiety = report.trends[0]
    assert anxiety.previous_mean == pytest.approx(1.0)
    assert anxiety.mean == pytest.approx((21 * 1 + 10 * 3) / 31)
    assert anxiety.worst == 3


def test_a_period_after_the_diary_still_reads_history_before_it(tapering: DiaryService) -> None:
    report = tapering.stability(dt.date(2024, 4, 29), LAST)
    assert [d.stable for d in report.days] == [True, True]  # fed by the weeks before
    assert report.cut_responses == []  # the cut is before the period


def test_the_default_period_runs_to_today(tapering: DiaryService) -> None:
    report = tapering.stability()
    today = dt.date.today()
    assert report.start == FIRST and report.end == today
    assert len(report.days) == (today - FIRST).days + 1
    assert report.current is not None and report.current.date == today
    assert report.current.stable is None  # nothing logged lately: not enough data


def test_the_same_report_after_reopening_the_file(
    tapering: DiaryService, reopen: Callable[[], DiaryService]
) -> None:
    before = tapering.stability(end=LAST)
    after = reopen().stability(end=LAST)
    assert after.days == before.days
    assert after.cut_responses == before.cut_responses
    assert after.waves == before.waves


def test_an_empty_diary_has_an_empty_but_valid_report(service: DiaryService) -> None:
    report = service.stability()
    assert len(report.days) == 1 and report.days[0].burden is None
    assert report.waves == report.windows == report.cut_responses == []
    assert report.stable_share() is None


def test_a_period_ending_before_it_starts_is_refused(tapering: DiaryService) -> None:
    with pytest.raises(ValidationError, match="before it starts"):
        tapering.stability(LAST, FIRST)
