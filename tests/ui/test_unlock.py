"""Unlocking an existing diary: passphrase, recovery key, and every way it can go wrong."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt

from diary import bootstrap
from diary.domain.errors import RecoveryKeyTypo, WrongPassphrase
from diary.ui.errors import BACKUPS_EXIST, OPEN_ELSEWHERE
from diary.ui.formatting import NOT_LOGGED
from tests.ui.conftest import PASSPHRASE, WORKER_TIMEOUT_MS


def unlock_with(qtbot, window, secret: str) -> None:
    screen = window.unlock_screen
    qtbot.keyClicks(screen.secret, secret)
    qtbot.keyClick(screen.secret, Qt.Key.Key_Return)


def wait_for_days(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.pages, timeout=WORKER_TIMEOUT_MS)


def wait_for_problem(qtbot, window) -> str:
    problem = window.unlock_screen.problem
    qtbot.waitUntil(lambda: problem.text() != "", timeout=WORKER_TIMEOUT_MS)
    return problem.text()


def expected_error(**secret: str) -> Exception:
    """The error the composition root raises for this secret, to compare with the screen."""
    with pytest.raises(Exception) as caught:
        bootstrap.open_diary(secret.pop("path"), **secret)  # type: ignore[arg-type]
    return caught.value


def test_right_passphrase_opens_today_and_lists_the_days_newest_first(
    qtbot, make_window, sample_diary
):
    window = make_window(sample_diary.path)
    assert window.stack.currentWidget() is window.unlock_screen

    unlock_with(qtbot, window, PASSPHRASE)
    wait_for_days(qtbot, window)

    assert window.current_page() is window.today_page
    today = window.today_page
    assert today.symptom_rows and today.symptom_rows[0].hasFocus()  # a check-in starts here
    history = window.history_page
    shown = [history.days.row_at(row).date for row in range(history.days.rowCount())]
    assert shown == sorted(sample_diary.days, reverse=True)
    assert window.unlock_screen.secret.text() == ""
    assert window.windowTitle() == "Taper Diary"
    assert window.status_line.text().startswith("Opened at ")
    assert "generation" in window.status_line.toolTip()


def test_unlogged_values_show_an_em_dash_never_zero(qtbot, make_window, sample_diary):
    window = make_window(sample_diary.path)
    unlock_with(qtbot, window, PASSPHRASE)
    wait_for_days(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)

    history = window.history_page
    days = history.days
    headers = [days.headerData(c, Qt.Orientation.Horizontal) for c in range(days.columnCount())]
    newest = {h: days.index(0, c).data() for c, h in enumerate(headers)}  # 2024-05-04: a note
    assert newest["Note"] == "Walked to the shop."
    for column in ("Doses", "Symptoms", "Wellbeing", "Sleep"):
        assert newest[column] == NOT_LOGGED
    oldest = {h: days.index(2, c).data() for c, h in enumerate(headers)}  # 2024-05-01
    assert oldest["Wellbeing"] == "6/10"
    assert oldest["Sleep"] == "7.5 h"
    assert oldest["Symptoms"] == NOT_LOGGED
    middle = {h: days.index(1, c).data() for c, h in enumerate(headers)}  # insomnia 3 of 4
    assert middle["Symptoms"] == "75%"
    assert "For doctor" in middle["Marks"]
    assert "For doctor" not in oldest["Marks"]
    assert history.table.isVisible()
    assert history.table.hasFocus() and history.table.selectionModel().isRowSelected(0)


def test_wrong_passphrase_says_so_clears_the_field_and_stays(qtbot, make_window, sample_diary):
    window = make_window(sample_diary.path)
    unlock_with(qtbot, window, "not my passphrase")

    shown = wait_for_problem(qtbot, window)

    error = expected_error(path=sample_diary.path, passphrase="not my passphrase")
    assert isinstance(error, WrongPassphrase)
    assert shown == error.message
    screen = window.unlock_screen
    assert screen.secret.text() == ""
    assert screen.secret.hasFocus()
    assert screen.unlock_button.isEnabled()
    assert window.stack.currentWidget() is screen
    assert window.service is None

    unlock_with(qtbot, window, PASSPHRASE)  # and a second try works
    wait_for_days(qtbot, window)


def test_recovery_key_unlocks_instead_of_the_passphrase(qtbot, make_window, sample_diary):
    window = make_window(sample_diary.path)
    screen = window.unlock_screen
    qtbot.mouseClick(screen.switch_button, Qt.MouseButton.LeftButton)
    assert screen.field_label.text() == "&Recovery key"
    assert screen.secret.accessibleName() == "Recovery key"

    unlock_with(qtbot, window, sample_diary.recovery_key.lower())
    wait_for_days(qtbot, window)
    assert window.history_page.model.rowCount() == len(sample_diary.days)


def test_a_typo_in_the_recovery_key_is_reported_as_a_typo(qtbot, make_window, sample_diary):
    key = sample_diary.recovery_key
    typo = key[:-1] + ("X" if key[-1] != "X" else "Y")
    window = make_window(sample_diary.path)
    screen = window.unlock_screen
    qtbot.mouseClick(screen.switch_button, Qt.MouseButton.LeftButton)

    unlock_with(qtbot, window, typo)
    shown = wait_for_problem(qtbot, window)

    error = expected_error(path=sample_diary.path, recovery_key=typo)
    assert isinstance(error, RecoveryKeyTypo)
    assert shown == error.message
    assert screen.secret.text() == typo  # kept, so the typo can be corrected


def test_empty_passphrase_is_not_sent(qtbot, make_window, sample_diary):
    window = make_window(sample_diary.path)
    qtbot.keyClick(window.unlock_screen.secret, Qt.Key.Key_Return)
    assert window.unlock_screen.problem.text() == "Please type your passphrase."
    assert not window.unlock_screen.busy.isVisible()


def test_a_diary_open_in_another_process_says_already_open(qtbot, make_window, sample_diary):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from pathlib import Path
                from diary import bootstrap
                path = Path({str(sample_diary.path)!r})
                service = bootstrap.open_diary(path, passphrase={PASSPHRASE!r})
                print("open", flush=True)
                sys.stdin.readline()
                service.close()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        window = make_window(sample_diary.path)
        unlock_with(qtbot, window, PASSPHRASE)
        assert wait_for_problem(qtbot, window) == OPEN_ELSEWHERE
        assert window.service is None
    finally:
        holder.communicate("\n", timeout=30)
    assert holder.returncode == 0


def test_a_damaged_file_says_so_and_that_backups_exist(qtbot, make_window, sample_diary):
    data = sample_diary.path.read_bytes()
    sample_diary.path.write_bytes(data[: len(data) // 2])
    window = make_window(sample_diary.path)

    unlock_with(qtbot, window, PASSPHRASE)

    shown = wait_for_problem(qtbot, window)
    assert shown.endswith(BACKUPS_EXIST)
    assert window.stack.currentWidget() is window.unlock_screen
