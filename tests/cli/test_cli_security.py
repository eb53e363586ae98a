"""Secrets, exit codes 3/4/5/1, passphrase change, and backups through the real CLI."""

from __future__ import annotations

import os
from pathlib import Path

from diary import bootstrap
from diary.cli import crash_message
from tests.cli.conftest import PASSPHRASE, Diary, Run, assert_fails

LINE = PASSPHRASE + "\n"


def test_verify_prints_counts_and_generation(diary: Diary, run_cli: Run) -> None:
    assert (
        run_cli(diary.path, "checkin", "--date", "2025-03-01", "--wellbeing", "5", stdin=LINE).code
        == 0
    )
    result = run_cli(diary.path, "verify", stdin=LINE)
    assert result.code == 0, result.err
    service = bootstrap.open_diary(diary.path, passphrase=PASSPHRASE)
    try:
        generation = service.generation
    finally:
        service.close()
    assert f"generation: {generation}" in result.out
    assert any(line.split() == ["checkins", "1"] for line in result.out.splitlines())


def test_wrong_passphrase_exits_3(diary: Diary, run_cli: Run) -> None:
    assert_fails(run_cli(diary.path, "verify", stdin="not the passphrase\n"), 3)


def test_wrong_or_mistyped_recovery_key_exits_3(diary: Diary, run_cli: Run) -> None:
    key = diary.recovery_key
    last = key[-1]
    typo = key[:-1] + ("A" if last != "A" else "B")
    assert_fails(run_cli(diary.path, "recover", stdin=f"{typo}\nnew one\nnew one\n"), 3)
    assert_fails(run_cli(diary.path, "recover", stdin="not a key at all\nnew\nnew\n"), 3)
    assert run_cli(diary.path, "verify", stdin=LINE).code == 0  # nothing changed


def test_missing_secret_on_stdin_is_a_usage_error(diary: Diary, run_cli: Run) -> None:
    assert_fails(run_cli(diary.path, "verify", stdin=""), 2, "standard input")


def test_damaged_file_exits_4(diary: Diary, run_cli: Run) -> None:
    data = diary.path.read_bytes()
    diary.path.write_bytes(data[: len(data) // 3])
    assert_fails(run_cli(diary.path, "verify", stdin=LINE), 4)


def test_tampered_file_exits_4(diary: Diary, run_cli: Run) -> None:
    data = bytearray(diary.path.read_bytes())
    data[-1] ^= 0x01
    diary.path.write_bytes(bytes(data))
    assert_fails(run_cli(diary.path, "verify", stdin=LINE), 4)


def test_diary_open_elsewhere_exits_5(diary: Diary, run_cli: Run) -> None:
    service = bootstrap.open_diary(diary.path, passphrase=PASSPHRASE)
    try:
        assert_fails(run_cli(diary.path, "checkin", "--wellbeing", "5", stdin=LINE), 5)
    finally:
        service.close()
    assert run_cli(diary.path, "checkin", "--wellbeing", "5", stdin=LINE).code == 0


def test_a_file_that_cannot_be_written_exits_1(diary: Diary, run_cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "no such folder" / "export.json"
    assert_fails(
        run_cli(diary.path, "export", "--format", "json", "--out", str(out), stdin=LINE),
        1,
        "could not write",
    )


def test_passwd_changes_the_passphrase(diary: Diary, run_cli: Run) -> None:
    result = run_cli(diary.path, "passwd", stdin=f"{PASSPHRASE}\nnew words here\nnew words here\n")
    assert result.code == 0, result.err
    assert_fails(run_cli(diary.path, "verify", stdin=LINE), 3)
    assert run_cli(diary.path, "verify", stdin="new words here\n").code == 0


def test_passwd_with_wrong_old_or_differing_new_changes_nothing(diary: Diary, run_cli: Run) -> None:
    assert_fails(run_cli(diary.path, "passwd", stdin="wrong\nnew pass\nnew pass\n"), 3)
    assert_fails(run_cli(diary.path, "passwd", stdin=f"{PASSPHRASE}\nnew pass\nnew pas\n"), 2)
    assert run_cli(diary.path, "verify", stdin=LINE).code == 0


def test_backups_list_and_restore_an_earlier_generation(diary: Diary, run_cli: Run) -> None:
    for wellbeing in ("3", "4", "5"):
        day = f"2025-03-0{wellbeing}"
        assert (
            run_cli(diary.path, "checkin", "--date", day, "--wellbeing", wellbeing, stdin=LINE).code
            == 0
        )
    listed = run_cli(diary.path, "backups", "list")
    assert listed.code == 0, listed.err
    rows = [line.split() for line in listed.out.splitlines()[1:]]
    by_generation = {int(row[-1]): row[0] for row in rows}
    assert len(by_generation) >= 2
    oldest = by_generation[min(by_generation)]

    restored = run_cli(diary.path, "backups", "restore", oldest, stdin=LINE)
    assert restored.code == 0, restored.err
    service = bootstrap.open_diary(diary.path, passphrase=PASSPHRASE)
    try:
        assert service.counts()["checkins"] < 3
    finally:
        service.close()


def test_restoring_an_unknown_backup_exits_2(diary: Diary, run_cli: Run) -> None:
    assert_fails(run_cli(diary.path, "backups", "restore", "no-such-backup", stdin=LINE), 2)


def test_unexpected_errors_are_logged_without_their_message(tmp_path: Path) -> None:
    diary_text = "Note: felt awful after the cut"
    try:
        raise RuntimeError(diary_text)
    except RuntimeError as exc:
        message = crash_message(exc, log_dir=tmp_path / "logs")
    log = tmp_path / "logs" / "taper-diary-cli.log"
    assert str(log) in message and "\n" not in message
    text = log.read_text()
    assert "RuntimeError" in text and "test_unexpected_errors_are_logged" in text
    assert "felt awful" not in text
    assert os.stat(log).st_mode & 0o777 == 0o600


def test_verify_reports_a_damaged_backup(diary: Diary, run_cli: Run) -> None:
    for day in ("2025-03-01", "2025-03-02"):
        assert (
            run_cli(diary.path, "checkin", "--date", day, "--wellbeing", "5", stdin=LINE).code == 0
        )
    backup = sorted((diary.path.parent / "backups").iterdir())[0]
    data = bytearray(backup.read_bytes())
    data[-100] ^= 0x01
    backup.write_bytes(bytes(data))

    result = run_cli(diary.path, "verify", stdin=LINE)

    assert result.code == 4, result.err
    assert "Traceback" not in result.err
    backup_id = backup.name.removeprefix(diary.path.stem + ".").removesuffix(".tpd")
    assert f"Backup {backup_id}:" in result.err
    assert "failed the integrity check" in result.err
