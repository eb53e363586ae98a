"""The day list's table model, on a real diary."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from diary import bootstrap
from diary.domain.models import DaySummary
from diary.ui.formatting import NOT_LOGGED, note_excerpt
from diary.ui.models.days_model import COLUMNS, DaysModel
from tests.ui.conftest import PASSPHRASE


def summaries(sample_diary) -> list[DaySummary]:
    service = bootstrap.open_diary(sample_diary.path, passphrase=PASSPHRASE)
    try:
        return service.day_summaries()
    finally:
        service.close()


def test_model_passes_qt_model_tester(qtmodeltester, sample_diary):
    model = DaysModel()
    model.set_days(summaries(sample_diary))
    qtmodeltester.check(model, force_py=True)
    model.clear()
    qtmodeltester.check(model, force_py=True)


def test_rows_are_newest_first_whatever_order_they_come_in(sample_diary):
    days = summaries(sample_diary)
    model = DaysModel()
    model.set_days(list(reversed(days)))
    dates = [model.day_at(row).date for row in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    assert model.columnCount() == len(COLUMNS) == 8


def test_a_zero_that_was_logged_shows_as_zero_and_a_missing_value_as_a_dash():
    logged_zero = DaySummary(
        date=dt.date(2024, 1, 1),
        dose_count=1,
        total_mg_by_drug={"diazepam": 5.0},
        rated_symptoms=2,
        burden_percent=0.0,
        wellbeing=0,
        sleep_hours=0.0,
        note="",
        for_doctor=False,
        in_hold=True,
    )
    not_logged = DaySummary(
        date=dt.date(2024, 1, 2),
        dose_count=0,
        total_mg_by_drug={},
        rated_symptoms=0,
        burden_percent=None,
        wellbeing=None,
        sleep_hours=None,
        note="",
        for_doctor=False,
        in_hold=False,
    )
    model = DaysModel()
    model.set_days([logged_zero, not_logged])
    row = {COLUMNS[c].title: model.index(1, c).data() for c in range(len(COLUMNS))}
    assert row["Doses"] == "1 (diazepam 5 mg)"
    assert row["Symptom burden"] == "0%"
    assert row["Wellbeing"] == "0/10"
    assert row["Sleep"] == "0 h"
    assert row["Hold"] == "Hold"
    blank = {COLUMNS[c].title: model.index(0, c).data() for c in range(len(COLUMNS))}
    assert [blank[t] for t in ("Doses", "Symptom burden", "Wellbeing", "Sleep", "Note")] == [
        NOT_LOGGED
    ] * 5
    spoken = model.index(0, 3).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "not logged"


def test_long_notes_are_cut_to_an_excerpt_with_the_whole_note_as_tooltip():
    note = "Slept badly; " * 10 + "\nsecond line"
    assert note_excerpt(note).endswith("\N{HORIZONTAL ELLIPSIS}")
    assert len(note_excerpt(note)) <= 61
    assert note_excerpt("Short.\nMore below.") == "Short.\N{HORIZONTAL ELLIPSIS}"


def test_column_titles_line_up_with_their_values():
    model = DaysModel()
    horizontal, role = Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole
    alignments = {COLUMNS[c].title: model.headerData(c, horizontal, role) for c in range(8)}
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    assert alignments["Sleep"] == alignments["Wellbeing"] == right
    assert alignments["Date"] == alignments["Note"] == left
