"""``taper-diary rekey``: new keys for the diary and every backup, through the real command."""

from __future__ import annotations

import re

from diary.storage.diary_file import DiaryFile
from tests.cli.conftest import PASSPHRASE, Diary, Run, assert_fails

LINE = PASSPHRASE + "\n"
NEW_PASSPHRASE = "a passphrase nobody has seen"
RECOVERY_KEY = re.compile(r"^ {4}(\S.*)$", re.MULTILINE)


def printed_key(out: str) -> str:
    found = RECOVERY_KEY.findall(out)
    assert len(found) == 1, out
    return str(found[0])


def add_checkins(run_cli: Run, diary: Diary) -> None:
    for day in ("2025-03-01", "2025-03-02"):
        result = run_cli(diary.path, "checkin", "--date", day, "--wellbeing", "5", stdin=LINE)
        assert result.code == 0, result.err


def test_rekey_keeping_the_passphrase_prints_a_new_recovery_key(diary: Diary, run_cli: Run) -> None:
    add_checkins(run_cli, diary)
    result = run_cli(diary.path, "rekey", stdin=LINE + "\n")
    assert result.code == 0, result.err
    new_key = printed_key(result.out)
    assert "passphrase, unchanged" in result.out and new_key != diary.recovery_key

    old = run_cli(diary.path, "recover", stdin=f"{diary.recovery_key}\nx\nx\n")
    assert_fails(old, 3)
    assert run_cli(diary.path, "verify", stdin=LINE).code == 0  # every backup still opens
    recovered = run_cli(
        diary.path, "recover", stdin=f"{new_key}\n{NEW_PASSPHRASE}\n{NEW_PASSPHRASE}\n"
    )
    assert recovered.code == 0, recovered.err


def test_rekey_with_a_new_passphrase_retires_the_old_one(diary: Diary, run_cli: Run) -> None:
    add_checkins(run_cli, diary)
    stdin = f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n{NEW_PASSPHRASE}\n"
    result = run_cli(diary.path, "rekey", stdin=stdin)
    assert result.code == 0, result.err
    assert "old passphrase open nothing" in result.out
    assert_fails(run_cli(diary.path, "verify", stdin=LINE), 3)
    verified = run_cli(diary.path, "verify", stdin=NEW_PASSPHRASE + "\n")
    assert verified.code == 0, verified.err
    assert any(line.split() == ["plans", "0"] for line in verified.out.splitlines())


def test_rekey_with_nothing_after_the_passphrase_keeps_it(diary: Diary, run_cli: Run) -> None:
    result = run_cli(diary.path, "rekey", stdin=LINE)
    assert result.code == 0, result.err
    assert run_cli(diary.path, "verify", stdin=LINE).code == 0


def test_rekey_with_differing_passphrases_changes_nothing(diary: Diary, run_cli: Run) -> None:
    generation = DiaryFile.info(diary.path).generation
    stdin = f"{PASSPHRASE}\n{NEW_PASSPHRASE}\nsomething else\n"
    assert_fails(run_cli(diary.path, "rekey", stdin=stdin), 2, "differ")
    assert_fails(run_cli(diary.path, "rekey", stdin="wrong passphrase\n"), 3)
    assert DiaryFile.info(diary.path).generation == generation
    recovered = run_cli(
        diary.path, "recover", stdin=f"{diary.recovery_key}\n{NEW_PASSPHRASE}\n{NEW_PASSPHRASE}\n"
    )
    assert recovered.code == 0, recovered.err


def test_rekey_is_in_the_help(run_cli: Run) -> None:
    result = run_cli(None, "--help")
    assert result.code == 0 and "rekey" in result.out
    detail = run_cli(None, "rekey", "--help")
    assert "new recovery key" in detail.out and "empty line" in detail.out
