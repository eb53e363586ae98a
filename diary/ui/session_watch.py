"""Notice when the desktop session is locked or the computer is about to sleep (Linux).

Qt itself does not report a screen lock (``applicationStateChanged`` only says the app lost
focus), so on Linux we listen on D-Bus, with the QtDBus module PySide6-Essentials ships:

* session bus: ``ActiveChanged(true)`` of ``org.freedesktop.ScreenSaver`` (KDE, Xfce and
  others) and ``org.gnome.ScreenSaver`` (GNOME), on any object path;
* system bus: logind's ``PrepareForSleep(true)`` (suspend or hibernate), and ``Lock`` of
  our own login session (``loginctl lock-session``, which screen lockers follow).

Any sender may trigger these: the worst a rogue program on the bus can do is lock the
diary, which is safe. Where a bus is missing (Windows, macOS, containers) the watcher
stays silent and the idle timer and the Lock action remain.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import SLOT, QObject, Signal, Slot
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage, QDBusObjectPath

log = logging.getLogger(__name__)

SCREEN_SAVER_INTERFACES = ("org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver")
LOGIN_SERVICE = "org.freedesktop.login1"
LOGIN_PATH = "/org/freedesktop/login1"
LOGIN_MANAGER = "org.freedesktop.login1.Manager"
LOGIN_SESSION = "org.freedesktop.login1.Session"
SESSION_LOOKUP_TIMEOUT_MS = 1000  # a hung system bus must not hold up the start


class SessionLockWatcher(QObject):
    """Emits ``session_locked`` when the screen locks or the computer is about to sleep."""

    session_locked = Signal(str)  # what happened, for the log

    def __init__(
        self,
        session_bus: QDBusConnection | None,
        system_bus: QDBusConnection | None,
        login_session_path: str | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.listening: list[str] = []  # the signals we are subscribed to
        if session_bus is not None and session_bus.isConnected():
            for interface in SCREEN_SAVER_INTERFACES:
                self._listen(session_bus, "", interface, "ActiveChanged", "_screen_saver(bool)")
        if system_bus is not None and system_bus.isConnected():
            self._listen(
                system_bus, LOGIN_PATH, LOGIN_MANAGER, "PrepareForSleep", "_sleeping(bool)"
            )
            if login_session_path:
                self._listen(system_bus, login_session_path, LOGIN_SESSION, "Lock", "_locked()")

    @classmethod
    def on_desktop_buses(cls, parent: QObject | None = None) -> SessionLockWatcher:
        """Listen on this machine's session and system buses, whichever exist."""
        system_bus = QDBusConnection.systemBus()
        return cls(QDBusConnection.sessionBus(), system_bus, own_login_session(system_bus), parent)

    def _listen(
        self, bus: QDBusConnection, path: str, interface: str, name: str, slot: str
    ) -> None:
        # PySide6's stub says bytes, but the binding takes the str that SLOT() returns.
        if bus.connect("", path, interface, name, self, SLOT(slot)):  # type: ignore[call-overload]
            self.listening.append(f"{interface}.{name}")
        else:
            log.info("Cannot listen for %s.%s on D-Bus", interface, name)

    @Slot(bool)
    def _screen_saver(self, active: bool) -> None:
        if active:
            self.session_locked.emit("screen locked")

    @Slot(bool)
    def _sleeping(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            self.session_locked.emit("going to sleep")

    @Slot()
    def _locked(self) -> None:
        self.session_locked.emit("session locked")


def own_login_session(system_bus: QDBusConnection) -> str | None:
    """logind's object path of the session this app runs in, or None when there is none."""
    if not system_bus.isConnected():
        return None
    call = QDBusMessage.createMethodCall(LOGIN_SERVICE, LOGIN_PATH, LOGIN_MANAGER, "GetSession")
    call.setArguments(["auto"])
    reply = system_bus.call(call, QDBus.CallMode.Block, SESSION_LOOKUP_TIMEOUT_MS)
    if reply.type() != QDBusMessage.MessageType.ReplyMessage or not reply.arguments():
        log.info("No login session found on D-Bus: %s", reply.errorMessage())
        return None
    path = reply.arguments()[0]
    return path.path() if isinstance(path, QDBusObjectPath) else str(path)
