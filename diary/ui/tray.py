"""Where dose reminders appear: a tray icon with desktop notifications, or, on a desktop
without a system tray, a notice inside the window.

``ReminderTray`` shows what ``DoseReminders`` says is due and passes clicks back to it. The
tray icon is there only while reminders are on; its tooltip says whether the diary is locked
and the next dose time. Without a tray (some Linux desktops, and the offscreen platform) no
notification can reach the desktop: the ``ReminderNotice`` banner shows in the window instead
and the taskbar entry asks for attention; ``where_reminders_appear`` says so in words for
the Settings page.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QWidget,
)

from diary.ui.reminders import DoseReminders

NOTIFICATION_TITLE = "Taper Diary"
NOTIFICATION_MS = 60_000  # how long the desktop keeps the notification up, where it obeys
IN_TRAY = "Reminders appear as desktop notifications from the Taper Diary tray icon."
IN_WINDOW = (
    "This desktop has no system tray, so reminders appear as a notice inside the Taper Diary "
    "window while it is open."
)


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


def where_reminders_appear(in_tray: bool | None = None) -> str:
    """One sentence for the Settings page: where a reminder will show on this desktop."""
    return IN_TRAY if (tray_available() if in_tray is None else in_tray) else IN_WINDOW


class ReminderNotice(QFrame):
    """The in-window reminder where there is no tray: the text, Open Today and Dismiss.

    The window places it above its pages; it is hidden until a reminder comes."""

    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Dose reminder")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.open_button = QPushButton("&Open Today")
        self.open_button.setAccessibleName("Open Today to record this dose")
        self.open_button.clicked.connect(self._open)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setAccessibleName("Dismiss the dose reminder")
        self.dismiss_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_reminder(self, text: str) -> None:
        self.message.setText(text)
        self.setAccessibleDescription(text)
        self.show()
        QApplication.alert(self.window())  # the taskbar entry asks for attention

    def _open(self) -> None:
        self.hide()
        self.open_requested.emit()


class ReminderTray(QObject):
    """Shows the reminders of ``reminders`` in the tray, or in ``notice`` without a tray.

    ``in_tray`` None: use the tray when the desktop has one (tests choose)."""

    def __init__(
        self,
        reminders: DoseReminders,
        notice: ReminderNotice,
        in_tray: bool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._reminders = reminders
        self.notice = notice
        self.icon: QSystemTrayIcon | None = None
        self._menu: QMenu | None = None  # the tray does not own its menu; it is kept here
        if tray_available() if in_tray is None else in_tray:
            self.icon = self._make_icon()
        notice.open_requested.connect(reminders.open_reminder)
        reminders.reminder_shown.connect(self.show_reminder)
        reminders.state_changed.connect(self._update)
        self._update()

    @property
    def in_tray(self) -> bool:
        return self.icon is not None

    def show_reminder(self, text: str) -> None:
        if self.icon is not None and QSystemTrayIcon.supportsMessages():
            self.icon.showMessage(
                NOTIFICATION_TITLE, text, QSystemTrayIcon.MessageIcon.Information, NOTIFICATION_MS
            )
        else:
            self.notice.show_reminder(text)

    def _make_icon(self) -> QSystemTrayIcon:
        style = QApplication.style()
        icon = QSystemTrayIcon(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogInfoView))
        icon.setParent(self)
        self._menu = QMenu()
        open_action = QAction("Open Taper Diary", self._menu)
        open_action.triggered.connect(self._reminders.open_reminder)
        self._menu.addAction(open_action)
        icon.setContextMenu(self._menu)
        icon.activated.connect(self._activated)
        icon.messageClicked.connect(self._reminders.open_reminder)
        return icon

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self._reminders.open_reminder()

    def _update(self) -> None:
        """Icon shown only while reminders are on; a notice whose dose is no longer due (it
        was recorded, or reminders went off) goes away."""
        on = self._reminders.enabled
        if self.icon is not None:
            tip = self._reminders.status_text()
            if self.icon.toolTip() != tip:
                self.icon.setToolTip(tip)
            if self.icon.isVisible() != on:
                self.icon.setVisible(on)
        if not self.notice.isHidden() and not (on and self._reminders.has_pending_shown()):
            self.notice.hide()
