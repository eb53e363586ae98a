"""What the window adds around the Settings and Charts pages and the dose reminders: the
auto-lock delay chosen in Settings takes effect at once, a new recovery key on show is never
locked away, a day clicked on a chart opens in Today, and a dose reminder opens Today with
that one dose ready to confirm."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from diary import bootstrap
from diary.domain.models import DoseKind, RegimenDose, ReminderSettings
from diary.storage.keys import KdfParams
from diary.ui.diary_location import DiaryLocation
from diary.ui.main_window import MainWindow
from diary.ui.reminders import DoseReminders
from diary.ui.screens.recovery_key_screen import key_groups
from tests.ui.conftest import PASSPHRASE, RecordingDialogs
from tests.ui.test_reminders import RunningClock
from tests.ui.test_settings_security import shown_key
from tests.ui.test_unlock import unlock_with, wait_for_days

TODAY = dt.date.today()
SHORT_IDLE_MS = 200
SHORT_WAIT = dt.timedelta(milliseconds=100)


def hosted_window(qtbot, dialogs, settings: QSettings, path: Path, **options) -> MainWindow:
    window = MainWindow(DiaryLocation(path, KdfParams.MINIMUM), dialogs, settings, **options)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    unlock_with(qtbot, window, PASSPHRASE)
    wait_for_days(qtbot, window)
    return window


def is_locked(window: MainWindow) -> bool:
    return window.service is None and window.stack.currentWidget() is window.unlock_screen


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


# ---- Settings: auto-lock and the recovery key --------------------------------------------


def test_an_auto_lock_delay_chosen_in_settings_counts_at_once(
    qtbot, dialogs, window_settings, sample_diary
):
    window = hosted_window(qtbot, dialogs, window_settings, sample_diary.path)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    security = window.settings_page.security

    security.auto_lock.setValue(0)  # never
    assert window.idle_timer.timeout_ms is None and not window.idle_timer.counting
    qtbot.wait(SHORT_IDLE_MS)
    assert not is_locked(window)

    window.settings_page.auto_lock_changed.emit(SHORT_IDLE_MS)  # as a choice of minutes does
    assert window.idle_timer.counting
    qtbot.waitUntil(lambda: is_locked(window), timeout=5_000)


@pytest.fixture
def key_on_show(qtbot, dialogs, window_settings, sample_diary) -> MainWindow:
    """The window on Settings > Security with a new recovery key showing, idle lock short."""
    window = hosted_window(
        qtbot, dialogs, window_settings, sample_diary.path, idle_lock_ms=SHORT_IDLE_MS
    )
    settings = window.settings_page
    window.show_page(settings)
    settings.show_section(settings.security)
    click(qtbot, settings.security.new_key_button)  # RecordingDialogs answers yes
    assert settings.security.key_screen.isVisible()
    return window


def confirm_key_kept(qtbot, window: MainWindow) -> str:
    screen = window.settings_page.security.key_screen
    key = shown_key(window.settings_page)
    screen.kept_box.setChecked(True)
    qtbot.keyClicks(screen.last_group, key_groups(key)[-1])
    click(qtbot, screen.continue_button)
    return key


def test_a_new_recovery_key_on_show_is_not_locked_away_by_idleness(
    qtbot, key_on_show: MainWindow, sample_diary
):
    window = key_on_show
    qtbot.wait(SHORT_IDLE_MS * 4)
    assert not is_locked(window)
    assert window.settings_page.security.key_screen.key_label.text() != ""

    new_key = confirm_key_kept(qtbot, window)
    assert not is_locked(window)  # kept: the idle count starts afresh
    qtbot.waitUntil(lambda: is_locked(window), timeout=5_000)
    service = bootstrap.open_diary(sample_diary.path, recovery_key=new_key)
    service.close()


def test_a_screen_lock_while_a_key_is_on_show_locks_once_it_is_kept(qtbot, key_on_show: MainWindow):
    window = key_on_show
    window.idle_timer.set_timeout_ms(60_000)  # only the screen lock is at work here
    window.auto_lock("the screen was locked")  # what the session watcher calls
    assert not is_locked(window)

    confirm_key_kept(qtbot, window)
    qtbot.waitUntil(lambda: is_locked(window), timeout=2_000)
    assert window.settings_page.security.key_screen.key_label.text() == ""


def test_ctrl_l_locks_at_once_even_with_a_key_on_show(qtbot, key_on_show: MainWindow):
    window = key_on_show
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert is_locked(window)
    assert window.settings_page.security.key_screen.key_label.text() == ""
    assert not window.idle_timer.counting


# ---- Charts -------------------------------------------------------------------------------


def test_a_day_clicked_on_a_chart_opens_in_today(qtbot, dialogs, window_settings, sample_diary):
    window = hosted_window(qtbot, dialogs, window_settings, sample_diary.path)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.charts_page
    assert not window.charts_page.data.is_empty  # the sample diary is drawn

    window.charts_page.open_day.emit(dt.date(2024, 5, 2))  # what a click on that day sends

    assert window.current_page() is window.today_page
    assert window.today_page.day == dt.date(2024, 5, 2)
    assert window.today_page.for_doctor.isChecked()


# ---- dose reminders -----------------------------------------------------------------------


@pytest.fixture
def on_regimen(sample_diary) -> Path:
    """The sample diary with lorazepam at 08:00 and 14:00 and reminders on."""
    service = bootstrap.open_diary(sample_diary.path, passphrase=PASSPHRASE)
    try:
        with service.batch("set up"):
            service.add_medication("Ativan", "lorazepam", strength_mg=1)
            regimen = [
                RegimenDose("lorazepam", 1, dt.time(8)),
                RegimenDose("lorazepam", 1, dt.time(14)),
            ]
            service.set_regimen(regimen, TODAY - dt.timedelta(days=10))
            service.set_reminder_settings(ReminderSettings(enabled=True))
    finally:
        service.close()
    return sample_diary.path


def reminding_window(
    qtbot, dialogs: RecordingDialogs, settings: QSettings, path: Path
) -> tuple[MainWindow, RunningClock]:
    """Unlocked at 13:00 (unlocking takes its time); then the clock nears the 14:00 dose."""
    clock = RunningClock(dt.datetime.combine(TODAY, dt.time(13)))
    reminders = DoseReminders(now=clock, max_wait=SHORT_WAIT)
    window = hosted_window(qtbot, dialogs, settings, path, reminders=reminders, tray=False)
    clock.set(dt.datetime.combine(TODAY, dt.time(13, 59, 59, 700_000)))
    return window, clock


def test_a_reminder_opens_today_with_that_dose_ready_to_confirm(
    qtbot, dialogs, window_settings, on_regimen
):
    window, _clock = reminding_window(qtbot, dialogs, window_settings, on_regimen)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # elsewhere
    notice = window.reminder_notice
    qtbot.waitUntil(notice.isVisible, timeout=3_000)
    assert notice.message.text() == "A dose time: 14:00"  # no drug, no amount

    click(qtbot, notice.open_button)

    today = window.today_page
    assert window.current_page() is today and today.day == TODAY
    button = today.due_take_button
    assert button is not None and button.hasFocus()
    assert button.accessibleName() == "Record the 14:00 dose as taken as planned"
    assert today.take_button.isEnabled()  # the whole day's button stays
    qtbot.keyClick(button, Qt.Key.Key_Space)

    doses = window.service.doses_on(TODAY)
    assert [(d.planned_time, d.kind) for d in doses] == [(dt.time(14), DoseKind.AS_PLANNED)]
    assert window.undo_action.text() == "&Undo take the 14:00 dose"
    assert today.due_take_button is None  # recorded: nothing is set apart any more
    assert today.take_button.isEnabled()  # 08:00 is still waiting
    assert not notice.isVisible()


def test_a_reminder_clicked_while_locked_opens_the_dose_after_unlocking(
    qtbot, dialogs, window_settings, on_regimen
):
    window, _clock = reminding_window(qtbot, dialogs, window_settings, on_regimen)
    window.lock()
    notice = window.reminder_notice
    qtbot.waitUntil(notice.isVisible, timeout=3_000)
    assert notice.message.text() == "A dose time: 14:00"

    click(qtbot, notice.open_button)
    assert is_locked(window)  # the notice does not open the diary
    unlock_with(qtbot, window, PASSPHRASE)
    wait_for_days(qtbot, window)

    today = window.today_page
    assert window.current_page() is today
    assert today.due_take_button is not None and today.due_take_button.hasFocus()


def test_closing_the_window_stops_the_reminders(qtbot, dialogs, window_settings, on_regimen):
    window, _clock = reminding_window(qtbot, dialogs, window_settings, on_regimen)
    assert window.reminders.enabled
    window.close()
    assert not window.reminders.enabled and window.reminders.wake_in_ms is None


def test_a_small_window_scrolls_a_page_and_a_large_one_fits_it(
    qtbot, dialogs, window_settings, sample_diary
):
    window = hosted_window(qtbot, dialogs, window_settings, sample_diary.path)
    window.show_page(window.charts_page)
    scroller = window.pages.currentWidget()
    need = window.charts_page.minimumSizeHint()

    window.resize(need.width() // 2, need.height() // 2)
    qtbot.waitUntil(lambda: scroller.verticalScrollBar().isVisible())
    assert window.charts_page.height() >= need.height()  # scrolled, never squashed
    assert window.charts_page.width() >= need.width()

    window.resize(1400, 900)
    qtbot.waitUntil(lambda: not scroller.verticalScrollBar().isVisible())
    assert window.charts_page.size() == scroller.viewport().size()
