"""The taper commands end to end in subprocesses: output, JSON keys, what is saved, and the
exit code and one-line message for each kind of bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from diary import bootstrap
from tests.cli.conftest import PASSPHRASE, Diary, Run, assert_fails

LINE = PASSPHRASE + "\n"
TODAY = dt.date.today()
CLONAZEPAM_TID = "clonazepam 0.5mg 08:00; clonazepam 0.5mg 14:00; clonazepam 0.5mg 22:00"
TEN_PERCENT = ["--method", "percent", "--percent", "10", "--interval-days", "14"]


def generation(path: Path) -> int:
    service = bootstrap.open_diary(path, passphrase=PASSPHRASE)
    try:
        return service.generation
    finally:
        service.close()


def test_calc_equivalent_needs_no_diary(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli(tmp_path / "none.tpd", "calc", "equivalent", "Lorazepam", "2", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {
        "drug": "lorazepam",
        "mg": 2.0,
        "table": "ashton",
        "diazepam_mg": 20.0,
    }
    va = run_cli(None, "calc", "equivalent", "lorazepam", "2", "--table", "va")
    assert "10 mg diazepam" in va.out and "VA/DoD" in va.out
    assert_fails(run_cli(None, "calc", "equivalent", "clonazepan", "1"), 2, 'mean "clonazepam"')


def test_a_range_in_the_table_needs_the_prescribers_value(run_cli: Run) -> None:
    assert_fails(run_cli(None, "calc", "equivalent", "bromazepam", "6"), 2, "5-6", "--factor")
    chosen = run_cli(None, "calc", "equivalent", "bromazepam", "6", "--factor", "6", "--json")
    assert chosen.code == 0, chosen.err
    assert json.loads(chosen.out)["diazepam_mg"] == 10.0


def test_calc_liquid_json_series_and_shake_note(run_cli: Run) -> None:
    base = ["calc", "liquid", "--tablet-mg", "10", "--tablets", "1", "--volume-ml", "10"]
    removed = json.loads(run_cli(None, *base, "--remove-ml", "2.5", "--json").out)
    assert removed == {"concentration_mg_per_ml": 1.0, "dose_mg": 7.5, "volume_ml": 7.5}
    target = json.loads(run_cli(None, *base, "--target-mg", "2.35", "--json").out)
    assert target == {"concentration_mg_per_ml": 1.0, "dose_mg": 2.4, "volume_ml": 2.4}
    shown = run_cli(None, *base, "--series", "--step-ml", "2")
    assert shown.code == 0, shown.err
    assert "shake it well before every dose" in shown.out
    assert "100.0%" in shown.out and "50.0%" in shown.out  # the last days are large cuts
    assert_fails(run_cli(None, *base, "--remove-ml", "11"), 2, "Cannot remove 11 mL")


def test_plan_preview_crossover_json(run_cli: Run) -> None:
    result = run_cli(
        None,
        "plan",
        "preview",
        "--regimen",
        CLONAZEPAM_TID,
        "--crossover-to",
        "diazepam",
        *TEN_PERCENT,
        "--final-step-mg",
        "1",
        "--start",
        "2025-01-06",
        "--tablets",
        "2,5",
        "--split",
        "half",
        "--json",
    )
    assert result.code == 0, result.err
    plan = json.loads(result.out)
    assert plan["table"] == "ashton"
    steps = plan["steps"]
    assert [s["start"] for s in steps[:4]] == [
        "2025-01-06",
        "2025-01-20",
        "2025-02-03",
        "2025-02-17",
    ]
    assert [s["diazepam_mg"] for s in steps[:3]] == [30, 30, 30]  # crossover keeps the total
    assert steps[0]["doses"][-1] == {**steps[0]["doses"][-1], "drug": "diazepam", "time": "22:00"}
    assert steps[-1]["diazepam_mg"] == 0 and steps[-1]["doses"] == []
    assert all({"drug", "mg", "time"} <= set(d) for s in steps for d in s["doses"])


def test_plan_preview_table_shows_liquid_volumes(run_cli: Run) -> None:
    result = run_cli(
        None,
        "plan",
        "preview",
        "--regimen",
        "diazepam 2mg 22:00",
        "--method",
        "step",
        "--step-mg",
        "0.5",
        "--interval-days",
        "7",
        "--liquid-mg-ml",
        "1",
    )
    assert result.code == 0, result.err
    assert "diazepam 1.5 mg (1.5 mL)" in result.out and "DZ-eq" in result.out
    assert "shake it well" in result.out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--regimen", "clonazepam 0.5 08:00", *TEN_PERCENT], 'part "clonazepam 0.5 08:00"'),
        (["--regimen", "clonazepan 0.5mg 08:00", *TEN_PERCENT], 'mean "clonazepam"'),
        (["--regimen", "diazepam 5mg 08:00", *TEN_PERCENT, "--final-step-mg", "1",
          "--crossover-to", "clobazam", "--table", "va"], "no value for clobazam"),
        (["--regimen", "diazepam 5mg 08:00", "--method", "percent", "--percent", "100",
          "--interval-days", "14", "--final-step-mg", "1"], "less than 100"),
        (["--regimen", "diazepam 5mg 08:00", "--method", "step", "--step-mg", "1",
          "--interval-days", "0"], "at least 1 day"),
        (["--regimen", "diazepam 5mg 08:00", "--method", "custom", "--steps", "6;0",
          "--interval-days", "14"], "only a reinstatement"),
        (["--regimen", "diazepam 5mg 08:00", "--method", "custom", "--steps", "4.5;0",
          "--interval-days", "14", "--tablets", "2"], "nearest daily amounts are 4 mg."),
    ],
)  # fmt: skip
def test_plan_preview_bad_input(run_cli: Run, args: list[str], words: str) -> None:
    assert_fails(run_cli(None, "plan", "preview", *args), 2, words)


def test_regimen_cut_reinstate_plan_and_status_on_a_diary(run_cli: Run, diary: Diary) -> None:
    def run(*args: str) -> str:
        result = run_cli(diary.path, *args, stdin=LINE)
        assert result.code == 0, result.err
        return result.out

    run("med", "add", "Klonopin", "--drug", "clonazepam", "--strength-mg", "0.5", "--split", "half")
    run("med", "add", "Valium", "--drug", "diazepam", "--strength-mg", "2", "--split", "half")
    start = (TODAY - dt.timedelta(days=400)).isoformat()
    run("regimen", "set", CLONAZEPAM_TID, "--date", start, "--reason", "long-term")
    shown = json.loads(run("regimen", "show", "--json"))
    assert shown["table"] == "ashton" and shown["diazepam_mg"] == 30
    assert [d["time"] for d in shown["doses"]] == ["08:00", "14:00", "22:00"]

    run("plan", "create", "--crossover-to", "diazepam", *TEN_PERCENT, "--final-step-mg", "2")
    assert "crossover" in run("plan", "show")
    run("plan", "apply-next", "--date", (TODAY - dt.timedelta(days=3)).isoformat())
    night = json.loads(run("regimen", "show", "--json"))["doses"][-1]
    assert (night["drug"], night["mg"], night["time"]) == ("diazepam", 10, "22:00")

    two_days_ago = (TODAY - dt.timedelta(days=2)).isoformat()
    before = generation(diary.path)
    assert_fails(
        run_cli(diary.path, "cut", "--med", "Klonopin", "--to-mg", "0.3", "--time", "08:00",
                stdin=LINE),
        2,
        "nearest amounts are 0.25 mg and 0.5 mg",
    )  # fmt: skip
    assert_fails(
        run_cli(diary.path, "cut", "--med", "Klonopin", "--to-mg", "1", "--time", "08:00",
                stdin=LINE),
        2,
        "only a reinstatement may",
    )  # fmt: skip
    assert generation(diary.path) == before
    run("cut", "--med", "Klonopin", "--to-mg", "0.25", "--time", "08:00", "--date", two_days_ago)
    run("reinstate", "--med", "Klonopin", "--to-mg", "0.5", "--time", "08:00",
        "--reason", "Too fast for me", "--prescriber-involved")  # fmt: skip

    status = json.loads(run("status", "--json"))
    assert status["table"] == "ashton"
    assert status["diazepam_mg"]["total"] == 30
    assert status["figures"]["reinstatements"] == 1 and status["figures"]["cuts"] == 1
    assert status["plan"]["next_step"]["kind"] == "crossover"
    text = run("status")
    assert "Ashton" in text and "Reinstatements" in text and "Self-reported" in text
    history = run("regimen", "history")
    assert "updose" in history and "Too fast for me" in history


def test_commands_on_a_diary_fail_cleanly(run_cli: Run, diary: Diary) -> None:
    assert_fails(run_cli(diary.path, "plan", "apply-next", stdin=LINE), 2, "no active plan")
    assert_fails(run_cli(diary.path, "plan", "show", stdin=LINE), 2, "no active plan")
    assert_fails(
        run_cli(diary.path, "regimen", "set", "diazepam 5mg 8am", stdin=LINE),
        2,
        '"diazepam 5mg 8am"',
    )
    assert_fails(
        run_cli(diary.path, "plan", "create", *TEN_PERCENT, "--final-step-mg", "1", stdin=LINE),
        2,
        "no regimen recorded",
    )
    assert_fails(
        run_cli(diary.path, "reinstate", "--med", "X", "--to-mg", "1", stdin=LINE), 2, "--reason"
    )


def test_status_on_a_ten_year_demo_diary(run_cli: Run, tmp_path: Path) -> None:
    demo = tmp_path / "demo.tpd"
    assert run_cli(None, "demo", "--out", str(demo), "--days", "3650").code == 0
    text = run_cli(demo, "status", stdin="demo\n")
    assert text.code == 0, text.err
    assert "Ashton" in text.out and "Holds" in text.out
    status = json.loads(run_cli(demo, "status", "--json", stdin="demo\n").out)
    figures = status["figures"]
    assert figures["start_mg"] == 30 and figures["reinstatements"] == 1 and figures["holds"] == 2
    assert 0 < status["diazepam_mg"]["total"] < 30
