"""``taper-diary stability`` end to end in subprocesses: the JSON contract, the summary in
words, and exit codes for bad dates."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from diary import bootstrap
from diary.domain.models import ChangeKind, RegimenDose
from tests.cli.conftest import PASSPHRASE, Diary, Run, assert_fails

LINE = PASSPHRASE + "\n"
FIRST = dt.date(2024, 1, 1)
CUT = dt.date(2024, 3, 1)
LAST = dt.date(2024, 4, 30)
UNLOGGED = dt.date(2024, 2, 10)
SPIKE = [CUT + dt.timedelta(days=n) for n in range(5, 15)]
ADVICE = re.compile(r"\b(should|must|need to|ought|failure|failed|relapse|missed)\b", re.I)


@pytest.fixture
def with_a_cut(diary: Diary) -> Diary:
    """Four months of daily ratings around a cut on 1 March, with a spike 5-14 days after."""
    service = bootstrap.open_diary(diary.path, passphrase=PASSPHRASE)
    try:
        with service.batch("set up"):
            service.set_regimen([RegimenDose("diazepam", 10, dt.time(8))], FIRST)
            service.set_regimen([RegimenDose("diazepam", 9, dt.time(8))], CUT, ChangeKind.CUT)
            day = FIRST
            while day <= LAST:
                if day != UNLOGGED:
                    severity = 3 if day in SPIKE else 1
                    service.record_checkin(day, {"anxiety": severity, "insomnia": severity})
                day += dt.timedelta(days=1)
    finally:
        service.close()
    return diary


def test_json_has_exactly_the_documented_keys(run_cli: Run, with_a_cut: Diary) -> None:
    result = run_cli(
        with_a_cut.path,
        "stability",
        "--from",
        "2024-02-01",
        "--to",
        "2024-04-30",
        "--json",
        stdin=LINE,
    )
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert set(report) == {"days", "waves", "windows", "cut_responses"}
    assert len(report["days"]) == 29 + 31 + 30
    assert all(set(day) == {"date", "burden", "rolling", "stable"} for day in report["days"])
    by_date = {day["date"]: day for day in report["days"]}
    assert by_date["2024-02-10"]["burden"] is None  # not logged: null, never 0
    assert by_date["2024-02-09"] == {
        "date": "2024-02-09",
        "burden": 25.0,
        "rolling": 25.0,
        "stable": True,
    }
    assert report["waves"] == [
        {
            "start": "2024-03-06",
            "end": "2024-03-15",
            "depth": 50.0,
            "peak": 75.0,
            "peak_date": "2024-03-06",
        }
    ]
    assert report["windows"] == []
    assert report["cut_responses"] == [
        {
            "date": "2024-03-01",
            "kind": "cut",
            "from_mg": 10.0,
            "to_mg": 9.0,
            "before_mean": 25.0,
            "after_mean": round((5 * 25 + 9 * 75) / 14, 2),
            "peak": 75.0,
            "peak_delay_days": 5,
            "days_to_baseline": 21,
        }
    ]


def test_a_cut_not_over_yet_shows_null_figures(run_cli: Run, with_a_cut: Diary) -> None:
    result = run_cli(with_a_cut.path, "stability", "--to", "2024-03-08", "--json", stdin=LINE)
    assert result.code == 0, result.err
    [response] = json.loads(result.out)["cut_responses"]
    assert response["after_mean"] is None and response["days_to_baseline"] is None
    assert (response["peak"], response["peak_delay_days"]) == (75.0, 5)  # so far


def test_the_summary_describes_without_advising(run_cli: Run, with_a_cut: Diary) -> None:
    during = run_cli(with_a_cut.path, "stability", "--to", "2024-03-10", stdin=LINE)
    assert during.code == 0, during.err
    assert "Your rolling symptom burden is above your usual range" in during.out
    after = run_cli(with_a_cut.path, "stability", "--to", "2024-04-30", stdin=LINE)
    assert after.code == 0, after.err
    out = after.out
    assert "Your rolling symptom burden is within your usual range" in out
    assert re.search(r"2024-03-06\s+2024-03-15\s+10\s+50 points\s+75% on 2024-03-06", out)
    assert re.search(r"2024-03-01\s+cut\s+10 -> 9 mg\s+25%\s+57%\s+75% on day 5\s+day 21", out)
    assert "not a diagnosis" in out and "Self-reported" in out
    assert not ADVICE.search(out), ADVICE.search(out)


def test_bad_dates_exit_with_2(run_cli: Run, with_a_cut: Diary) -> None:
    assert_fails(
        run_cli(with_a_cut.path, "stability", "--from", "2024-02-30", stdin=LINE),
        2,
        "not a date",
    )
    assert_fails(
        run_cli(
            with_a_cut.path, "stability", "--from", "2024-04-01", "--to", "2024-03-01", stdin=LINE
        ),
        2,
        "before it starts",
    )
