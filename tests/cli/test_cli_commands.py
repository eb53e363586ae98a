"""Every command end to end: what it prints, what it saves, and its exit code on bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from diary import bootstrap
from diary.domain.models import Form
from tests.cli.conftest import PASSPHRASE, Diary, Run, assert_fails

LINE = PASSPHRASE + "\n"


def counts(path: Path) -> dict[str, int]:
    service = bootstrap.open_diary(path, passphrase=PASSPHRASE)
    try:
        return service.counts()
    finally:
        service.close()


def add_diazepam(run_cli: Run, diary: Diary) -> None:
    result = run_cli(
        diary.path,
        "med",
        "add",
        "Diazepam 2 mg",
        "--drug",
        "diazepam",
        "--strength-mg",
        "2",
        stdin=LINE,
    )
    assert result.code == 0, result.err


def test_init_shows_the_recovery_key_once_and_it_unlocks_with_recover(
    tmp_path: Path, run_cli: Run
) -> None:
    path = tmp_path / "new.tpd"
    created = run_cli(path, "init", stdin="first passphrase\nfirst passphrase\n")
    assert created.code == 0, created.err
    assert path.is_file()
    assert "not even us" in created.out and "by design" in created.out
    key = next(line.strip() for line in created.out.splitlines() if line.startswith("    "))
    assert len(key.replace("-", "").replace(" ", "")) >= 26  # 128 bits or more, grouped

    recovered = run_cli(path, "recover", stdin=f"{key}\nsecond passphrase\nsecond passphrase\n")
    assert recovered.code == 0, recovered.err
    assert run_cli(path, "verify", stdin="second passphrase\n").code == 0
    assert_fails(run_cli(path, "verify", stdin="first passphrase\n"), 3)


def test_init_refuses_an_existing_diary_and_leaves_it_alone(diary: Diary, run_cli: Run) -> None:
    before = diary.path.read_bytes()
    assert_fails(run_cli(diary.path, "init", stdin="x y z\nx y z\n"), 2, "already exists")
    assert diary.path.read_bytes() == before


@pytest.mark.parametrize(
    ("stdin", "words"),
    [
        ("one passphrase\nanother one\n", ("differ",)),
        ("   \n   \n", ("empty",)),
        ("only once\n", ("second time",)),
    ],
)
def test_init_with_bad_passphrases_creates_nothing(
    tmp_path: Path, run_cli: Run, stdin: str, words: tuple[str, ...]
) -> None:
    path = tmp_path / "new.tpd"
    assert_fails(run_cli(path, "init", stdin=stdin), 2, *words)
    assert not path.exists()


def test_medication_dose_checkin_and_hold_are_saved(diary: Diary, run_cli: Run) -> None:
    add_diazepam(run_cli, diary)
    dose = run_cli(
        diary.path,
        "dose",
        "add",
        "--med",
        "diazepam 2 mg",
        "--mg",
        "2",
        "--at",
        "2025-03-01T08:00+01:00",
        "--note",
        "with breakfast",
        stdin=LINE,
    )
    assert dose.code == 0, dose.err
    checkin = run_cli(
        diary.path,
        "checkin",
        "--date",
        "2025-03-01",
        "--symptom",
        "INSOMNIA=3",
        "--symptom",
        "tinnitus=0",
        "--wellbeing",
        "6",
        "--sleep-hours",
        "5.5",
        "--note",
        "Rough night",
        "--for-doctor",
        stdin=LINE,
    )
    assert checkin.code == 0, checkin.err
    assert (
        run_cli(
            diary.path, "hold", "start", "--date", "2025-03-02", "--reason", "Settling", stdin=LINE
        ).code
        == 0
    )
    assert run_cli(diary.path, "hold", "end", "--date", "2025-03-20", stdin=LINE).code == 0

    service = bootstrap.open_diary(diary.path, passphrase=PASSPHRASE)
    try:
        [taken] = service.doses_on(dt.date(2025, 3, 1))
        day = service.checkin(dt.date(2025, 3, 1))
        [hold] = service.holds()
    finally:
        service.close()
    assert (taken.medication, taken.mg, taken.note) == ("Diazepam 2 mg", 2.0, "with breakfast")
    assert taken.taken_at == dt.datetime(2025, 3, 1, 7, 0, tzinfo=dt.UTC)
    assert taken.taken_at.utcoffset() == dt.timedelta(hours=1)
    assert day is not None
    assert day.ratings == {"Insomnia": 3, "Tinnitus": 0}  # names matched case-insensitively
    assert (day.wellbeing, day.sleep_hours, day.note, day.for_doctor) == (
        6,
        5.5,
        "Rough night",
        True,
    )
    assert (hold.start, hold.end, hold.reason) == (
        dt.date(2025, 3, 2),
        dt.date(2025, 3, 20),
        "Settling",
    )


def test_a_time_without_offset_means_local_time(diary: Diary, run_cli: Run) -> None:
    add_diazepam(run_cli, diary)
    result = run_cli(
        diary.path,
        "dose",
        "add",
        "--med",
        "Diazepam 2 mg",
        "--mg",
        "1",
        "--at",
        "2025-01-15T22:30",
        stdin=LINE,
    )
    assert result.code == 0, result.err
    service = bootstrap.open_diary(diary.path, passphrase=PASSPHRASE)
    try:
        [taken] = service.doses_on(dt.date(2025, 1, 15))
    finally:
        service.close()
    assert taken.taken_at == dt.datetime(2025, 1, 15, 22, 30).astimezone()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("checkin", "--symptom", "insomnia=5"), ()),
        (("checkin", "--wellbeing", "11"), ()),
        (("checkin", "--symptom", "insomnai=2"), ("Insomnia",)),
        (("dose", "add", "--med", "Diazepam 2 mg", "--mg", "-1"), ()),
        (("dose", "add", "--med", "Diazepam 2 mg", "--mg", "0"), ()),
        (("dose", "add", "--med", "Diazepam 2 mg", "--mg", "5000"), ()),
        (("dose", "add", "--med", "Diazepan 2 mg", "--mg", "2"), ("Diazepam 2 mg",)),
        (("dose", "add", "--med", "Diazepam 2 mg", "--mg", "2", "--at", "2999-01-01T08:00"), ()),
        (("hold", "start", "--date", "2025-03-10"), ()),  # overlaps the hold made below
    ],
)
def test_invalid_input_is_refused_and_nothing_changes(
    diary: Diary, run_cli: Run, args: tuple[str, ...], words: tuple[str, ...]
) -> None:
    service = bootstrap.open_diary(diary.path, passphrase=PASSPHRASE)
    try:
        service.add_medication("Diazepam 2 mg", "diazepam", Form.TABLET, strength_mg=2.0)
        service.start_hold(dt.date(2025, 3, 1))
    finally:
        service.close()
    before = counts(diary.path)
    assert_fails(run_cli(diary.path, *args, stdin=LINE), 2, *words)
    assert counts(diary.path) == before


@pytest.mark.parametrize(
    "args",
    [
        ("checkin", "--date", "2025-13-01"),
        ("dose", "add", "--med", "Diazepam 2 mg", "--mg", "two"),
        ("dose", "add", "--med", "Diazepam 2 mg", "--mg", "2", "--at", "tomorrow morning"),
        ("checkin", "--symptom", "insomnia"),
        ("med", "add", "X", "--drug", "diazepam", "--form", "pill"),
        (
            "med",
            "add",
            "X",
            "--drug",
            "diazepam",
            "--strength-mg",
            "2",
            "--concentration-mg-ml",
            "1",
        ),
        ("export", "--format", "xml", "--out", "x"),
        ("frobnicate",),
        ("med",),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    diary: Diary, run_cli: Run, args: tuple[str, ...]
) -> None:
    assert_fails(run_cli(diary.path, *args, stdin=LINE), 2)


def test_hold_that_ends_before_it_starts_is_refused(diary: Diary, run_cli: Run) -> None:
    assert run_cli(diary.path, "hold", "start", "--date", "2025-03-10", stdin=LINE).code == 0
    assert_fails(run_cli(diary.path, "hold", "end", "--date", "2025-03-01", stdin=LINE), 2)
    assert counts(diary.path)["holds"] == 1


def test_no_diary_at_the_path(tmp_path: Path, run_cli: Run) -> None:
    assert_fails(run_cli(tmp_path / "absent.tpd", "verify", stdin=LINE), 2, "init")


def test_help_lists_every_command_and_the_order_of_secrets(run_cli: Run) -> None:
    result = run_cli(None, "--help")
    assert result.code == 0
    for command in (
        "init",
        "med",
        "dose",
        "checkin",
        "hold",
        "export",
        "import",
        "verify",
        "passwd",
        "recover",
        "backups",
        "demo",
    ):
        assert f"    {command}" in result.out
    assert "recovery key, new passphrase, new passphrase again" in result.out
