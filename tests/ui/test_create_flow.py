"""Creating a diary from the window, as a new user would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from diary import bootstrap
from diary.ui.screens.create_screen import BLANK_PASSPHRASE, MISMATCH, NO_WAY_BACK
from diary.ui.screens.recovery_key_screen import KEPT_IT, key_groups
from tests.ui.conftest import PASSPHRASE, WORKER_TIMEOUT_MS


def type_passphrases(qtbot, window, first: str, second: str) -> None:
    screen = window.create_screen
    qtbot.keyClicks(screen.passphrase, first)
    qtbot.keyClicks(screen.confirmation, second)


def create_and_wait_for_key(qtbot, window) -> str:
    screen = window.create_screen
    type_passphrases(qtbot, window, PASSPHRASE, PASSPHRASE)
    with qtbot.waitSignal(screen.created, timeout=WORKER_TIMEOUT_MS) as created:
        qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.recovery_key_screen)
    return created.args[1]


def test_a_missing_diary_opens_on_the_create_screen_with_the_warning(make_window, diary_path):
    window = make_window(diary_path)

    assert window.stack.currentWidget() is window.create_screen
    texts = [label.text() for label in window.create_screen.findChildren(QLabel)]
    assert NO_WAY_BACK in texts


def test_creating_shows_the_recovery_key_once_and_the_diary_opens_with_both_secrets(
    qtbot, make_window, diary_path: Path
):
    window = make_window(diary_path)
    recovery_key = create_and_wait_for_key(qtbot, window)
    screen = window.recovery_key_screen

    shown = screen.key_label.text()
    assert shown.split() == key_groups(recovery_key)
    assert not screen.continue_button.isEnabled()

    screen.kept_box.setChecked(True)
    qtbot.keyClicks(screen.last_group, key_groups(recovery_key)[-1].lower())
    assert screen.continue_button.isEnabled()
    qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)

    assert window.stack.currentWidget() is window.pages
    assert window.current_page() is window.today_page  # a new diary starts on Today
    assert window.history_page.model.rowCount() == 0
    assert screen.key_label.text() == ""  # the key is not kept on screen afterwards
    window.lock()

    bootstrap.open_diary(diary_path, passphrase=PASSPHRASE).close()
    bootstrap.open_diary(diary_path, recovery_key=recovery_key).close()


def test_continue_needs_the_tick_and_the_right_last_group(qtbot, make_window, diary_path):
    window = make_window(diary_path)
    recovery_key = create_and_wait_for_key(qtbot, window)
    screen = window.recovery_key_screen

    qtbot.keyClicks(screen.last_group, key_groups(recovery_key)[-1])
    assert not screen.continue_button.isEnabled()  # not ticked yet
    screen.kept_box.setChecked(True)
    assert screen.kept_box.text() == KEPT_IT
    assert screen.continue_button.isEnabled()

    screen.last_group.clear()
    qtbot.keyClicks(screen.last_group, "0000" if key_groups(recovery_key)[-1] != "0000" else "1111")
    assert not screen.continue_button.isEnabled()
    qtbot.keyClick(screen.last_group, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.recovery_key_screen
    assert "not the last group" in screen.check_message.text()


def test_copy_and_print_hand_over_the_key(qtbot, make_window, diary_path, dialogs):
    window = make_window(diary_path)
    recovery_key = create_and_wait_for_key(qtbot, window)
    screen = window.recovery_key_screen

    qtbot.mouseClick(screen.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == recovery_key
    QGuiApplication.clipboard().clear()

    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    assert len(dialogs.printed) == 1
    assert all(group in dialogs.printed[0] for group in key_groups(recovery_key))
    assert screen.copy_note.text() == "Sent to the printer."

    dialogs.accept_print = False
    screen.copy_note.clear_message()
    qtbot.mouseClick(screen.print_button, Qt.MouseButton.LeftButton)
    assert screen.copy_note.text() == ""  # cancelled: no claim that it was printed


def test_mismatched_confirmation_is_refused_and_creates_nothing(qtbot, make_window, diary_path):
    window = make_window(diary_path)
    screen = window.create_screen
    type_passphrases(qtbot, window, PASSPHRASE, PASSPHRASE + "x")

    assert screen.match.text() == MISMATCH  # shown while typing
    qtbot.keyClick(screen.confirmation, Qt.Key.Key_Return)

    assert screen.match.text() == MISMATCH
    assert screen.match.isVisible()
    assert window.stack.currentWidget() is window.create_screen
    assert not screen.busy.isVisible()
    assert not diary_path.exists()


def test_matching_confirmation_is_acknowledged_while_typing(qtbot, make_window, diary_path):
    window = make_window(diary_path)
    screen = window.create_screen
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    qtbot.keyClicks(screen.confirmation, PASSPHRASE[:5])
    assert screen.match.text() == ""  # a prefix is still being typed: no complaint yet
    qtbot.keyClicks(screen.confirmation, PASSPHRASE[5:])
    assert screen.match.text() == "The two passphrases match."


def test_empty_or_blank_passphrase_is_refused_and_creates_nothing(qtbot, make_window, diary_path):
    window = make_window(diary_path)
    screen = window.create_screen

    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    assert screen.strength.text() == BLANK_PASSPHRASE

    type_passphrases(qtbot, window, "    ", "    ")
    assert "only spaces" in screen.strength.text()
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    assert screen.strength.text() == BLANK_PASSPHRASE
    assert window.stack.currentWidget() is window.create_screen
    assert not diary_path.exists()


def test_strength_hint_follows_what_is_typed(qtbot, make_window, diary_path):
    window = make_window(diary_path)
    screen = window.create_screen
    qtbot.keyClicks(screen.passphrase, "tulip")
    assert "weak" in screen.strength.text()
    qtbot.keyClicks(screen.passphrase, " river")
    assert "fair" in screen.strength.text()
    qtbot.keyClicks(screen.passphrase, " lantern quietly")
    assert "strong" in screen.strength.text()
    assert screen.strength.tone == "fine"


def test_an_error_while_creating_is_shown_beside_the_form(qtbot, make_window, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the diary's folder should be")
    window = make_window(blocked / "diary.tpd")
    screen = window.create_screen
    type_passphrases(qtbot, window, PASSPHRASE, PASSPHRASE)
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: screen.problem.text() != "", timeout=WORKER_TIMEOUT_MS)
    assert "Traceback" not in screen.problem.text()
    assert screen.create_button.isEnabled()
    assert window.stack.currentWidget() is window.create_screen


def test_a_small_window_scrolls_the_form_instead_of_cutting_it_off(qtbot, make_window, diary_path):
    window = make_window(diary_path)
    window.resize(520, 300)
    qtbot.waitUntil(lambda: window.height() <= 300)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    screen = window.create_screen
    button = screen.create_button
    assert button.visibleRegion().isEmpty()  # below the fold at first
    screen.show_text.setFocus()
    qtbot.keyClick(screen.show_text, Qt.Key.Key_Tab)
    assert button.hasFocus()
    qtbot.waitUntil(lambda: not button.visibleRegion().isEmpty())
