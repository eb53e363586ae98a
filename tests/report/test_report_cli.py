"""``taper-diary report`` end to end: the real command in a subprocess, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from diary.bootstrap import open_diary
from diary.domain.models import ReportNames
from tests.report.conftest import FLAGGED, PASSPHRASE, PRIVATE, TODAY, day, pdf_info, pdf_text


def report(diary: Path, tmp_path: Path, *args: str, passphrase: str = PASSPHRASE):  # type: ignore[no-untyped-def]
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "LANG": "en_GB.UTF-8"}
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)  # the command chooses offscreen by itself
    return subprocess.run(
        [sys.executable, "-m", "diary", "--diary", str(diary), "report", *args],
        input=passphrase + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_the_command_writes_the_summary_without_a_window(known_diary: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    done = report(
        known_diary,
        tmp_path,
        "--from",
        day(59).isoformat(),
        "--to",
        TODAY.isoformat(),
        "--out",
        str(out),
        "--name",
        "Sam Patient",
        "--daily-log",
        "--paper",
        "letter",
    )
    assert done.returncode == 0, done.stderr
    assert "Wrote the appointment summary" in done.stdout and str(out) in done.stdout
    assert pdf_info(out)["Page size"] == "612 x 792 pts (letter)"
    text = pdf_text(out)
    assert "Sam Patient" in text and FLAGGED in text and "Daily log" in text
    assert PRIVATE not in text
    service = open_diary(known_diary, PASSPHRASE)
    assert service.report_names() == ReportNames()  # printed, not kept
    service.close()


def test_paper_defaults_from_the_locale_and_all_notes_can_be_shared(
    known_diary: Path, tmp_path: Path
) -> None:
    out = tmp_path / "summary.pdf"
    done = report(
        known_diary,
        tmp_path,
        "--from",
        day(59).isoformat(),
        "--to",
        TODAY.isoformat(),
        "--out",
        str(out),
        "--include-notes",
        "all",
    )
    assert done.returncode == 0, done.stderr
    assert pdf_info(out)["Page size"] == "595 x 842 pts (A4)"  # en_GB
    assert PRIVATE in pdf_text(out)


def assert_one_line_error(done: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert words.lower() in lines[0].lower(), lines[0]


def test_bad_input_gets_one_plain_sentence_and_the_right_exit_code(
    known_diary: Path, tmp_path: Path
) -> None:
    out = tmp_path / "summary.pdf"
    first, last = day(59).isoformat(), TODAY.isoformat()
    backwards = report(known_diary, tmp_path, "--from", last, "--to", first, "--out", str(out))
    assert_one_line_error(backwards, 2, "before it starts")
    not_a_date = report(
        known_diary, tmp_path, "--from", "2025-13-01", "--to", last, "--out", str(out)
    )
    assert_one_line_error(not_a_date, 2, "is not a date")
    missing = report(known_diary, tmp_path, "--from", first, "--to", last)
    assert_one_line_error(missing, 2, "--out")
    wrong = report(
        known_diary, tmp_path, "--from", first, "--to", last, "--out", str(out), passphrase="not it"
    )
    assert wrong.returncode == 3, wrong.stderr
    nowhere = tmp_path / "no such folder" / "summary.pdf"
    unwritable = report(known_diary, tmp_path, "--from", first, "--to", last, "--out", str(nowhere))
    assert_one_line_error(unwritable, 1, "nothing was saved")
    assert not out.exists() and not nowhere.parent.exists()


def test_an_empty_period_is_a_page_saying_so(known_diary: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    done = report(
        known_diary,
        tmp_path,
        "--from",
        day(500).isoformat(),
        "--to",
        day(400).isoformat(),
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert "There are no entries in the diary" in pdf_text(out)


def test_other_commands_do_not_load_qt() -> None:
    check = "import sys, diary.cli; print('PySide6' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
