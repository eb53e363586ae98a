"""The Report page: choose a period and what to share, see the pages, save the PDF or print.

The pages come from ``diary.report`` (the same code as ``taper-diary report``); the preview,
the PDF and the printer all use its one painting path. Names typed here are kept (inside the
encrypted diary, never in the window settings) only when the person ticks "Remember".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from diary.domain.changes import Changes
from diary.domain.errors import DiaryError
from diary.domain.models import EventKind, ReportNames
from diary.report import render
from diary.report.document import Document
from diary.report.options import NotesChoice, Paper, ReportOptions, paper_for_country
from diary.services.diary_service import DiaryService
from diary.ui.dialogs import Dialogs
from diary.ui.widgets.form_parts import explanation_label

PREVIEW_SCALE = 1.0  # pixels per point
PDF_FILTER = "PDF document (*.pdf)"

Action = Callable[[DiaryService], Changes]
Mutate = Callable[[Action], Changes | None]


class Preset(Enum):
    SINCE_APPOINTMENT = ("Since the last appointment", None)
    DAYS_30 = ("30 days", 30)
    DAYS_90 = ("90 days", 90)
    CUSTOM = ("Custom", None)

    def __init__(self, label: str, days: int | None) -> None:
        self.label = label
        self.days = days


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class ReportPage(QWidget):
    title = "Report"

    def __init__(
        self,
        dialogs: Dialogs,
        today: Callable[[], dt.date] = dt.date.today,
        locale: QLocale | None = None,
        parent: QWidget | None = None,
        mutate: Mutate | None = None,
    ) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        # the window's change runner (undo, status line); without one, names are not kept
        self._mutate = mutate
        self._today = today
        self._locale = locale or QLocale()
        self._service: DiaryService | None = None
        self.document: Document | None = None
        self.preview_pages: list[QLabel] = []
        self.preset = Preset.DAYS_90
        self._setting_period = False
        self._build()
        self.apply_preset(Preset.DAYS_90)

    # ---- building -------------------------------------------------------------------
    def _build(self) -> None:
        self.preset_buttons = QButtonGroup(self)
        self.preset_button: dict[Preset, QPushButton] = {}
        presets = QHBoxLayout()
        presets.addWidget(QLabel("Period:"))
        for preset in Preset:
            button = QPushButton(preset.label)
            button.setCheckable(True)
            button.clicked.connect(lambda _checked=False, p=preset: self.apply_preset(p))
            self.preset_buttons.addButton(button)
            self.preset_button[preset] = button
            presets.addWidget(button)
        presets.addStretch(1)
        self.start_edit = QDateEdit(calendarPopup=True)
        self.end_edit = QDateEdit(calendarPopup=True)
        for edit, name in ((self.start_edit, "From"), (self.end_edit, "To")):
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._period_edited)
        self.patient_name = QLineEdit()
        self.patient_name.setPlaceholderText("optional; printed in the header")
        self.prescriber_name = QLineEdit()
        self.prescriber_name.setPlaceholderText("optional")
        self.remember_names = QCheckBox("Re&member these names in my diary (encrypted)")
        self.remember_names.setToolTip(
            "Kept only inside the encrypted diary, for the next report. Untick and save or "
            "print to forget them."
        )
        self.remember_names.setEnabled(self._mutate is not None)
        self.flagged_notes = QCheckBox("Include notes &flagged for the doctor")
        self.flagged_notes.setChecked(True)
        self.all_notes = QCheckBox("Include &all notes")
        self.daily_log = QCheckBox("Add the daily &log")
        self.paper = QComboBox()
        self.paper.addItem("A4", Paper.A4)
        self.paper.addItem("Letter", Paper.LETTER)
        default = paper_for_country(self._locale.name().partition("_")[2])
        self.paper.setCurrentIndex(self.paper.findData(default))
        form = QFormLayout()
        dates = QHBoxLayout()
        dates.addWidget(self.start_edit)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end_edit)
        dates.addStretch(1)
        form.addRow("From", dates)
        form.addRow("Your &name", self.patient_name)
        form.addRow("&Prescriber", self.prescriber_name)
        form.addRow("", self.remember_names)
        form.addRow("Paper", self.paper)
        form.addRow("", self.flagged_notes)
        form.addRow("", self.all_notes)
        form.addRow("", self.daily_log)
        self.preview_button = QPushButton("Sh&ow preview")
        self.save_button = QPushButton("&Save PDF\N{HORIZONTAL ELLIPSIS}")
        self.print_button = QPushButton("P&rint\N{HORIZONTAL ELLIPSIS}")
        self.preview_button.clicked.connect(self.update_preview)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_report)
        actions = QHBoxLayout()
        for button in (self.preview_button, self.save_button, self.print_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.pages_box = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_box)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.pages_box)
        self.scroll.setAccessibleName("Preview of the report's pages")
        # a Tab stop (unlike the pages' scrollers), so the pages can be scrolled by keyboard;
        # the theme draws its focus ring
        side = QVBoxLayout()
        side.addLayout(presets)
        side.addLayout(form)
        side.addLayout(actions)
        side.addWidget(self.status)
        side.addWidget(
            explanation_label(
                "The report says it is self-reported on every page. It holds health data: "
                "keep the file safe, and delete it when it is no longer needed."
            )
        )
        side.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(side, 2)
        layout.addWidget(self.scroll, 3)

    # ---- the page protocol ----------------------------------------------------------
    def open_session(self, service: DiaryService) -> None:
        self._service = service
        names = service.report_names()
        self.patient_name.setText(names.patient)
        self.prescriber_name.setText(names.prescriber)
        self.remember_names.setChecked(names != ReportNames())
        self.apply_preset(self.preset)

    def close_session(self) -> None:
        """Forget the diary: no pages, no names."""
        self._service = None
        self.patient_name.clear()
        self.prescriber_name.clear()
        self.remember_names.setChecked(False)
        self._clear_preview()
        self.status.setText(" ")

    def on_changed(self, changes: Changes) -> None:
        if self.document is not None:
            self._clear_preview()
            self.status.setText("The diary changed; show the preview again to see it.")

    def focus_first_field(self) -> None:
        self.preset_button[self.preset].setFocus()

    # ---- period ---------------------------------------------------------------------
    def apply_preset(self, preset: Preset) -> None:
        self.preset = preset
        self.preset_button[preset].setChecked(True)
        today = self._today()
        custom = preset is Preset.CUSTOM
        self.start_edit.setEnabled(custom)
        self.end_edit.setEnabled(custom)
        if custom:
            return
        start = today - dt.timedelta(days=(preset.days or 90) - 1)
        if preset is Preset.SINCE_APPOINTMENT:
            start = self._last_appointment() or start
        self._setting_period = True
        self.start_edit.setDate(_qdate(start))
        self.end_edit.setDate(_qdate(today))
        self._setting_period = False

    def _last_appointment(self) -> dt.date | None:
        if self._service is None:
            return None
        today = self._today()
        dates = [
            e.date
            for e in self._service.events()
            if e.kind is EventKind.APPOINTMENT and e.date < today
        ]
        return max(dates, default=None)

    def _period_edited(self) -> None:
        if not self._setting_period and self.preset is not Preset.CUSTOM:
            self.apply_preset(Preset.CUSTOM)

    def options(self) -> ReportOptions:
        if self.all_notes.isChecked():
            notes = NotesChoice.ALL
        elif self.flagged_notes.isChecked():
            notes = NotesChoice.FLAGGED
        else:
            notes = NotesChoice.NONE
        return ReportOptions(
            start=_date(self.start_edit.date()),
            end=_date(self.end_edit.date()),
            patient_name=self.patient_name.text(),
            prescriber_name=self.prescriber_name.text(),
            notes=notes,
            daily_log=self.daily_log.isChecked(),
            paper=Paper(self.paper.currentData()),
        )

    # ---- building, preview, saving, printing ----------------------------------------
    def build(self) -> Document | None:
        """Lay out the pages for the options shown; None (and a message) when it cannot."""
        if self._service is None:
            return None
        try:
            document = render.build(self._service, self.options(), self._today())
        except DiaryError as error:
            self._dialogs.show_error(self, "The report could not be made", error.message)
            return None
        if self.document is not None:
            self.document.release()
        self.document = document
        return document

    def update_preview(self) -> None:
        document = self.build()
        if document is None:
            return
        self._clear_preview(keep_document=True)
        for number, image in enumerate(render.preview_images(document, PREVIEW_SCALE), 1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {number} of {document.page_count}")
            self.pages_layout.addWidget(label)
            self.preview_pages.append(label)
        self.status.setText(f"{document.page_count} pages.")

    def _clear_preview(self, keep_document: bool = False) -> None:
        for label in self.preview_pages:
            self.pages_layout.removeWidget(label)
            label.deleteLater()
        self.preview_pages = []
        if not keep_document and self.document is not None:
            self.document.release()
            self.document = None

    def save_pdf(self) -> Path | None:
        document = self.build()
        if document is None:
            return None
        options = document.content.options
        suggested = f"taper-diary-summary-{options.start:%Y-%m-%d}-to-{options.end:%Y-%m-%d}.pdf"
        path = self._dialogs.choose_save_path(self, "Save the report", suggested, PDF_FILTER)
        if path is None:
            return None
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            render.save_pdf(document, path)
        except DiaryError as error:
            self._dialogs.show_error(self, "The report was not saved", error.message)
            return None
        self.status.setText(f"Saved {document.page_count} pages to {path}.")
        self._keep_or_forget_names(document)
        return path

    def print_report(self) -> bool:
        document = self.build()
        if document is None:
            return False
        printer = self._dialogs.choose_printer(self, render.PDF_TITLE)
        if printer is None:
            return False
        render.configure(printer, document.content.options.paper)
        if not render.paint_document(printer, document):
            self._dialogs.show_error(
                self, "The report was not printed", "The printer could not be used."
            )
            return False
        self.status.setText(f"Sent {document.page_count} pages to the printer.")
        self._keep_or_forget_names(document)
        return True

    def _keep_or_forget_names(self, document: Document) -> None:
        """After a report went out: keep its names when "Remember" is ticked, forget any kept
        ones when it is not. Nothing is written when the diary already holds that."""
        if self._service is None or self._mutate is None:
            return
        options = document.content.options
        wanted = ReportNames()
        if self.remember_names.isChecked():
            wanted = ReportNames(options.patient_name, options.prescriber_name)
        if wanted != self._service.report_names():
            self._mutate(lambda service: service.set_report_names(wanted))
