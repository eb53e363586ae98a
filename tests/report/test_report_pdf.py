"""The appointment summary as a doctor gets it: real PDFs from a known diary, read back with
pdftotext, pdfinfo, pdffonts, pdfimages and qpdf."""

from __future__ import annotations

import datetime as dt
import errno
from pathlib import Path

import pytest

from diary.domain.errors import DiaryError, ValidationError
from diary.report import render
from diary.report.options import NotesChoice, Paper, ReportOptions, paper_for_country
from diary.services.diary_service import DiaryService
from diary.storage import atomic_write
from tests.report.conftest import (
    FLAGGED,
    LONG_TAIL,
    PRIVATE,
    TODAY,
    day,
    pdf_info,
    pdf_text,
    tool,
)


def write(service: DiaryService, path: Path, **choices: object) -> Path:
    options = ReportOptions(
        start=choices.pop("start", day(59)), end=choices.pop("end", TODAY), **choices
    )  # type: ignore[arg-type]
    render.write_report(service, options, path, TODAY)
    return path


def test_page_one_shows_the_regimen_figures_and_flagged_notes_but_no_private_note(
    known_service: DiaryService, tmp_path: Path
) -> None:
    pdf = write(known_service, tmp_path / "r.pdf", patient_name="Sam Patient")
    page_one = pdf_text(pdf, 1, 1)
    assert "Sam Patient" in page_one
    assert "lorazepam" in page_one and "0.5 mg" in page_one
    assert "Total 15 mg diazepam-equivalent" in page_one
    assert "Ashton Manual (rev. 2007)" in page_one
    assert "25.0%" in page_one  # reduced since the start: 20 -> 15 mg DZ-eq
    assert "Could not sleep at all" in page_one  # the reinstatement's reason
    assert "Letting things settle" in page_one  # the hold's reason
    assert FLAGGED in page_one
    everything = pdf_text(pdf)
    assert PRIVATE not in everything
    pages = int(pdf_info(pdf)["Pages"])
    assert everything.count("Self-reported by the patient") == pages
    assert f"Page {pages} of {pages}" in everything


def test_notes_follow_the_choice_everywhere_including_the_daily_log(
    known_service: DiaryService, tmp_path: Path
) -> None:
    flagged_log = pdf_text(write(known_service, tmp_path / "a.pdf", daily_log=True))
    assert "Daily log" in flagged_log and PRIVATE not in flagged_log and FLAGGED in flagged_log
    shared = pdf_text(write(known_service, tmp_path / "b.pdf", notes=NotesChoice.ALL))
    assert PRIVATE in shared and FLAGGED in shared
    withheld = pdf_text(
        write(known_service, tmp_path / "c.pdf", notes=NotesChoice.NONE, daily_log=True)
    )
    assert PRIVATE not in withheld and FLAGGED not in withheld and "LONGNOTE" not in withheld


def test_a_very_long_note_is_shortened_with_a_marker(
    known_service: DiaryService, tmp_path: Path
) -> None:
    text = pdf_text(write(known_service, tmp_path / "r.pdf", daily_log=True))
    assert "LONGNOTE" in text and "[shortened]" in text
    assert LONG_TAIL not in text


@pytest.mark.parametrize(
    ("paper", "size"), [(Paper.A4, "595 x 842 pts (A4)"), (Paper.LETTER, "612 x 792 pts (letter)")]
)
def test_paper_size_and_a_valid_pdf(
    known_service: DiaryService, tmp_path: Path, paper: Paper, size: str
) -> None:
    pdf = write(known_service, tmp_path / "r.pdf", paper=paper)
    info = pdf_info(pdf)
    assert info["Page size"] == size
    assert int(info["Pages"]) >= 2  # the overview and the appendix
    assert "No syntax or stream encoding errors found" in tool("qpdf", "--check", str(pdf))


def test_fonts_are_embedded_and_page_one_has_no_raster_image(
    known_service: DiaryService, tmp_path: Path
) -> None:
    pdf = write(known_service, tmp_path / "r.pdf")
    fonts = tool("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts, "the PDF has no fonts, so no selectable text"
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    images = tool("pdfimages", "-list", "-f", "1", "-l", "1", str(pdf)).splitlines()[2:]
    assert images == []  # the main chart is drawn as vector lines and text


def test_metadata_holds_the_title_and_no_health_data(
    known_service: DiaryService, tmp_path: Path
) -> None:
    pdf = write(known_service, tmp_path / "r.pdf", patient_name="Sam Patient")
    info = pdf_info(pdf)
    assert info["Title"] == "Taper Diary appointment summary"
    assert info["Creator"] == "Taper Diary"
    metadata = tool("pdfinfo", str(pdf)) + tool("pdfinfo", "-meta", str(pdf))
    for secret in ("Sam Patient", "lorazepam", "QUESTION", "Letting things"):
        assert secret not in metadata


def test_page_one_stays_one_page_when_many_notes_are_flagged(
    known_service: DiaryService, tmp_path: Path
) -> None:
    with known_service.batch("many flagged notes"):
        for offset in range(40, 60):
            known_service.record_checkin(day(offset), note=f"FLAGNOTE-{offset}", for_doctor=True)
    pdf = write(known_service, tmp_path / "r.pdf")
    page_one = pdf_text(pdf, 1, 1)
    assert "more flagged notes in the appendix" in page_one
    assert "Page 1 of" in page_one
    everything = pdf_text(pdf)
    assert all(f"FLAGNOTE-{offset}" in everything for offset in range(40, 60))


def test_a_period_before_the_diary_began_says_there_are_no_entries(
    known_service: DiaryService, tmp_path: Path
) -> None:
    pdf = write(known_service, tmp_path / "r.pdf", start=day(400), end=day(300))
    text = pdf_text(pdf)
    assert "There are no entries in the diary" in text
    assert "first entry is on" in text
    assert pdf_info(pdf)["Pages"] == "1"


def test_a_period_without_cuts_says_so(known_service: DiaryService, tmp_path: Path) -> None:
    text = pdf_text(write(known_service, tmp_path / "r.pdf", start=day(25), end=day(10)))
    assert "No cut, crossover step or reinstatement in this period." in text
    assert "lorazepam" in text


def test_impossible_periods_are_refused() -> None:
    with pytest.raises(ValidationError, match="before it starts"):
        ReportOptions(day(1), day(5)).checked(TODAY)
    with pytest.raises(ValidationError, match="after today"):
        ReportOptions(day(5), TODAY + dt.timedelta(days=1)).checked(TODAY)


def test_a_missing_folder_is_a_plain_error(known_service: DiaryService, tmp_path: Path) -> None:
    with pytest.raises(DiaryError, match="nothing was saved"):
        write(known_service, tmp_path / "no such folder" / "r.pdf")
    assert not (tmp_path / "no such folder").exists()


def test_a_failed_replace_leaves_neither_a_file_nor_a_temp_file(
    known_service: DiaryService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(source: Path, destination: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(atomic_write, "replace", refuse)
    with pytest.raises(DiaryError, match="Permission denied"):
        write(known_service, folder / "r.pdf")
    assert list(folder.iterdir()) == []


def test_letter_paper_is_the_default_in_the_us_and_canada_only() -> None:
    assert paper_for_country("US") is Paper.LETTER
    assert paper_for_country("ca") is Paper.LETTER
    assert paper_for_country("GB") is Paper.A4
    assert paper_for_country("") is Paper.A4
