"""Status figures, warnings, the daily series and the timeline, from a real diary."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from diary.domain.models import ChangeKind, Form, RegimenDose
from diary.domain.taper.plans import PlanMethod, PlanSpec
from diary.domain.taper.warnings import JOINT_GUIDELINE, SHORT_TAPER, Level, Thresholds
from diary.services.diary_service import DiaryService

TODAY = dt.date.today()
DAYS = dt.timedelta(days=1)
ADVICE = re.compile(r"\b(should|must|need to|ought|failure|failed|relapse|missed)\b", re.I)


@pytest.fixture
def crossing(service: DiaryService) -> DiaryService:
    """Clonazepam 0.5 mg twice a day for two years, then the night dose crossed to diazepam."""
    service.add_medication("Klonopin", "clonazepam", Form.TABLET, strength_mg=0.5, split=2)
    service.add_medication("Valium 2", "diazepam", Form.TABLET, strength_mg=2, split=2)
    clonazepam = [RegimenDose("clonazepam", 0.5, dt.time(8))]
    service.set_regimen(
        [*clonazepam, RegimenDose("clonazepam", 0.5, dt.time(22))], TODAY - 730 * DAYS
    )
    service.set_regimen(
        [*clonazepam, RegimenDose("diazepam", 10, dt.time(22))],
        TODAY - 60 * DAYS,
        ChangeKind.CROSSOVER,
    )
    return service


def test_status_names_the_table_and_sums_every_drug(crossing: DiaryService) -> None:
    status = crossing.status()
    assert status.table == "ashton" and "Ashton" in status.table_title
    assert status.dz_by_drug == pytest.approx({"clonazepam": 10, "diazepam": 10})
    assert status.dz_total == pytest.approx(20)
    assert status.figures.start_mg == pytest.approx(20)
    assert status.figures.taper_start == TODAY - 60 * DAYS
    assert status.warnings == () and status.plan is None
    crossing.set_equivalence_table("va")
    assert crossing.status().dz_total == pytest.approx(15)  # clonazepam counts half by VA


def test_a_recent_cut_above_the_threshold_warns_with_its_source(crossing: DiaryService) -> None:
    crossing.record_cut("Klonopin", 0.25, date=TODAY - 3 * DAYS)  # 20 -> 15: 25%
    assert [w.level for w in crossing.status().warnings] == [Level.NOTICE]
    crossing.record_cut("Valium 2", 9, date=TODAY - DAYS)  # 20 -> 14 within 14 days: 30%
    notice, warning = crossing.status().warnings
    assert warning.level is Level.CAUTION and warning.source == JOINT_GUIDELINE
    assert "30%" in warning.message and "prescriber" in warning.message
    assert ADVICE.search(warning.message) is None
    crossing.set_warning_thresholds(Thresholds(hard_percent=35, soft_percent=26))
    assert [w.level for w in crossing.status().warnings] == [Level.NOTICE]


def test_a_plan_that_ends_a_long_term_taper_in_six_weeks_warns(crossing: DiaryService) -> None:
    crossing.create_plan(PlanSpec(PlanMethod.STEP, 7, TODAY + DAYS, step_mg=4), "diazepam", 7)
    status = crossing.status()
    assert status.plan is not None and status.figures.projected_end == status.plan.projected_end
    sources = {w.source for w in status.warnings}
    assert SHORT_TAPER in sources
    assert all(ADVICE.search(w.message) is None for w in status.warnings)


def test_daily_series_and_timeline_include_holds(crossing: DiaryService) -> None:
    crossing.start_hold(TODAY - 10 * DAYS, "settling")
    crossing.end_hold(TODAY - 2 * DAYS)
    series = crossing.daily_dz_series(TODAY - 61 * DAYS, TODAY)
    assert len(series) == 62 and series[0].total_mg == pytest.approx(20)
    assert series[-1].by_drug == pytest.approx({"clonazepam": 10, "diazepam": 10})
    kinds = [(e.date, e.kind) for e in crossing.regimen_timeline()]
    assert kinds == [
        (TODAY - 730 * DAYS, "start"),
        (TODAY - 60 * DAYS, "crossover"),
        (TODAY - 10 * DAYS, "hold_start"),
        (TODAY - 2 * DAYS, "hold_end"),
    ]
