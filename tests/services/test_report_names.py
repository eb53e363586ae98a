"""The names for the appointment summary: kept only when asked, inside the encrypted diary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from diary.domain.errors import ValidationError
from diary.domain.models import ReportNames
from diary.services.diary_service import DiaryService

Reopen = Callable[[], DiaryService]


def test_no_names_are_kept_in_a_new_diary(service: DiaryService) -> None:
    assert service.report_names() == ReportNames("", "")


def test_kept_names_survive_closing_and_stay_encrypted(
    service: DiaryService, reopen: Reopen, tmp_path: Path
) -> None:
    changes = service.set_report_names(ReportNames("  Sam   Patient ", "Dr Rivera"))
    assert changes.label == "remember the names for reports" and changes.settings
    again = reopen()
    assert again.report_names() == ReportNames("Sam Patient", "Dr Rivera")
    on_disk = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert b"Rivera" not in on_disk and "Rivera".encode("utf-16-le") not in on_disk


def test_none_forgets_the_names_for_good(service: DiaryService, reopen: Reopen) -> None:
    service.set_report_names(ReportNames("Sam Patient", "Dr Rivera"))
    changes = service.set_report_names(None)
    assert changes.label == "forget the names for reports"
    assert reopen().report_names() == ReportNames()


def test_undo_and_redo_restore_the_names(service: DiaryService) -> None:
    service.set_report_names(ReportNames("Sam Patient", ""))
    service.set_report_names(None)
    assert service.undo_label() == "forget the names for reports"
    service.undo()
    assert service.report_names() == ReportNames("Sam Patient", "")
    service.undo()
    assert service.report_names() == ReportNames()
    service.redo()
    assert service.report_names().patient == "Sam Patient"


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (ReportNames("x" * 81, ""), r"^Your name is 81 characters long; the most is 80\.$"),
        (
            ReportNames("", "y" * 200),
            r"^The prescriber's name is 200 characters long; the most is 80\.$",
        ),
    ],
)
def test_a_name_too_long_for_the_report_is_refused_and_nothing_changes(
    service: DiaryService, names: ReportNames, message: str
) -> None:
    service.set_report_names(ReportNames("Sam Patient", "Dr Rivera"))
    generation = service.generation
    with pytest.raises(ValidationError, match=message):
        service.set_report_names(names)
    assert service.report_names() == ReportNames("Sam Patient", "Dr Rivera")
    assert service.generation == generation


def test_the_longest_name_the_report_prints_is_kept(service: DiaryService) -> None:
    service.set_report_names(ReportNames("x" * 80, "y" * 80))
    assert service.report_names() == ReportNames("x" * 80, "y" * 80)
