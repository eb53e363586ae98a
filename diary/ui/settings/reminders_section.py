"""Dose reminders: off by default; a notification names no drug or amount unless allowed.

Only the choice is kept here (in the encrypted diary); the reminders themselves are shown
by the window's reminder engine, which reads ``DiaryService.reminder_settings``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from diary.domain.changes import Changes
from diary.domain.models import ReminderSettings
from diary.services.diary_service import DiaryService
from diary.ui.settings.section import Save, Section
from diary.ui.widgets.form_parts import explanation_label

PRIVACY = (
    "Desktop notifications can be seen by anyone near the screen, and some systems keep them "
    "in a list or show them on the lock screen. Without names and amounts a reminder only "
    "says that a dose is due; with them it shows which drug and how much."
)


class RemindersSection(Section):
    title = "Reminders"
    explanation = (
        "While Taper Diary is running, it can show a reminder at the times of your regimen's "
        "doses. Clicking the reminder opens Today with the dose ready to confirm."
    )

    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self._loading = False
        self._stored = ReminderSettings()
        self.enabled_box = QCheckBox("Show dose &reminders")
        self.enabled_box.setAccessibleName("Show dose reminders")
        self.details_box = QCheckBox("Show drug &names and amounts in reminders")
        self.details_box.setAccessibleName("Show drug names and amounts in reminders")
        self.privacy_label = explanation_label(PRIVACY)
        self.enabled_box.toggled.connect(self._changed)
        self.details_box.toggled.connect(self._changed)
        self.body.addWidget(self.enabled_box)
        self.body.addWidget(self.details_box)
        self.body.addWidget(self.privacy_label)
        self.clear()

    def load(self, service: DiaryService) -> None:
        self._show(service.reminder_settings())

    def clear(self) -> None:
        self._show(ReminderSettings())

    def concerns(self, changes: Changes) -> bool:
        return changes.settings

    def first_field(self) -> QWidget:
        return self.enabled_box

    def shown(self) -> ReminderSettings:
        return ReminderSettings(self.enabled_box.isChecked(), self.details_box.isChecked())

    def _show(self, reminders: ReminderSettings) -> None:
        self._loading = True
        self.enabled_box.setChecked(reminders.enabled)
        self.details_box.setChecked(reminders.show_details)
        self.details_box.setEnabled(reminders.enabled)
        self._loading = False
        self._stored = reminders

    def _changed(self) -> None:
        if self._loading:
            return
        wanted = self.shown()
        self.details_box.setEnabled(wanted.enabled)
        if not self._save(lambda service: service.set_reminder_settings(wanted)):
            self._show(self._stored)
        else:
            self._stored = wanted
