"""The Settings page: a list of sections on the left, the chosen section on the right.

Sections (``diary.ui.settings``): symptoms tracked, medications and products, equivalence,
warnings, security, appearance, reminders, backups. Every change to the diary goes through
``mutate`` (the window's one way to change the diary) and is on disk when it returns; a
quiet "Saved" says so, and a save that fails puts up the NOT SAVED banner whose Retry runs
the same change again. Appearance and auto-lock are preferences of this computer, not
health data: they live in QSettings, and the page tells the window through signals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from diary.domain.changes import Changes
from diary.services.diary_service import DiaryService
from diary.ui.dialogs import Dialogs
from diary.ui.settings.appearance_section import AppearanceSection
from diary.ui.settings.backups_section import BackupsSection
from diary.ui.settings.equivalence_section import EquivalenceSection
from diary.ui.settings.medications_section import MedicationsSection
from diary.ui.settings.reminders_section import RemindersSection
from diary.ui.settings.section import Action, Section
from diary.ui.settings.security_section import SecuritySection
from diary.ui.settings.symptoms_section import SymptomsSection
from diary.ui.settings.warnings_section import WarningsSection
from diary.ui.widgets.save_state import ChangeSaver, NotSavedBanner, SavedIndicator

Mutate = Callable[[Action], Changes | None]

SECTION_WIDTH_IN_CHARACTERS = 150
STYLE = """
QListWidget::item { padding: 0.4em 0.6em; }
QListWidget::indicator {
    width: 1.1em; height: 1.1em; border: 2px solid palette(text); border-radius: 3px;
    background: palette(base);
}
QListWidget::indicator:checked { background: palette(link); border-color: palette(link); }
QListWidget:focus, QComboBox:focus, QSpinBox:focus, QSlider:focus, QRadioButton:focus {
    border: 3px solid palette(link);
}
QComboBox, QSpinBox { padding: 4px; min-height: 2em; }
QSpinBox { border: 1px solid palette(mid); border-radius: 3px; }
QRadioButton { min-height: 2.2em; spacing: 0.5em; }
QRadioButton::indicator {
    width: 1.1em; height: 1.1em; border: 2px solid palette(text); border-radius: 0.65em;
    background: palette(base);
}
QRadioButton::indicator:checked { background: palette(link); border-color: palette(link); }
QSlider { min-height: 2.6em; }
QSlider::groove:horizontal {
    height: 0.4em; background: palette(button); border: 1px solid palette(text);
    border-radius: 0.2em;
}
QSlider::handle:horizontal {
    width: 1.4em; margin: -0.6em 0; border-radius: 0.7em; background: palette(link);
}
QSlider::sub-page:horizontal { background: palette(link); border-radius: 0.2em; }
QPushButton[role="primary"] { font-weight: 600; border: 2px solid palette(link); }
QPushButton[role="primary"]:disabled { font-weight: normal; border: 1px solid palette(mid); }
/* the accent already outlines a primary button: its focus ring is the text colour */
QPushButton[role="primary"]:focus { border: 3px solid palette(text); }
QFrame[role="group"] { border: 1px solid palette(mid); border-radius: 8px; }
"""


class SettingsPage(QWidget):
    title = "Settings"
    appearance_changed = Signal()  # the theme or text size was applied to the app
    auto_lock_changed = Signal(object)  # the new idle delay in ms, or None for "never"
    secret_showing = Signal(bool)  # a new recovery key is on show until confirmed kept

    def __init__(
        self,
        mutate: Mutate,
        dialogs: Dialogs,
        settings: QSettings,
        now: Callable[[], dt.datetime] = dt.datetime.now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service: DiaryService | None = None
        self.setStyleSheet(STYLE)

        self.saved_indicator = SavedIndicator()
        self.banner = NotSavedBanner()
        self._saver = ChangeSaver(
            mutate, self.banner, self.saved_indicator, now, after_retry=self._reload_sections
        )
        save = self._saver.save

        self.symptoms = SymptomsSection(save)
        self.medications = MedicationsSection(save)
        self.equivalence = EquivalenceSection(save)
        self.warnings = WarningsSection(save)
        self.security = SecuritySection(save, dialogs, settings)
        self.appearance = AppearanceSection(save, settings)
        self.reminders = RemindersSection(save)
        self.backups = BackupsSection(save, dialogs)
        self.sections: list[Section] = [
            self.symptoms,
            self.medications,
            self.equivalence,
            self.warnings,
            self.security,
            self.appearance,
            self.reminders,
            self.backups,
        ]
        self.security.auto_lock_changed.connect(self.auto_lock_changed)
        self.security.secret_showing.connect(self.secret_showing)
        self.appearance.applied.connect(self.appearance_changed)

        self.nav = QListWidget()
        self.nav.setObjectName("settingsSections")
        self.nav.setAccessibleName("Settings sections")
        self.stack = QStackedWidget()
        for section in self.sections:
            self.nav.addItem(section.title)
            self.stack.addWidget(scrolling(section))
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        width = max(self.nav.sizeHintForColumn(0), 0) + self.fontMetrics().averageCharWidth() * 6
        self.nav.setFixedWidth(width)

        header = QHBoxLayout()
        header.addStretch(1)  # the window's tab names the page; each section has its title
        header.addWidget(self.saved_indicator)
        columns = QHBoxLayout()
        columns.addWidget(self.nav)
        columns.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)
        self.nav.setCurrentRow(0)
        self.close_session()

    # ---- the page protocol ----------------------------------------------------------
    def open_session(self, service: DiaryService) -> None:
        self._service = service
        self.setEnabled(True)
        for section in self.sections:
            section.load(service)

    def close_session(self) -> None:
        """Forget the diary and clear every field (runs on every lock)."""
        self._service = None
        self._saver.forget()
        self.banner.hide()
        self.saved_indicator.clear()
        for section in self.sections:
            section.clear()
        self.setEnabled(False)

    def on_changed(self, changes: Changes) -> None:
        if self._service is None:
            return
        for section in self.sections:
            if section.concerns(changes):
                section.load(self._service)

    def focus_first_field(self) -> None:
        self.nav.setFocus()

    def show_section(self, section: Section) -> None:
        """Bring ``section`` to the front with the keyboard in it."""
        self.nav.setCurrentRow(self.sections.index(section))
        section.first_field().setFocus()

    # ---- saving ---------------------------------------------------------------------
    def _reload_sections(self) -> None:
        """After a Retry saved the change, every section shows the diary again."""
        if self._service is not None:
            for section in self.sections:
                section.load(self._service)


def scrolling(section: Section) -> QScrollArea:
    """``section`` in a scroll area, at a readable width: at 200% text it scrolls, never clips."""
    section.setMaximumWidth(section.fontMetrics().averageCharWidth() * SECTION_WIDTH_IN_CHARACTERS)
    scroller = QScrollArea()
    scroller.setWidget(section)
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # it follows the focused field
    return scroller
