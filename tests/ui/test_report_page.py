"""The Report page driven as a user would: presets, options, preview, Save PDF and Print,
with the file chooser and the printer answered by the injected Dialogs (no modal opens)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from diary import bootstrap
from diary.domain.models import EventKind, ReportNames
from diary.report.options import Paper
from diary.services.diary_service import DiaryService
from diary.storage.keys import KdfParams
from diary.ui.pages.report_page import Preset, ReportPage
from tests.report.conftest import (
    FLAGGED,
    PRIVATE,
    TODAY,
    day,
    pdf_info,
    pdf_text,
    write_known_diary,
)
from tests.ui.conftest import RecordingDialogs


class ReportDialogs(RecordingDialogs):
    """Answers the file chooser with ``save_to`` and the print dialog with ``printer``
    (None: the person cancelled)."""

    def __init__(self) -> None:
        super().__init__()
        self.save_to: Path | None = None
        self.printer: QPrinter | None = None

    def choose_save_path(
        self, parent: QWidget | None, title: str, suggested: str, file_filter: str
    ) -> Path | None:
        return self.save_to

    def choose_printer(self, parent: QWidget | None, title: str) -> QPrinter | None:
        return self.printer


@pytest.fixture
def dialogs() -> ReportDialogs:
    return ReportDialogs()


@pytest.fixture
def service(tmp_path: Path, fast_kdf: KdfParams) -> Iterator[DiaryService]:
    service, _ = bootstrap.create_diary(tmp_path / "d.tpd", "a passphrase here", kdf=fast_kdf)
    write_known_diary(service)
    service.add_event(day(40), EventKind.APPOINTMENT, "GP appointment")
    yield service
    service.close()


def make_page(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService, locale: QLocale | None = None
) -> ReportPage:
    page = ReportPage(
        dialogs, today=lambda: TODAY, locale=locale, mutate=lambda action: action(service)
    )
    qtbot.addWidget(page)
    page.open_session(service)
    return page


def test_presets_set_the_period(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService
) -> None:
    page = make_page(qtbot, dialogs, service)
    qtbot.mouseClick(page.preset_button[Preset.DAYS_30], Qt.MouseButton.LeftButton)
    assert (page.options().start, page.options().end) == (day(29), TODAY)
    qtbot.mouseClick(page.preset_button[Preset.SINCE_APPOINTMENT], Qt.MouseButton.LeftButton)
    assert page.options().start == day(40)
    page.start_edit.setEnabled(True)
    page.start_edit.setDate(page.start_edit.date().addDays(-3))
    assert page.preset is Preset.CUSTOM


def test_paper_defaults_from_the_locale(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService
) -> None:
    us = make_page(qtbot, dialogs, service, locale=QLocale("en_US"))
    uk = make_page(qtbot, dialogs, service, locale=QLocale("en_GB"))
    assert us.options().paper is Paper.LETTER and uk.options().paper is Paper.A4


def test_the_preview_shows_every_page(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService
) -> None:
    page = make_page(qtbot, dialogs, service)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert page.document is not None
    assert len(page.preview_pages) == page.document.page_count >= 2
    pixmap = page.preview_pages[0].pixmap()
    assert pixmap.width() == 595 and pixmap.height() == 842  # A4 at one pixel per point
    assert "pages" in page.status.text()


def test_save_pdf_writes_what_was_chosen(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService, tmp_path: Path
) -> None:
    target = tmp_path / "for the doctor"
    dialogs.save_to = target
    page = make_page(qtbot, dialogs, service)
    qtbot.keyClicks(page.patient_name, "Sam Patient")
    page.all_notes.setChecked(True)
    saved = page.save_pdf()
    assert saved == tmp_path / "for the doctor.pdf"
    text = pdf_text(saved)
    assert "Sam Patient" in text and FLAGGED in text and PRIVATE in text
    assert dialogs.errors == []


def test_print_paints_the_same_pages_on_the_printer(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService, tmp_path: Path
) -> None:
    printed = tmp_path / "printed.pdf"

    dialogs.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialogs.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialogs.printer.setOutputFileName(str(printed))
    page = make_page(qtbot, dialogs, service)
    assert page.print_report()
    assert page.document is not None
    assert int(pdf_info(printed)["Pages"]) == page.document.page_count
    assert FLAGGED in pdf_text(printed) and PRIVATE not in pdf_text(printed)


def test_a_backwards_period_is_explained_not_built(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService
) -> None:
    page = make_page(qtbot, dialogs, service)
    page.apply_preset(Preset.CUSTOM)
    page.start_edit.setDate(page.end_edit.date().addDays(5))
    assert page.save_pdf() is None
    assert dialogs.errors and "before it starts" in dialogs.errors[0][1]


def test_locking_forgets_the_names_and_pages(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService
) -> None:
    page = make_page(qtbot, dialogs, service)
    qtbot.keyClicks(page.patient_name, "Sam Patient")
    page.update_preview()
    page.close_session()
    assert page.patient_name.text() == "" and page.preview_pages == [] and page.document is None


def test_cancelling_the_file_or_printer_question_saves_and_prints_nothing(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService
) -> None:
    page = make_page(qtbot, dialogs, service)
    assert page.save_pdf() is None
    assert page.print_report() is False
    assert dialogs.errors == [] and "Saved" not in page.status.text()


def test_names_are_not_kept_unless_asked(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService, tmp_path: Path
) -> None:
    dialogs.save_to = tmp_path / "summary.pdf"
    page = make_page(qtbot, dialogs, service)
    assert not page.remember_names.isChecked()
    qtbot.keyClicks(page.patient_name, "Sam Patient")
    qtbot.keyClicks(page.prescriber_name, "Dr Rivera")
    assert page.save_pdf() is not None
    assert service.report_names() == ReportNames()


def test_remembered_names_come_back_after_locking_and_can_be_forgotten(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService, tmp_path: Path
) -> None:
    dialogs.save_to = tmp_path / "summary.pdf"
    unlocked = [service]  # what the window's mutate runs on: the diary open now
    page = ReportPage(dialogs, today=lambda: TODAY, mutate=lambda action: action(unlocked[-1]))
    qtbot.addWidget(page)
    page.open_session(service)
    qtbot.keyClicks(page.patient_name, "Sam Patient")
    qtbot.keyClicks(page.prescriber_name, "Dr Rivera")
    page.remember_names.setChecked(True)
    assert page.save_pdf() is not None
    assert service.undo_label() == "remember the names for reports"

    page.close_session()
    assert page.patient_name.text() == "" and not page.remember_names.isChecked()
    path = service.path
    service.close()
    reopened = bootstrap.open_diary(path, "a passphrase here")
    unlocked.append(reopened)
    try:
        page.open_session(reopened)
        assert page.patient_name.text() == "Sam Patient"
        assert page.prescriber_name.text() == "Dr Rivera"
        assert page.remember_names.isChecked()
        page.remember_names.setChecked(False)
        assert page.save_pdf() is not None
        assert reopened.report_names() == ReportNames()
        assert "Sam Patient" in pdf_text(tmp_path / "summary.pdf")  # still printed this time
    finally:
        page.close_session()
        reopened.close()


def test_printing_keeps_the_names_when_asked(
    qtbot: QtBot, dialogs: ReportDialogs, service: DiaryService, tmp_path: Path
) -> None:
    dialogs.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialogs.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialogs.printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    page = make_page(qtbot, dialogs, service)
    qtbot.keyClicks(page.prescriber_name, "Dr Rivera")
    page.remember_names.setChecked(True)
    assert page.print_report()
    assert service.report_names() == ReportNames("", "Dr Rivera")
