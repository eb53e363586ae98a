"""What the person chose for one appointment summary: the period, the names to print, which
notes to share and the paper. Nothing here is stored unless the caller stores it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from diary.domain.errors import ValidationError
from diary.domain.validation import describe_date

LETTER_COUNTRIES = frozenset({"US", "CA"})
MAX_NAME_CHARACTERS = 80


class NotesChoice(StrEnum):
    FLAGGED = "flagged"  # only notes marked "show this to my doctor" (the default)
    ALL = "all"
    NONE = "none"


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


def paper_for_country(country_code: str) -> Paper:
    """Letter in the United States and Canada, A4 elsewhere."""
    return Paper.LETTER if country_code.upper() in LETTER_COUNTRIES else Paper.A4


@dataclass(frozen=True)
class ReportOptions:
    start: dt.date
    end: dt.date
    patient_name: str = ""
    prescriber_name: str = ""
    notes: NotesChoice = NotesChoice.FLAGGED
    daily_log: bool = False
    paper: Paper = Paper.A4

    def checked(self, today: dt.date) -> ReportOptions:
        """These options with the names tidied; a ValidationError for an impossible period."""
        if self.end < self.start:
            raise ValidationError(
                f"The period ends on {describe_date(self.end)}, before it starts on "
                f"{describe_date(self.start)}.",
                field="end",
            )
        if self.end > today:
            raise ValidationError(
                f"The period cannot end after today ({describe_date(today)}).", field="end"
            )
        return ReportOptions(
            start=self.start,
            end=self.end,
            patient_name=_name(self.patient_name, "patient's name"),
            prescriber_name=_name(self.prescriber_name, "prescriber's name"),
            notes=self.notes,
            daily_log=self.daily_log,
            paper=self.paper,
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _name(text: str, what: str) -> str:
    name = " ".join(text.split())
    if len(name) > MAX_NAME_CHARACTERS:
        raise ValidationError(
            f"The {what} is longer than {MAX_NAME_CHARACTERS} characters.", field=what
        )
    return name
