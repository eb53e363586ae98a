"""Remember the window's size and position between runs.

Only geometry goes into QSettings: never anything from the diary (no dates, no paths
of exports, no health data), because QSettings is stored unencrypted.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QWidget

GEOMETRY_KEY = "window/geometry"


def default_settings() -> QSettings:
    return QSettings("TaperDiary", "Taper Diary")


def restore_geometry(window: QWidget, settings: QSettings) -> bool:
    saved = settings.value(GEOMETRY_KEY)
    return isinstance(saved, QByteArray) and window.restoreGeometry(saved)


def save_geometry(window: QWidget, settings: QSettings) -> None:
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.sync()
