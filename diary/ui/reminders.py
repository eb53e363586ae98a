"""Dose reminders: a notice at each of today's regimen dose times not yet recorded.

Off unless the person turns them on (``ReminderSettings.enabled``, the Settings page). A
reminder names no drug and no amount ("A dose time: 14:00") unless ``show_details`` allows
it ("14:00: diazepam 2 mg"). A planned dose already recorded, as taken or as not taken,
gets no reminder. ``DoseReminders`` only decides *when* and *what*; ``diary.ui.tray`` shows
it (a tray notification, or a notice inside the window where there is no tray).

When. One single-shot QTimer is set to the next moment that matters: the next dose time
still due, midnight (to plan the new day), or ``MAX_WAIT`` from now, whichever comes first.
Qt timers count monotonic time, which stands still while the computer sleeps; the cap bounds
how late a wake-up can come after a resume or a change of the clock. Each wake-up looks at
the dose times passed since the one before and shows only the latest of them, and only if it
is at most ``LATE_LIMIT`` old: after a suspend the person gets one current reminder, never a
burst of stale ones. A reminder is shown once, even if the clock is set back.

While the diary is locked, reminders go on with the bare times only. Auto-lock comes after a
few idle minutes, so pausing at lock would silence nearly every reminder of the day. At lock
the regimen (drug names, amounts) is dropped with everything else from the diary; what stays
is the list of today's dose times still due, so a reminder while locked always reads "A dose
time: 14:00", whatever ``show_details`` says. Clicking it brings the window up on the unlock
screen, and Today opens on that dose's day right after unlocking. At midnight while locked
the list is dropped (the new day's times are inside the locked diary): reminders come back at
the next unlock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from diary.domain.changes import Changes
from diary.domain.models import Dose, RegimenChange, RegimenDose
from diary.services.diary_service import DiaryService
from diary.ui.formatting import format_mg

LATE_LIMIT = dt.timedelta(minutes=30)  # a dose time passed longer ago than this is not shown
MAX_WAIT = dt.timedelta(minutes=5)  # the longest the timer sleeps (see the module docstring)

Clock = Callable[[], dt.datetime]  # local wall-clock time, naive


@dataclass(frozen=True)
class Reminder:
    """A dose time of ``day`` with the planned doses at it that are not recorded yet.

    ``doses`` is empty for a bare reminder (the diary is locked): only the time is known."""

    day: dt.date
    time: dt.time
    doses: tuple[RegimenDose, ...] = ()

    @property
    def moment(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.time)

    @property
    def key(self) -> tuple[dt.date, dt.time]:
        return self.day, self.time

    def bare(self) -> Reminder:
        return Reminder(self.day, self.time)


def due_reminders(
    day: dt.date,
    regimen: RegimenChange | None,
    doses: Iterable[Dose],
    drug_of: Mapping[str, str],
) -> list[Reminder]:
    """One reminder per dose time of ``regimen`` with a planned dose not yet recorded.

    A planned dose counts as recorded when a dose of the same drug carries its planned time,
    whether taken as planned, adjusted or recorded as not taken (the Today page's rule).
    ``drug_of`` maps a medication name to its drug."""
    if regimen is None:
        return []
    recorded = {
        (dose.planned_time, drug_of.get(dose.medication, ""))
        for dose in doses
        if dose.planned_time is not None
    }
    waiting: dict[dt.time, list[RegimenDose]] = {}
    for planned in sorted(regimen.doses, key=lambda d: d.time):
        if (planned.time, planned.drug) not in recorded:
            waiting.setdefault(planned.time, []).append(planned)
    return [Reminder(day, time, tuple(planned)) for time, planned in waiting.items()]


def reminder_text(reminder: Reminder, show_details: bool) -> str:
    """ "A dose time: 14:00", or with details allowed "14:00: diazepam 2 mg"."""
    if show_details and reminder.doses:
        amounts = ", ".join(f"{dose.drug} {format_mg(dose.mg)}" for dose in reminder.doses)
        return f"{reminder.time:%H:%M}: {amounts}"
    return f"A dose time: {reminder.time:%H:%M}"


def reminder_to_show(
    planned: Iterable[Reminder],
    since: dt.datetime,
    now: dt.datetime,
    shown: Iterable[tuple[dt.date, dt.time]] = (),
) -> Reminder | None:
    """The latest reminder whose time came after ``since`` and by ``now``, if it is at most
    ``LATE_LIMIT`` old and was not shown before; the others that passed are let go."""
    already = set(shown)
    passed = [r for r in planned if since < r.moment <= now and r.key not in already]
    if not passed:
        return None
    latest = max(passed, key=lambda r: r.moment)
    return latest if now - latest.moment <= LATE_LIMIT else None


def next_due(planned: Iterable[Reminder], now: dt.datetime) -> Reminder | None:
    upcoming = [r for r in planned if r.moment > now]
    return min(upcoming, key=lambda r: r.moment) if upcoming else None


def next_wake(
    planned: Iterable[Reminder], now: dt.datetime, max_wait: dt.timedelta = MAX_WAIT
) -> dt.datetime:
    """When to look again: the next dose time, midnight or ``max_wait``, the earliest."""
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())
    due = next_due(planned, now)
    candidates = [now + max_wait, midnight] + ([due.moment] if due else [])
    return min(candidates)


def is_relevant(changes: Changes) -> bool:
    """Whether a change can move a reminder: the regimen, the doses, products or settings."""
    return changes.regimen or changes.doses or changes.medications or changes.settings


class DoseReminders(QObject):
    """Plans today's reminders from the open diary and says when one is due.

    Wiring: ``start(service)`` at every unlock, ``pause()`` at every lock, ``on_changed`` on
    the window's ``changed``, ``stop()`` when the app closes. Connect ``reminder_shown`` to a
    display (``diary.ui.tray.ReminderTray`` does), and a click on it to ``open_reminder``.
    """

    reminder_shown = Signal(str)  # the text of a reminder to show now
    raise_requested = Signal()  # a reminder or the tray icon was clicked: bring up the window
    dose_due = Signal(object, object)  # date, planned time: open Today there (while unlocked)
    state_changed = Signal()  # on/off, locked/unlocked or the next time changed

    def __init__(
        self,
        now: Clock = dt.datetime.now,
        max_wait: dt.timedelta = MAX_WAIT,
        parent: QObject | None = None,
    ) -> None:
        """``now``: the local wall clock; ``max_wait``: the longest the timer sleeps (tests
        shorten it to see a clock jump handled without waiting minutes)."""
        super().__init__(parent)
        self._now = now
        self._max_wait = max_wait
        self._service: DiaryService | None = None
        self._enabled = False
        self._show_details = False
        self._planned: list[Reminder] = []
        self._plan_day: dt.date | None = None
        self._since: dt.datetime | None = None  # dose times up to here were looked at
        self._shown: set[tuple[dt.date, dt.time]] = set()
        self._last_shown: Reminder | None = None
        self._open_after_unlock: Reminder | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._wake)

    # ---- what the window calls ------------------------------------------------------
    def start(self, service: DiaryService) -> None:
        """The diary is unlocked: plan today from it, and open a reminder clicked while locked."""
        self._service = service
        self._replan()
        self._look_and_schedule()
        pending, self._open_after_unlock = self._open_after_unlock, None
        if pending is not None:
            self.dose_due.emit(pending.day, pending.time)

    def pause(self) -> None:
        """The diary is locked: forget the regimen, keep today's due times (see the docstring)."""
        self._service = None
        self._show_details = False
        self._planned = [r.bare() for r in self._planned]
        if self._last_shown is not None:
            self._last_shown = self._last_shown.bare()
        self.state_changed.emit()

    def stop(self) -> None:
        """The app is closing: no more reminders, nothing kept."""
        self._service = None
        self._timer.stop()
        self._forget_plan()
        self._enabled = False
        self.state_changed.emit()

    def on_changed(self, changes: Changes) -> None:
        if self._service is None or not is_relevant(changes):
            return
        self._replan()
        self._look_and_schedule()

    def open_reminder(self) -> None:
        """A reminder or the tray icon was clicked: bring up the window, and open Today on the
        last reminder's dose if it is still not recorded (after unlocking, when locked)."""
        self.raise_requested.emit()
        target = self._pending_shown()
        if target is None:
            return
        if self._service is None:
            self._open_after_unlock = target
        else:
            self.dose_due.emit(target.day, target.time)

    # ---- what the display asks ------------------------------------------------------
    @property
    def enabled(self) -> bool:
        return self._enabled

    @property
    def locked(self) -> bool:
        return self._service is None

    @property
    def planned(self) -> list[Reminder]:
        return list(self._planned)

    @property
    def next_reminder(self) -> Reminder | None:
        return next_due(self._planned, self._now())

    @property
    def wake_in_ms(self) -> int | None:
        """How long the timer sleeps before looking again (None: not running)."""
        return self._timer.remainingTime() if self._timer.isActive() else None

    def status_text(self) -> str:
        """For the tray icon's tooltip: on or locked, and the next dose time (no details)."""
        if not self._enabled:
            return "Taper Diary: dose reminders are off."
        upcoming = self.next_reminder
        later = f"Next dose time: {upcoming.time:%H:%M}." if upcoming else "No more today."
        if self.locked:
            return f"Taper Diary is locked. Dose reminders go on, with times only. {later}"
        return f"Taper Diary: dose reminders are on. {later}"

    def has_pending_shown(self) -> bool:
        """Whether the last reminder shown is still due (its dose not recorded yet)."""
        return self._pending_shown() is not None

    def _pending_shown(self) -> Reminder | None:
        shown = self._last_shown
        if shown is None or shown.key not in {r.key for r in self._planned}:
            return None
        return shown

    # ---- planning -------------------------------------------------------------------
    def _replan(self) -> None:
        """Today's reminders from the diary (unlocked), or what is left of them (locked)."""
        today = self._now().date()
        if self._service is None:
            self._planned = [r for r in self._planned if r.day == today]
            self._plan_day = today
            return
        settings = self._service.reminder_settings()
        self._enabled = settings.enabled
        self._show_details = settings.show_details
        if not settings.enabled:
            self._forget_plan()
            return
        if self._since is None:
            self._since = self._now()  # not watching until now: no catching up on earlier times
        drug_of = {m.name: m.drug for m in self._service.medications(include_retired=True)}
        self._planned = due_reminders(
            today, self._service.regimen_on(today), self._service.doses_on(today), drug_of
        )
        self._plan_day = today
        self._shown = {key for key in self._shown if key[0] == today}

    def _forget_plan(self) -> None:
        self._planned = []
        self._plan_day = None
        self._since = None
        self._last_shown = None
        self._open_after_unlock = None

    def _wake(self) -> None:
        """The timer ran out. On a new day, plan it; a dose time of the day before that the
        timer could not catch (the computer slept through it) still counts as passed."""
        earlier: list[Reminder] = []
        if self._plan_day != self._now().date():
            earlier = self._planned
            self._replan()
        self._look(earlier)
        self._schedule()

    def _look_and_schedule(self) -> None:
        self._look()
        self._schedule()

    def _look(self, earlier: list[Reminder] | None = None) -> None:
        """Show the latest dose time passed since the last look, if it is still current."""
        if not self._enabled or self._since is None:
            return
        now = self._now()
        due = reminder_to_show([*(earlier or []), *self._planned], self._since, now, self._shown)
        self._since = now
        if due is None:
            return
        self._shown.add(due.key)
        self._last_shown = due
        self.reminder_shown.emit(reminder_text(due, self._show_details))

    def _schedule(self) -> None:
        """Set the timer to the next wake-up; with nothing left to watch (off, or locked with
        no time left today), stop watching, so a later start does not catch up on the gap."""
        if self._enabled and (self._planned or self._service is not None):
            now = self._now()
            wait = next_wake(self._planned, now, self._max_wait) - now
            self._timer.start(max(0, round(wait.total_seconds() * 1000)))  # replaces any earlier
        else:
            self._timer.stop()
            self._since = None
        self.state_changed.emit()
