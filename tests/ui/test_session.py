"""What happens once the diary is unlocked: lock, undo and redo, the status line."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from diary.ui.formatting import NOT_LOGGED
from diary.ui.models.history_model import COLUMNS
from tests.ui.conftest import PASSPHRASE, WORKER_TIMEOUT_MS
from tests.ui.test_unlock import unlock_with, wait_for_days

NEW_DAY = dt.date(2024, 5, 10)
WELLBEING = next(i for i, column in enumerate(COLUMNS) if column.title == "Wellbeing")


def unlocked_window(qtbot, make_window, sample_diary):
    window = make_window(sample_diary.path)
    unlock_with(qtbot, window, PASSPHRASE)
    wait_for_days(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_lock_drops_the_service_clears_the_list_and_asks_again(qtbot, make_window, sample_diary):
    window = unlocked_window(qtbot, make_window, sample_diary)
    service = window.service
    assert window.history_page.model.rowCount() == 3

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert window.history_page.model.rowCount() == 0
    assert window.service is None
    assert window.stack.currentWidget() is window.unlock_screen
    assert window.windowTitle() == "Taper Diary (locked)"
    assert window.status_line.text() == ""
    assert window.status_line.toolTip() == ""
    assert not window.lock_action.isEnabled()
    assert not window.undo_action.isEnabled()
    assert service is not None
    # The released lock lets the diary open again, here and elsewhere.
    unlock_with(qtbot, window, PASSPHRASE)
    wait_for_days(qtbot, window)
    assert window.history_page.model.rowCount() == 3


def test_undo_action_follows_the_service(qtbot, make_window, sample_diary):
    window = unlocked_window(qtbot, make_window, sample_diary)
    service = window.service
    assert service is not None
    assert not window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo"
    generation = service.generation

    window.mutate(lambda s: s.record_checkin(NEW_DAY, wellbeing=4))

    label = service.undo_label()
    assert label
    assert window.undo_action.text() == f"&Undo {label}"
    assert window.undo_action.isEnabled()
    assert window.history_page.model.rowCount() == 4  # the page refreshed itself
    assert window.history_page.days.index(0, WELLBEING).data() == "4/10"
    assert window.status_line.text().startswith("Saved at ")
    assert f"generation {service.generation}" in window.status_line.toolTip()
    assert service.generation > generation

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert window.history_page.model.rowCount() == 3
    assert window.redo_action.isEnabled()
    assert window.redo_action.text() == f"&Redo {service.redo_label()}"

    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Z, shift_ctrl)
    assert window.history_page.model.rowCount() == 4


def test_a_refused_change_is_explained_and_changes_nothing(
    qtbot, make_window, sample_diary, dialogs
):
    window = unlocked_window(qtbot, make_window, sample_diary)

    result = window.mutate(lambda s: s.record_checkin(NEW_DAY, wellbeing=11))

    assert result is None
    assert len(dialogs.errors) == 1
    title, message = dialogs.errors[0]
    assert "Traceback" not in message and message.endswith(".")
    assert window.history_page.model.rowCount() == 3
    assert all(window.history_page.days.index(row, WELLBEING).data() != "11/10" for row in range(3))
    assert NOT_LOGGED in {window.history_page.days.index(0, WELLBEING).data()}


def test_quit_shortcut_closes_the_window_and_releases_the_diary(qtbot, make_window, sample_diary):
    from diary import bootstrap

    window = unlocked_window(qtbot, make_window, sample_diary)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WORKER_TIMEOUT_MS)
    assert window.service is None
    bootstrap.open_diary(sample_diary.path, passphrase=PASSPHRASE).close()
