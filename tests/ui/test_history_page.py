"""The History page on a real encrypted diary: what the table shows, searching, filters,
opening a day, deleting with undo, a failed save, and locking."""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from diary import bootstrap
from diary.domain.changes import Changes
from diary.domain.models import ChangeKind, DaySummary, EventKind, Form, RegimenDose
from diary.services.diary_service import DiaryService
from diary.storage.keys import KdfParams
from diary.ui.formatting import NOT_LOGGED, format_doses, note_excerpt
from diary.ui.models.history_model import (
    COLUMNS,
    Criteria,
    HistoryData,
    HistoryFilter,
    HistoryModel,
    build_rows,
    load_history,
)
from diary.ui.pages.history_page import Action, HistoryPage, Span
from tests.ui.conftest import PASSPHRASE, RecordingDialogs

START, WALK, CUT, HOLD_START, HOLD_END, UPDOSE, APPOINTMENT, QUIET = (
    dt.date(2024, 5, 1),  # regimen starts: 10 mg diazepam a day; a note about a walk
    dt.date(2024, 5, 2),
    dt.date(2024, 5, 4),  # cut to 9 mg, flagged for the doctor
    dt.date(2024, 5, 6),
    dt.date(2024, 5, 8),
    dt.date(2024, 5, 10),  # updose to 10 mg, nothing else logged that day
    dt.date(2024, 5, 12),
    dt.date(2024, 5, 14),  # only doses logged
)
TODAY = dt.date(2024, 5, 20)
COLUMN = {column.title: i for i, column in enumerate(COLUMNS)}
FORBIDDEN = ("failure", "failed", "missed", "relapse")


def regimen(mg_morning: float, mg_evening: float) -> list[RegimenDose]:
    return [
        RegimenDose("diazepam", mg_morning, dt.time(8)),
        RegimenDose("diazepam", mg_evening, dt.time(20)),
    ]


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    service, _ = bootstrap.create_diary(tmp_path / "diary.tpd", PASSPHRASE, KdfParams.MINIMUM)
    service.add_medication("Diazepam 5 mg", "diazepam", Form.TABLET, strength_mg=5)
    service.set_regimen(regimen(5, 5), START, ChangeKind.START)
    service.set_regimen(regimen(5, 4), CUT, ChangeKind.CUT, reason="10% cut")
    service.set_regimen(regimen(5, 5), UPDOSE, ChangeKind.UPDOSE, reason="to stabilise")
    service.take_as_planned(START)
    service.take_as_planned(QUIET)
    service.record_checkin(START, wellbeing=6, sleep_hours=7.5, note="A calmer day.")
    service.record_checkin(WALK, ratings={"insomnia": 2}, note="Walked to the shop with Ann.")
    service.record_checkin(CUT, wellbeing=4, for_doctor=True, note="First day on 9 mg.")
    service.start_hold(HOLD_START, "letting things settle")
    service.end_hold(HOLD_END)
    service.add_event(APPOINTMENT, EventKind.APPOINTMENT, "Taper review")
    service.record_checkin(APPOINTMENT, note="Talked about the pace; a long walk after.")
    yield service
    service.close()


@pytest.fixture
def page(qtbot, service: DiaryService, dialogs: RecordingDialogs) -> HistoryPage:
    """The page as the window hosts it, with a ``mutate`` that only runs the action."""

    def mutate(action: Action) -> Changes | None:
        return action(service)

    page = HistoryPage(mutate, dialogs, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1400, 800)
    page.show()
    qtbot.waitExposed(page)
    page.open_session(service)
    return page


def shown_dates(page: HistoryPage) -> list[dt.date]:
    return [page.days.row_at(row).date for row in range(page.days.rowCount())]


def cell(page: HistoryPage, day: dt.date, title: str, role: int = 0) -> object:
    row = page.days.row_of(day)
    assert row is not None, f"{day} is not shown"
    return page.days.index(row, COLUMN[title]).data(role or Qt.ItemDataRole.DisplayRole)


def test_the_model_passes_the_qt_model_tester(qtmodeltester, service):
    model = HistoryModel()
    model.set_data(load_history(service))
    qtmodeltester.check(model, force_py=True)
    model.sort(COLUMN["Wellbeing"], Qt.SortOrder.DescendingOrder)
    model.show_matches_of("walk")
    model.clear()
    qtmodeltester.check(model, force_py=True)


