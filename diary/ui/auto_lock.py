"""Lock the diary by itself after a few minutes without input.

``IdleTimer`` watches every keyboard, mouse, wheel and touch event the application receives
(an application-wide event filter) and restarts its timer on each; when the timer runs out
it emits ``expired``. It only watches while armed, i.e. while a diary is open.

The delay lives in QSettings under ``IDLE_MINUTES_KEY`` (a number of minutes, 0 for never).
That is a preference, not health data, so unencrypted storage is fine.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication

IDLE_MINUTES_KEY = "security/auto_lock_minutes"
DEFAULT_IDLE_MINUTES = 5.0
MAX_IDLE_MINUTES = 24 * 60.0

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.HoverMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
        QEvent.Type.InputMethod,
    }
)


def idle_timeout_ms(settings: QSettings) -> int | None:
    """The idle delay from the settings in milliseconds; None when auto-lock is turned off.

    A missing or unreadable value means the default, so a damaged settings file can never
    switch auto-lock off by accident.
    """
    raw = settings.value(IDLE_MINUTES_KEY, DEFAULT_IDLE_MINUTES)
    try:
        minutes = float(str(raw))
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    if minutes != minutes or minutes < 0:  # NaN or negative
        minutes = DEFAULT_IDLE_MINUTES
    if minutes == 0:
        return None
    return round(min(minutes, MAX_IDLE_MINUTES) * 60_000)


class IdleTimer(QObject):
    """Counts idle time while armed (a diary is open). Armed with auto-lock off ("never"), it
    waits without counting, so choosing a delay later starts the count at once."""

    expired = Signal()

    def __init__(self, timeout_ms: int | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expire)
        self._timeout_ms = timeout_ms
        self._armed = False
        self._watching = False  # the event filter is installed

    @property
    def timeout_ms(self) -> int | None:
        return self._timeout_ms

    @property
    def armed(self) -> bool:
        return self._armed

    @property
    def counting(self) -> bool:
        return self._timer.isActive()

    def arm(self) -> None:
        """Start counting; any input starts the count again."""
        self._armed = True
        self._watch(self._timeout_ms is not None)

    def disarm(self) -> None:
        self._armed = False
        self._watch(False)

    def set_timeout_ms(self, timeout_ms: int | None) -> None:
        """Use a new delay (None: never lock by itself), counting afresh from now if armed."""
        self._timeout_ms = timeout_ms
        self._watch(False)
        if self._armed:
            self.arm()

    def _watch(self, on: bool) -> None:
        app = QApplication.instance()
        if on and not self._watching and app is not None:
            app.installEventFilter(self)
        elif not on and self._watching and app is not None:
            app.removeEventFilter(self)
        self._watching = on and app is not None
        if on and self._timeout_ms is not None:
            self._timer.start(self._timeout_ms)
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in INPUT_EVENTS and self._timeout_ms is not None:
            self._timer.start(self._timeout_ms)
        return False  # only watching: every event goes on to its widget

    def _expire(self) -> None:
        self.disarm()
        self.expired.emit()
