"""Dose reminders against a real encrypted diary, with a clock the test sets.

The clock runs at real speed from the time a test chooses, so the real QTimer fires at the
dose times; ``jump`` moves it like a computer waking from sleep. The offscreen platform has no
system tray: the tray is tested through its icon's own signals, and the in-window fallback
by clicking it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon

from diary import bootstrap
from diary.domain.changes import Changes
from diary.domain.models import DoseKind, RegimenDose, ReminderSettings
from diary.services.diary_service import DiaryService
from diary.storage.keys import KdfParams
from diary.ui.pages.today_page import TodayPage
from diary.ui.reminders import (
    LATE_LIMIT,
    MAX_WAIT,
    DoseReminders,
    Reminder,
    next_wake,
    reminder_text,
    reminder_to_show,
)
from diary.ui.tray import IN_TRAY, IN_WINDOW, ReminderNotice, ReminderTray, where_reminders_appear
from tests.ui.conftest import PASSPHRASE

DAY = dt.date(2024, 5, 10)
NEXT_DAY = DAY + dt.timedelta(days=1)
DOSE_TIMES = (dt.time(8), dt.time(14), dt.time(22))
SHORT_WAIT = dt.timedelta(milliseconds=100)  # the timer's cap, so a clock jump is seen at once
QUIET_MS = 600  # long enough for several wake-ups with SHORT_WAIT


class RunningClock:
    """Local wall-clock time from a chosen moment, running at real speed."""

    def __init__(self, at: dt.datetime) -> None:
        self.set(at)

    def __call__(self) -> dt.datetime:
        return self._start + dt.timedelta(seconds=time.monotonic() - self._started)

    def set(self, at: dt.datetime) -> None:
        self._start, self._started = at, time.monotonic()

    def jump(self, by: dt.timedelta) -> None:
        """What a resume from sleep looks like: the wall clock moves on at once."""
        self._start += by


def at(day: dt.date, hour: int, minute: int = 0, second: float = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute)) + dt.timedelta(seconds=second)


def lorazepam(*times: dt.time) -> list[RegimenDose]:
    return [RegimenDose("lorazepam", 1, t) for t in times]


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    """Lorazepam 1 mg at 08:00, 14:00 and 22:00, reminders on (details hidden)."""
    service, _ = bootstrap.create_diary(tmp_path / "diary.tpd", PASSPHRASE, kdf=KdfParams.MINIMUM)
    with service.batch("set up"):
        service.add_medication("Ativan", "lorazepam", strength_mg=1)
        service.set_regimen(lorazepam(*DOSE_TIMES), DAY - dt.timedelta(days=30))
        service.set_reminder_settings(ReminderSettings(enabled=True))
    yield service
    service.close()


@pytest.fixture
def clock() -> RunningClock:
    return RunningClock(at(DAY, 7))


@pytest.fixture
def start(
    qtbot, service: DiaryService, clock: RunningClock
) -> Iterator[Callable[[dt.datetime], DoseReminders]]:
    """Reminders started on the unlocked diary with the clock at a given moment."""
    made: list[DoseReminders] = []

    def make(moment: dt.datetime) -> DoseReminders:
        clock.set(moment)
        reminders = DoseReminders(now=clock, max_wait=SHORT_WAIT)
        made.append(reminders)
        reminders.start(service)
        return reminders

    yield make
    for reminders in made:
        reminders.stop()


def times_of(reminders: DoseReminders) -> list[dt.time]:
    return [r.time for r in reminders.planned]


# ---- when ---------------------------------------------------------------------------
def test_next_wake_is_the_next_dose_time_or_midnight_whichever_first() -> None:
    planned = [Reminder(DAY, t) for t in DOSE_TIMES]
    assert next_wake(planned, at(DAY, 13, 58)) == at(DAY, 14)
    assert next_wake(planned, at(DAY, 23, 58)) == at(NEXT_DAY, 0)  # midnight plans a new day
    assert next_wake([], at(DAY, 23, 58)) == at(NEXT_DAY, 0)
    assert next_wake(planned, at(DAY, 9)) == at(DAY, 9) + MAX_WAIT  # never sleeps longer


def test_the_plan_moves_to_the_new_day_at_midnight(qtbot, service: DiaryService, start) -> None:
    service.take_as_planned(DAY)
    reminders = start(at(DAY, 23, 59, 59.8))
    assert reminders.planned == []
    qtbot.waitUntil(lambda: bool(reminders.planned), timeout=3000)
    assert [(r.day, r.time) for r in reminders.planned] == [(NEXT_DAY, t) for t in DOSE_TIMES]
    assert reminders.next_reminder == reminders.planned[0]
    assert reminders.status_text().endswith("Next dose time: 08:00.")


def test_a_reminder_comes_at_the_dose_time_without_drug_or_amount(qtbot, start) -> None:
    reminders = start(at(DAY, 13, 59, 59.7))
    with qtbot.waitSignal(reminders.reminder_shown, timeout=3000) as shown:
        pass
    assert shown.args == ["A dose time: 14:00"]


def test_details_show_only_when_allowed(qtbot, service: DiaryService, start) -> None:
    service.set_reminder_settings(ReminderSettings(enabled=True, show_details=True))
    reminders = start(at(DAY, 13, 59, 59.7))
    with qtbot.waitSignal(reminders.reminder_shown, timeout=3000) as shown:
        pass
    assert shown.args == ["14:00: lorazepam 1 mg"]


def test_reminder_text_lists_every_dose_due_at_that_time() -> None:
    reminder = Reminder(
        DAY,
        dt.time(8),
        (RegimenDose("clonazepam", 0.25, dt.time(8)), RegimenDose("diazepam", 2, dt.time(8))),
    )
    assert reminder_text(reminder, show_details=True) == "08:00: clonazepam 0.25 mg, diazepam 2 mg"
    assert reminder_text(reminder, show_details=False) == "A dose time: 08:00"


def test_reminders_are_off_by_default(qtbot, tmp_path: Path, clock: RunningClock) -> None:
    service, _ = bootstrap.create_diary(tmp_path / "new.tpd", PASSPHRASE, kdf=KdfParams.MINIMUM)
    try:
        service.add_medication("Ativan", "lorazepam", strength_mg=1)
        service.set_regimen(lorazepam(dt.time(8)), DAY)
        clock.set(at(DAY, 7, 59, 59.8))
        reminders = DoseReminders(now=clock, max_wait=SHORT_WAIT)
        tray = ReminderTray(reminders, ReminderNotice(), in_tray=True)
        reminders.start(service)
        assert not reminders.enabled
        assert reminders.wake_in_ms is None
        assert tray.icon is not None and not tray.icon.isVisible()
        with qtbot.assertNotEmitted(reminders.reminder_shown, wait=QUIET_MS):
            pass
    finally:
        service.close()


# ---- recorded doses and changes -----------------------------------------------------
def test_no_reminder_for_a_dose_already_taken_or_recorded_as_not_taken(
    qtbot, service: DiaryService, start
) -> None:
    service.add_dose(
        "Ativan", 1, at(DAY, 7, 50).astimezone(), kind=DoseKind.ADJUSTED, planned_time=dt.time(8)
    )
    service.record_not_taken(DAY, dt.time(14), "lorazepam")
    reminders = start(at(DAY, 13, 59, 59.7))
    assert times_of(reminders) == [dt.time(22)]
    with qtbot.assertNotEmitted(reminders.reminder_shown, wait=QUIET_MS):
        pass


def test_recording_a_dose_or_changing_the_regimen_replans(service: DiaryService, start) -> None:
    reminders = start(at(DAY, 12))
    assert reminders.next_reminder == Reminder(DAY, dt.time(14), tuple(lorazepam(dt.time(14))))

    reminders.on_changed(service.take_as_planned(DAY))
    assert reminders.planned == []
    assert reminders.status_text().endswith("No more today.")

    reminders.on_changed(service.undo())
    assert times_of(reminders) == list(DOSE_TIMES)

    reminders.on_changed(service.set_regimen(lorazepam(dt.time(13), dt.time(21)), DAY))
    assert times_of(reminders) == [dt.time(13), dt.time(21)]


def test_a_change_that_cannot_move_a_reminder_is_ignored(service: DiaryService, start) -> None:
    reminders = start(at(DAY, 12))
    service.take_as_planned(DAY)
    reminders.on_changed(Changes("rate insomnia", checkins=True))
    assert times_of(reminders) == list(DOSE_TIMES)  # not read again: nothing it shows changed


def test_turning_reminders_off_stops_them_and_hides_the_icon(
    qtbot, service: DiaryService, start
) -> None:
    reminders = start(at(DAY, 13, 59, 59.5))
    tray = ReminderTray(reminders, ReminderNotice(), in_tray=True)
    assert tray.icon is not None and tray.icon.isVisible()

    reminders.on_changed(service.set_reminder_settings(ReminderSettings(enabled=False)))
    assert not reminders.enabled and reminders.planned == [] and reminders.wake_in_ms is None
    assert not tray.icon.isVisible()
    with qtbot.assertNotEmitted(reminders.reminder_shown, wait=QUIET_MS):
        pass


# ---- clock jumps --------------------------------------------------------------------
def test_after_a_sleep_only_the_latest_missed_dose_time_is_shown(
    qtbot, service: DiaryService, start, clock: RunningClock
) -> None:
    service.set_regimen(lorazepam(dt.time(13, 30), dt.time(14), dt.time(14, 15)), DAY)
    reminders = start(at(DAY, 13))
    shown: list[str] = []
    reminders.reminder_shown.connect(shown.append)

    clock.jump(dt.timedelta(hours=1, minutes=20))  # woke at 14:20
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    qtbot.wait(QUIET_MS)
    assert shown == ["A dose time: 14:15"]


def test_after_a_long_sleep_a_stale_dose_time_is_not_shown(
    qtbot, service: DiaryService, start, clock: RunningClock
) -> None:
    reminders = start(at(DAY, 13))
    clock.jump(dt.timedelta(hours=1) + LATE_LIMIT + dt.timedelta(minutes=1))
    with qtbot.assertNotEmitted(reminders.reminder_shown, wait=QUIET_MS):
        pass
    assert reminders.next_reminder is not None and reminders.next_reminder.time == dt.time(22)


def test_a_clock_set_back_does_not_show_a_reminder_twice() -> None:
    planned = [Reminder(DAY, dt.time(14))]
    assert reminder_to_show(planned, at(DAY, 13, 50), at(DAY, 14, 1)) == planned[0]
    shown = {planned[0].key}
    assert reminder_to_show(planned, at(DAY, 13, 0), at(DAY, 14, 2), shown) is None


def test_times_before_reminders_were_started_are_not_caught_up(qtbot, start) -> None:
    reminders = start(at(DAY, 14, 10))  # opened ten minutes after a dose time
    with qtbot.assertNotEmitted(reminders.reminder_shown, wait=QUIET_MS):
        pass


# ---- locking ------------------------------------------------------------------------
def test_while_locked_only_bare_times_are_kept_and_shown(
    qtbot, service: DiaryService, start
) -> None:
    service.set_reminder_settings(ReminderSettings(enabled=True, show_details=True))
    reminders = start(at(DAY, 13, 59, 59.5))
    reminders.pause()
    assert reminders.locked
    assert reminders.planned == [Reminder(DAY, t) for t in DOSE_TIMES]  # 08:00 not recorded
    assert "locked" in reminders.status_text()
    with qtbot.waitSignal(reminders.reminder_shown, timeout=3000) as shown:
        pass
    assert shown.args == ["A dose time: 14:00"]  # no drug, no amount: none is in memory


def test_at_midnight_while_locked_the_times_are_dropped(qtbot, start, clock: RunningClock) -> None:
    reminders = start(at(DAY, 23, 59, 59.7))
    reminders.pause()
    qtbot.waitUntil(lambda: reminders.wake_in_ms is None, timeout=3000)
    assert reminders.planned == []


def test_a_reminder_clicked_while_locked_opens_today_after_unlocking(
    qtbot, service: DiaryService, start
) -> None:
    reminders = start(at(DAY, 13, 59, 59.7))
    reminders.pause()
    qtbot.waitSignal(reminders.reminder_shown, timeout=3000).wait()
    opened: list[tuple[object, object]] = []
    reminders.dose_due.connect(lambda day, planned: opened.append((day, planned)))

    with qtbot.waitSignal(reminders.raise_requested, timeout=1000):
        reminders.open_reminder()
    assert opened == []  # the window shows the unlock screen first

    reminders.start(service)
    assert opened == [(DAY, dt.time(14))]


# ---- clicking -----------------------------------------------------------------------
def test_clicking_the_notification_opens_that_dose(qtbot, start) -> None:
    reminders = start(at(DAY, 13, 59, 59.7))
    notice = ReminderNotice()
    qtbot.addWidget(notice)
    tray = ReminderTray(reminders, notice, in_tray=True, parent=notice)
    assert tray.icon is not None
    qtbot.waitSignal(reminders.reminder_shown, timeout=3000).wait()

    opened: list[tuple[object, object]] = []
    reminders.dose_due.connect(lambda day, planned: opened.append((day, planned)))
    with qtbot.waitSignal(reminders.raise_requested, timeout=1000):
        tray.icon.messageClicked.emit()
    assert opened == [(DAY, dt.time(14))]
    assert notice.isHidden()  # the notification went to the tray, not into the window

    with qtbot.waitSignal(reminders.dose_due, timeout=1000) as again:
        tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert again.args == [DAY, dt.time(14)]
    assert "Next dose time: 22:00." in tray.icon.toolTip()


def test_without_a_tray_the_notice_shows_in_the_window_and_opens_the_dose(
    qtbot, service: DiaryService, start
) -> None:
    reminders = start(at(DAY, 13, 59, 59.7))
    notice = ReminderNotice()
    qtbot.addWidget(notice)
    tray = ReminderTray(reminders, notice)  # the offscreen platform has no tray
    assert not tray.in_tray
    assert where_reminders_appear() == IN_WINDOW and where_reminders_appear(True) == IN_TRAY

    qtbot.waitUntil(notice.isVisible, timeout=3000)
    assert notice.message.text() == "A dose time: 14:00"
    with qtbot.waitSignal(reminders.dose_due, timeout=1000) as opened:
        qtbot.mouseClick(notice.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [DAY, dt.time(14)]
    assert not notice.isVisible()


def test_a_notice_goes_away_once_its_dose_is_recorded(qtbot, service: DiaryService, start) -> None:
    reminders = start(at(DAY, 13, 59, 59.7))
    notice = ReminderNotice()
    qtbot.addWidget(notice)
    tray = ReminderTray(reminders, notice, in_tray=False)
    assert not tray.in_tray
    qtbot.waitUntil(notice.isVisible, timeout=3000)

    reminders.on_changed(service.record_not_taken(DAY, dt.time(14), "lorazepam"))
    assert not notice.isVisible()
    with qtbot.assertNotEmitted(reminders.dose_due, wait=100):
        reminders.open_reminder()  # the window comes up, but there is no dose to open


def test_dose_due_opens_today_on_that_day_ready_to_confirm(
    qtbot, service: DiaryService, start
) -> None:
    """The wiring the window uses: Today's ``open_day`` and ``focus_first_field``."""
    today = TodayPage(
        lambda action: action(service),
        today=lambda: NEXT_DAY,
        now=lambda: at(NEXT_DAY, 9),
    )
    qtbot.addWidget(today)
    today.open_session(service)
    today.show()
    qtbot.waitExposed(today)
    today.activateWindow()
    qtbot.waitUntil(today.isActiveWindow)
    reminders = start(at(DAY, 13, 59, 59.7))
    reminders.dose_due.connect(lambda day, _time: today.open_day(day))
    reminders.dose_due.connect(lambda _day, _time: today.focus_first_field())
    qtbot.waitSignal(reminders.reminder_shown, timeout=3000).wait()

    reminders.open_reminder()
    assert today.day == DAY
    assert today.take_button.hasFocus() and today.take_button.text() == "Taken as planned"