def test_the_filter_passes_the_qt_model_tester(qtmodeltester, service):
    model = HistoryModel()
    days = HistoryFilter(model)
    model.set_data(load_history(service))
    qtmodeltester.check(days, force_py=True)
    days.sort(COLUMN["Note"], Qt.SortOrder.AscendingOrder)
    days.set_criteria(Criteria(search="walk"))
    assert days.rowCount() == 2
    days.set_criteria(Criteria(for_doctor_only=True))
    assert days.rowCount() == 1
    model.clear()
    qtmodeltester.check(days, force_py=True)


def test_every_logged_or_marked_day_is_a_row_newest_first_with_dashes_for_not_logged(page):
    assert shown_dates(page) == [QUIET, APPOINTMENT, UPDOSE, HOLD_END, HOLD_START, CUT, WALK, START]
    assert page.shown_count.text().startswith("8 of 8 days shown")
    assert "Ashton" in page.shown_count.text()

    assert cell(page, START, "Doses") == "diazepam 10 mg in 2 doses"
    assert cell(page, START, "DZ-eq") == "10 mg"
    assert cell(page, START, "Wellbeing") == "6/10"
    assert cell(page, START, "Sleep") == "7.5 h"
    assert cell(page, START, "Note") == "A calmer day."
    assert cell(page, WALK, "Symptoms") == "50%"
    assert cell(page, CUT, "DZ-eq") == "9 mg"
    assert cell(page, UPDOSE, "DZ-eq") == "10 mg"
    for title in ("Doses", "Symptoms", "Wellbeing", "Sleep"):
        assert cell(page, WALK if title != "Symptoms" else START, title) == NOT_LOGGED
    spoken = cell(page, WALK, "Wellbeing", Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "not logged"


def test_marks_show_cuts_updoses_holds_events_and_the_doctor_flag_in_words(page):
    def marks(day: dt.date) -> str:
        return str(cell(page, day, "Marks"))

    def detail(day: dt.date) -> str:
        return str(cell(page, day, "Marks", Qt.ItemDataRole.ToolTipRole))

    assert marks(START) == "Start"
    assert marks(CUT) == "Cut \N{MIDDLE DOT} For doctor"
    assert "from 10 mg to 9 mg DZ-eq a day" in detail(CUT)
    assert marks(HOLD_START) == "Hold starts"
    assert "letting things settle" in detail(HOLD_START)
    assert marks(HOLD_END) == "Hold ends"
    assert marks(UPDOSE) == "Updose"
    assert "updose (reinstatement)" in detail(UPDOSE) and "to stabilise" in detail(UPDOSE)
    assert marks(APPOINTMENT) == "Appointment"
    assert "Taper review" in detail(APPOINTMENT)
    assert marks(QUIET) == ""

    every_text = [
        str(page.days.index(row, column).data(role) or "")
        for row in range(page.days.rowCount())
        for column in range(len(COLUMNS))
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    ]
    assert not [text for text in every_text if any(word in text.lower() for word in FORBIDDEN)]


def test_typing_in_the_search_shows_only_days_whose_note_matches_in_any_case(qtbot, page):
    qtbot.keyClicks(page.search, "WALK")
    assert shown_dates(page) == [APPOINTMENT, WALK]
    assert page.shown_count.text().startswith("2 of 8 days shown")
    # the match lies beyond the usual excerpt's start? it is shown all the same
    assert "walk" in str(cell(page, APPOINTMENT, "Note")).lower()

    page.search.clear()
    qtbot.keyClicks(page.search, "taper review")  # event titles are searched too
    assert shown_dates(page) == [APPOINTMENT]

    qtbot.keyClicks(page.search, " nowhere")
    assert shown_dates(page) == []
    assert "no day matches" in page.shown_count.text()


def test_ctrl_f_moves_the_keyboard_to_the_search(qtbot, page):
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()


def test_only_days_marked_for_the_doctor(qtbot, page):
    qtbot.mouseClick(page.for_doctor_only, Qt.MouseButton.LeftButton)
    assert shown_dates(page) == [CUT]
    assert page.shown_count.text().startswith("1 of 8 days shown")
    page.for_doctor_only.setChecked(False)
    assert len(shown_dates(page)) == 8


def test_date_range_presets_and_chosen_dates(qtbot, page):
    page.span.setCurrentIndex(page.span.findData(Span.LAST_30))
    page.span.activated.emit(page.span.currentIndex())
    assert page.start.date().toPython() == TODAY - dt.timedelta(days=29)
    assert len(shown_dates(page)) == 8  # every day lies within the last 30

    page.start.setDate(page.start.date().addDays(29 - 8))  # from 12 May
    assert page.span.currentData() is Span.CHOSEN
    assert shown_dates(page) == [QUIET, APPOINTMENT]

    page.end.setDate(page.start.date().addDays(-1))  # impossible: To before From
    assert page.range_message.isVisible()
    assert "after the To date" in page.range_message.text()
    assert shown_dates(page) == []

    page.span.setCurrentIndex(page.span.findData(Span.ALL))
    page.span.activated.emit(page.span.currentIndex())
    assert not page.range_message.isVisible()
    assert len(shown_dates(page)) == 8


def test_enter_and_double_click_open_the_day_in_today(qtbot, page):
    assert page.select_day(CUT)
    with qtbot.waitSignal(page.open_day) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [CUT]

    row = page.days.row_of(WALK)
    assert row is not None
    centre = page.table.visualRect(page.days.index(row, 0)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(page.open_day) as opened:
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert opened.args == [WALK]


def test_delete_asks_first_saying_what_goes_then_undo_brings_the_day_back(
    qtbot, service, page: HistoryPage, dialogs: RecordingDialogs
):
    questions = dialogs.questions
    dialogs.answer = False
    page.select_day(APPOINTMENT)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert "Sunday 12 May 2024" in questions[0]
    assert "the note" in questions[0] and "1 event (Taper review)" in questions[0]
    assert APPOINTMENT in shown_dates(page)  # kept: the answer was no
    assert service.checkin(APPOINTMENT) is not None

    dialogs.answer = True
    changes = []
    page._mutate = lambda action: changes.append(action(service)) or changes[-1]
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert service.checkin(APPOINTMENT) is None
    assert service.undo_label() == "delete 12 May 2024"
    assert "Deleted 12 May 2024" in page.saved.text()
    page.on_changed(changes[-1])  # what the window does with ``changed``
    assert APPOINTMENT not in shown_dates(page)
    assert page.selected_row() is not None  # the next day is chosen, ready for the keyboard

    page.on_changed(service.undo())
    assert service.checkin(APPOINTMENT) is not None
    assert APPOINTMENT in shown_dates(page)
    assert cell(page, APPOINTMENT, "Marks") == "Appointment"


def test_a_day_listed_only_for_its_marks_cannot_be_deleted(page):
    page.select_day(UPDOSE)
    assert not page.delete_button.isEnabled()
    assert page.open_button.isEnabled()


def test_a_failed_save_shows_a_banner_and_retry_deletes_once_the_disk_has_room(
    qtbot, service, page: HistoryPage, monkeypatch: pytest.MonkeyPatch
):
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    shown_errors: list[Exception] = []

    def mutate_like_the_window(action: Action) -> Changes | None:
        try:
            return action(service)
        except Exception as error:  # the window hands it to the error presenter
            shown_errors.append(error)
            return None

    page._mutate = mutate_like_the_window
    page.select_day(WALK)
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", disk_full)
        page.delete_selected()
    assert len(shown_errors) == 1
    assert page.banner.isVisible()
    assert "NOT saved" in page.banner.message.text()
    assert "2 May 2024 is still in your diary" in page.banner.message.text()
    assert page.saved.text() == ""
    assert service.checkin(WALK) is not None

    qtbot.mouseClick(page.banner.retry_button, Qt.MouseButton.LeftButton)
    assert service.checkin(WALK) is None
    assert not page.banner.isVisible()
    assert "Deleted 2 May 2024" in page.saved.text()


def test_sorting_by_a_column_puts_not_logged_below_every_logged_value(page):
    page.table.sortByColumn(COLUMN["Wellbeing"], Qt.SortOrder.DescendingOrder)
    assert shown_dates(page)[:2] == [START, CUT]  # 6/10, then 4/10
    assert all(cell(page, day, "Wellbeing") == NOT_LOGGED for day in shown_dates(page)[2:])
    page.table.sortByColumn(COLUMN["Date"], Qt.SortOrder.AscendingOrder)
    assert shown_dates(page)[0] == START


def test_changes_to_other_things_do_not_reload_and_locking_empties_the_page(
    qtbot, service, page: HistoryPage
):
    service.record_checkin(TODAY, note="A new day")
    page.on_changed(Changes("add symptom", symptoms=True))
    assert TODAY not in shown_dates(page)
    page.on_changed(Changes("check-in", checkins=True))
    assert TODAY in shown_dates(page)

    qtbot.keyClicks(page.search, "calmer")
    page.close_session()
    assert page.model.rowCount() == 0 and page.days.rowCount() == 0
    assert page.search.text() == ""
    assert page.selected_row() is None
    assert not page.banner.isVisible() and page.saved.text() == ""


def test_dz_eq_agrees_with_the_series_the_charts_use(service, page):
    if not hasattr(service, "daily_dz_series"):
        pytest.skip("the taper toolkit's daily DZ-eq series is not in this tree")
    series = {day.date: day.total_mg for day in service.daily_dz_series(START, QUIET)}
    for day in shown_dates(page):
        assert page.days.row_at(page.days.row_of(day)).dz_mg == pytest.approx(series[day])


# ---- how values read (moved here from the first, minimal day list) ---------------------


def summary(day: dt.date, **values: object) -> DaySummary:
    blank: dict[str, object] = {
        "dose_count": 0,
        "total_mg_by_drug": {},
        "rated_symptoms": 0,
        "burden_percent": None,
        "wellbeing": None,
        "sleep_hours": None,
        "note": "",
        "for_doctor": False,
        "in_hold": False,
    }
    return DaySummary(day, **{**blank, **values})  # type: ignore[arg-type]


def test_a_zero_that_was_logged_shows_as_zero_and_a_missing_value_as_a_dash():
    logged_zero = summary(
        dt.date(2024, 1, 1),
        dose_count=1,
        total_mg_by_drug={"diazepam": 5.0},
        rated_symptoms=2,
        burden_percent=0.0,
        wellbeing=0,
        sleep_hours=0.0,
    )
    not_logged = summary(dt.date(2024, 1, 2))
    model = HistoryModel()
    model.set_data(HistoryData(build_rows([logged_zero, not_logged], [], [], []), "Ashton"))

    def row(index: int) -> dict[str, object]:
        return {c.title: model.index(index, i).data() for i, c in enumerate(COLUMNS)}

    zero, blank = row(1), row(0)  # newest first
    assert zero["Doses"] == "diazepam 5 mg in 1 dose"
    assert (zero["Symptoms"], zero["Wellbeing"], zero["Sleep"]) == ("0%", "0/10", "0 h")
    for title in ("Doses", "Symptoms", "Wellbeing", "Sleep", "Note"):
        assert blank[title] == NOT_LOGGED
    spoken = model.index(0, COLUMN["Wellbeing"]).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "not logged"


def test_the_doses_read_as_what_was_taken_then_how_many_doses():
    day = dt.date(2024, 1, 1)
    assert format_doses(summary(day)) == NOT_LOGGED
    two = summary(day, dose_count=2, total_mg_by_drug={"diazepam": 1.1})
    assert format_doses(two) == "diazepam 1.1 mg in 2 doses"
    crossover = summary(day, dose_count=3, total_mg_by_drug={"lorazepam": 0.5, "diazepam": 5.0})
    assert format_doses(crossover) == "diazepam 5 mg, lorazepam 0.5 mg in 3 doses"


def test_long_notes_are_cut_to_an_excerpt():
    note = "Slept badly; " * 10 + "\nsecond line"
    assert note_excerpt(note).endswith("\N{HORIZONTAL ELLIPSIS}")
    assert len(note_excerpt(note)) <= 61
    assert note_excerpt("Short.\nMore below.") == "Short.\N{HORIZONTAL ELLIPSIS}"


def test_numbers_are_right_aligned_and_words_left_aligned(page):
    def alignment(title: str) -> int:
        return int(cell(page, START, title, Qt.ItemDataRole.TextAlignmentRole))

    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    assert alignment("Sleep") == alignment("Wellbeing") == alignment("DZ-eq") == right
    assert alignment("Date") == alignment("Note") == alignment("Doses") == left
