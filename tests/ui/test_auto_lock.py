"""The diary locks by itself: after idle minutes, on a screen lock, and before sleep."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtDBus import QDBusConnection

from diary.storage.keys import KdfParams
from diary.ui.auto_lock import DEFAULT_IDLE_MINUTES, IDLE_MINUTES_KEY, idle_timeout_ms
from diary.ui.diary_location import DiaryLocation
from diary.ui.main_window import MainWindow
from diary.ui.screens.recovery_key_screen import key_groups
from diary.ui.session_watch import SessionLockWatcher
from tests.ui.conftest import PASSPHRASE, WORKER_TIMEOUT_MS
from tests.ui.test_create_flow import create_and_wait_for_key
from tests.ui.test_unlock import unlock_with, wait_for_days

SHORT_IDLE_MS = 200
OWN_SESSION = "/org/freedesktop/login1/session/_32"
OTHER_SESSION = "/org/freedesktop/login1/session/_33"


def build_window(qtbot, dialogs, settings, path: Path, **options) -> MainWindow:
    window = MainWindow(DiaryLocation(path, KdfParams.MINIMUM), dialogs, settings, **options)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def open_window(qtbot, dialogs, settings, path: Path, **options) -> MainWindow:
    window = build_window(qtbot, dialogs, settings, path, **options)
    unlock_with(qtbot, window, PASSPHRASE)
    wait_for_days(qtbot, window)
    return window


def is_locked(window: MainWindow) -> bool:
    return window.stack.currentWidget() is window.unlock_screen


def assert_locked_and_cleared(window: MainWindow) -> None:
    assert is_locked(window)
    assert window.service is None
    assert window.history_page.model.rowCount() == 0
    assert window.today_page.symptom_rows == [] and not window.today_page.isEnabled()
    assert window.windowTitle() == "Taper Diary (locked)"
    assert window.unlock_screen.secret.text() == ""


def test_an_idle_diary_locks_by_itself_and_forgets_the_days(
    qtbot, dialogs, window_settings, sample_diary
):
    window = open_window(
        qtbot, dialogs, window_settings, sample_diary.path, idle_lock_ms=SHORT_IDLE_MS
    )
    assert window.history_page.model.rowCount() == 3

    qtbot.waitUntil(lambda: is_locked(window), timeout=5_000)

    assert_locked_and_cleared(window)
    # Unlocking again works and the idle timer counts again.
    unlock_with(qtbot, window, PASSPHRASE)
    wait_for_days(qtbot, window)
    assert window.history_page.model.rowCount() == 3
    qtbot.waitUntil(lambda: is_locked(window), timeout=5_000)


def test_typing_keeps_the_diary_open(qtbot, dialogs, window_settings, sample_diary):
    idle_ms = 1000  # generous: a loaded machine may stretch each 150 ms wait
    window = open_window(qtbot, dialogs, window_settings, sample_diary.path, idle_lock_ms=idle_ms)
    window.show_page(window.history_page)
    table = window.history_page.table

    for _ in range(10):  # 1.5 s of steady input: well past the idle delay
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.wait(150)
        assert not is_locked(window)

    qtbot.waitUntil(lambda: is_locked(window), timeout=5_000)
    assert_locked_and_cleared(window)


def test_moving_the_mouse_keeps_the_diary_open(qtbot, dialogs, window_settings, sample_diary):
    idle_ms = 1000  # generous: a loaded machine may stretch each 150 ms wait
    window = open_window(qtbot, dialogs, window_settings, sample_diary.path, idle_lock_ms=idle_ms)
    window.show_page(window.history_page)
    viewport = window.history_page.table.viewport()

    for step in range(10):
        qtbot.mouseMove(viewport, QPoint(20 + step * 7, 20 + step * 3))
        qtbot.wait(150)
        assert not is_locked(window)

    qtbot.waitUntil(lambda: is_locked(window), timeout=5_000)


def test_the_delay_comes_from_the_settings(qtbot, dialogs, tmp_path, sample_diary):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(IDLE_MINUTES_KEY, 0.005)  # 300 ms
    window = open_window(qtbot, dialogs, settings, sample_diary.path)

    assert window.idle_timer.timeout_ms == 300
    qtbot.waitUntil(lambda: is_locked(window), timeout=5_000)


@pytest.mark.parametrize(
    ("stored", "expected_ms"),
    [
        (None, DEFAULT_IDLE_MINUTES * 60_000),
        ("2", 120_000),
        (0.5, 30_000),
        ("0", None),  # turned off
        ("soon", DEFAULT_IDLE_MINUTES * 60_000),  # unreadable: never off by accident
        ("-3", DEFAULT_IDLE_MINUTES * 60_000),
        ("nan", DEFAULT_IDLE_MINUTES * 60_000),
        ("1000000", 24 * 60 * 60_000),
    ],
)
def test_idle_minutes_setting(tmp_path, stored, expected_ms):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    if stored is not None:
        settings.setValue(IDLE_MINUTES_KEY, stored)
    assert idle_timeout_ms(settings) == expected_ms


def test_the_recovery_key_screen_is_not_locked_away(qtbot, dialogs, window_settings, diary_path):
    """Locking there would lose the only showing of the key; the timer starts after it."""
    window = build_window(qtbot, dialogs, window_settings, diary_path, idle_lock_ms=SHORT_IDLE_MS)
    recovery_key = create_and_wait_for_key(qtbot, window)
    screen = window.recovery_key_screen

    qtbot.wait(SHORT_IDLE_MS * 3)

    assert window.stack.currentWidget() is screen
    assert screen.key_label.text() != ""
    screen.kept_box.setChecked(True)
    qtbot.keyClicks(screen.last_group, key_groups(recovery_key)[-1])
    qtbot.mouseClick(screen.continue_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.pages
    qtbot.waitUntil(lambda: is_locked(window), timeout=5_000)


# ---- screen lock and sleep, over a private D-Bus ---------------------------------------


class PrivateBus:
    """A dbus-daemon of our own, standing in for the session and system buses."""

    def __init__(self, daemon: subprocess.Popen[str], address: str, name: str) -> None:
        self.daemon = daemon
        self.address = address
        self.connection = QDBusConnection.connectToBus(address, name)

    def emit(self, path: str, interface: str, name: str, *arguments: str) -> None:
        """Send a signal from another program, as the desktop would."""
        subprocess.run(
            ["dbus-send", f"--bus={self.address}", "--type=signal", path, f"{interface}.{name}"]
            + list(arguments),
            check=True,
            timeout=10,
        )


@pytest.fixture
def private_bus(request) -> Iterator[PrivateBus]:
    if not (shutil.which("dbus-daemon") and shutil.which("dbus-send")):
        pytest.skip("dbus-daemon and dbus-send are needed (Debian package: dbus)")
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--print-address", "--nofork"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        name = f"taper-diary-test-{request.node.name}"
        bus = PrivateBus(daemon, address, name)
        assert bus.connection.isConnected()
        yield bus
        QDBusConnection.disconnectFromBus(name)
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)


def watched_window(qtbot, dialogs, window_settings, sample_diary, bus: PrivateBus):
    watcher = SessionLockWatcher(bus.connection, bus.connection, OWN_SESSION)
    reasons: list[str] = []
    watcher.session_locked.connect(reasons.append)
    window = open_window(
        qtbot, dialogs, window_settings, sample_diary.path, session_watcher=watcher
    )
    assert window.history_page.model.rowCount() == 3
    return window, reasons


@pytest.mark.parametrize(
    ("path", "interface", "name", "arguments", "reason"),
    [
        ("/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", ["boolean:true"],
         "screen locked"),
        ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged", ["boolean:true"],
         "screen locked"),
        ("/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep",
         ["boolean:true"], "going to sleep"),
        (OWN_SESSION, "org.freedesktop.login1.Session", "Lock", [], "session locked"),
    ],
)  # fmt: skip
def test_a_screen_lock_or_sleep_locks_the_diary(
    qtbot, dialogs, window_settings, sample_diary, private_bus, path, interface, name,
    arguments, reason,
):  # fmt: skip
    window, reasons = watched_window(qtbot, dialogs, window_settings, sample_diary, private_bus)

    private_bus.emit(path, interface, name, *arguments)

    qtbot.waitUntil(lambda: is_locked(window), timeout=5_000)
    assert_locked_and_cleared(window)
    assert reasons == [reason]


def test_unlocking_the_screen_waking_up_or_another_session_leave_the_diary_open(
    qtbot, dialogs, window_settings, sample_diary, private_bus
):
    window, reasons = watched_window(qtbot, dialogs, window_settings, sample_diary, private_bus)
    saver = ("/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged")

    private_bus.emit(*saver, "boolean:false")
    private_bus.emit(
        "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "PrepareForSleep",
        "boolean:false",
    )  # fmt: skip
    private_bus.emit(OTHER_SESSION, "org.freedesktop.login1.Session", "Lock")
    private_bus.emit(*saver, "boolean:true")  # the bus keeps order: this one arrives last

    qtbot.waitUntil(lambda: is_locked(window), timeout=5_000)
    assert reasons == ["screen locked"]


def test_a_screen_lock_while_locked_changes_nothing(
    qtbot, dialogs, window_settings, sample_diary, private_bus
):
    window, reasons = watched_window(qtbot, dialogs, window_settings, sample_diary, private_bus)
    window.lock()
    qtbot.keyClicks(window.unlock_screen.secret, "half typed")

    private_bus.emit("/ScreenSaver", "org.freedesktop.ScreenSaver", "ActiveChanged", "boolean:true")
    qtbot.waitUntil(lambda: reasons == ["screen locked"], timeout=WORKER_TIMEOUT_MS)

    assert is_locked(window)
    assert window.unlock_screen.secret.text() == "half typed"
