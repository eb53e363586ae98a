"""A known diary in tmp_path, and helpers that read the PDFs with the real poppler and qpdf
tools (scripts/system-deps.sh installs them in test mode)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from diary import bootstrap  # noqa: E402 - the platform must be chosen first
from diary.domain.models import ChangeKind, RegimenDose  # noqa: E402
from diary.services.diary_service import DiaryService  # noqa: E402
from diary.storage.keys import KdfParams  # noqa: E402

PASSPHRASE = "slow and steady wins"
TODAY = dt.date.today()
FLAGGED = "QUESTION-FOR-DR can we slow the next step"
PRIVATE = "PRIVATE-NOTE bought new running shoes"
LONG_TAIL = "TAILWORD-NEVER-PRINTED"


def day(offset: int) -> dt.date:
    """``offset`` days before today."""
    return TODAY - dt.timedelta(days=offset)


def lorazepam(morning: float, night: float) -> list[RegimenDose]:
    return [
        RegimenDose("lorazepam", morning, dt.time(8)),
        RegimenDose("lorazepam", night, dt.time(20)),
    ]


def write_known_diary(service: DiaryService) -> None:
    """Lorazepam 1 + 1 mg (20 mg DZ-eq by Ashton) from 80 days ago; a cut to 1 + 0.75 at
    day 50; a reinstatement to 1 + 1 at day 30 with a hold from 29 to 10 days ago; a cut to
    1 + 0.5 (15 mg, 25% below the start) 3 days ago. Anxiety and insomnia rated daily, one
    flagged note, one private note, and one flagged note far too long for a page."""
    with service.batch("a known diary"):
        service.set_regimen(lorazepam(1, 1), day(80))
        service.set_regimen(lorazepam(1, 0.75), day(50), ChangeKind.CUT)
        service.set_regimen(
            lorazepam(1, 1), day(30), ChangeKind.UPDOSE, "Could not sleep at all", True
        )
        service.set_regimen(lorazepam(1, 0.5), day(3), ChangeKind.CUT)
        for offset in range(79, -1, -1):
            worse = 32 <= offset <= 45
            service.record_checkin(
                day(offset),
                {"anxiety": 2 if worse else 1, "insomnia": 3 if worse else 1},
                wellbeing=6,
                sleep_hours=7.0,
            )
        service.record_checkin(day(20), note=FLAGGED, for_doctor=True)
        service.record_checkin(day(15), note=PRIVATE)
        long_note = "LONGNOTE " + "a rather long sentence about the week " * 120 + LONG_TAIL
        service.record_checkin(day(5), note=long_note, for_doctor=True)
    service.start_hold(day(29), "Letting things settle")
    service.end_hold(day(10))


@pytest.fixture
def known_diary(tmp_path: Path, fast_kdf: KdfParams) -> Path:
    path = tmp_path / "known.tpd"
    service, _ = bootstrap.create_diary(path, PASSPHRASE, kdf=fast_kdf)
    try:
        write_known_diary(service)
    finally:
        service.close()
    return path


@pytest.fixture
def known_service(known_diary: Path) -> Iterator[DiaryService]:
    service = bootstrap.open_diary(known_diary, passphrase=PASSPHRASE)
    yield service
    service.close()


def tool(name: str, *args: str) -> str:
    """Run a PDF tool; its output (stdout) as text."""
    if shutil.which(name) is None:
        pytest.fail(f"{name} is missing: run 'sh scripts/system-deps.sh test' (as root).")
    done = subprocess.run([name, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, (name, done.stderr)
    return done.stdout


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = []
    if first is not None:
        pages += ["-f", str(first)]
    if last is not None:
        pages += ["-l", str(last)]
    return tool("pdftotext", "-layout", *pages, str(path), "-")


def pdf_info(path: Path) -> dict[str, str]:
    info = {}
    for line in tool("pdfinfo", str(path)).splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info
