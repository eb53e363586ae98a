"""The diary's records as plain, immutable dataclasses.

"Not logged" is ``None`` (or an absent key), never 0: a day without a check-in is missing
data, not a symptom-free day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from diary.domain.errors import ValidationError


class Form(StrEnum):
    TABLET = "tablet"
    CAPSULE = "capsule"
    LIQUID = "liquid"


class ChangeKind(StrEnum):
    START = "start"
    CUT = "cut"
    UPDOSE = "updose"  # an updose or reinstatement: a legitimate, often protective step
    CROSSOVER = "crossover"


class DoseKind(StrEnum):
    AS_PLANNED = "as_planned"  # recorded with "taken as planned"
    ADJUSTED = "adjusted"  # a planned dose taken at another amount or time
    EXTRA = "extra"  # not in the regimen
    NOT_TAKEN = "not_taken"  # a planned dose recorded as not taken (mg is 0)


class EventKind(StrEnum):
    APPOINTMENT = "appointment"
    ILLNESS = "illness"
    LIFE_EVENT = "life_event"
    NOTE = "note"


SEVERITY_WORDS = ("none", "mild", "moderate", "severe", "very severe")

DEFAULT_SYRINGE_ML = 0.1


@dataclass(frozen=True)
class Medication:
    """A product the person takes. ``split`` and ``syringe_ml`` say how finely it can be
    measured; a retired medication is no longer taken but keeps its doses in the history.

    The fields after ``id`` came later: callers that pass ``id`` by position still work.
    """

    name: str
    drug: str
    form: Form = Form.TABLET
    strength_mg: float | None = None  # tablet or capsule strength
    concentration_mg_ml: float | None = None  # liquids only
    id: int | None = None
    split: int = 1  # tablets: 1 whole only, 2 halves, 4 quarters
    syringe_ml: float = DEFAULT_SYRINGE_ML  # liquids: the marks of the measuring syringe
    retired: bool = False


@dataclass(frozen=True)
class RegimenDose:
    """One dose time of the regimen: ``mg`` of ``drug`` at ``time``."""

    drug: str
    mg: float
    time: dt.time
    medication: str | None = None  # medication name, when the regimen names a product


@dataclass(frozen=True)
class RegimenChange:
    """The whole regimen in force from ``date`` until the next change."""

    date: dt.date
    kind: ChangeKind
    doses: tuple[RegimenDose, ...]
    reason: str = ""
    prescriber_involved: bool = False
    id: int | None = None


@dataclass(frozen=True)
class Dose:
    """A dose actually taken (or recorded as not taken). Planned and taken stay distinct."""

    taken_at: dt.datetime  # timezone-aware: the UTC offset is kept
    medication: str
    mg: float
    ml: float | None = None
    note: str = ""
    kind: DoseKind = DoseKind.EXTRA
    planned_time: dt.time | None = None
    id: int | None = None

    @property
    def local_date(self) -> dt.date:
        return self.taken_at.date()


@dataclass(frozen=True)
class Hold:
    start: dt.date
    end: dt.date | None = None  # None: the hold is still going on
    reason: str = ""
    id: int | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Symptom:
    name: str
    position: int
    tracked: bool = True
    custom: bool = False
    id: int | None = None


@dataclass(frozen=True)
class CheckIn:
    """One day's self-report. Absent ratings and ``None`` fields mean "not logged"."""

    date: dt.date
    ratings: dict[str, int] = field(default_factory=dict)  # symptom name -> 0..4
    wellbeing: int | None = None  # 0..10
    sleep_hours: float | None = None
    note: str = ""
    for_doctor: bool = False


@dataclass(frozen=True)
class Event:
    date: dt.date
    kind: EventKind
    title: str
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class DaySummary:
    """One row of the day list: what was logged on ``date``. ``None`` means not logged."""

    date: dt.date
    dose_count: int
    total_mg_by_drug: dict[str, float]
    rated_symptoms: int
    burden_percent: float | None  # severities as % of their maximum, over rated symptoms only
    wellbeing: int | None
    sleep_hours: float | None
    note: str
    for_doctor: bool
    in_hold: bool
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackupInfo:
    """One encrypted backup beside the diary, as the Settings page lists it."""

    id: str  # pass to ``DiaryService.restore_backup``
    generation: int  # the save counter of the copy (0: a damaged file set aside)
    saved_at: dt.datetime  # timezone-aware (UTC)


SETTING_REMINDERS_ENABLED = "reminders_enabled"
SETTING_REMINDERS_SHOW_DETAILS = "reminders_show_details"
_TRUE, _FALSE = "true", "false"


@dataclass(frozen=True)
class ReminderSettings:
    """Dose reminders (off by default). ``show_details``: a notification may name the drug
    and amount; otherwise it says only that a dose is due."""

    enabled: bool = False
    show_details: bool = False

    def as_settings(self) -> dict[str, str]:
        return {
            SETTING_REMINDERS_ENABLED: _TRUE if self.enabled else _FALSE,
            SETTING_REMINDERS_SHOW_DETAILS: _TRUE if self.show_details else _FALSE,
        }

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> ReminderSettings:
        """Stored values where present, off for the rest."""
        return cls(
            enabled=settings.get(SETTING_REMINDERS_ENABLED) == _TRUE,
            show_details=settings.get(SETTING_REMINDERS_SHOW_DETAILS) == _TRUE,
        )


SETTING_REPORT_PATIENT = "report_patient_name"
SETTING_REPORT_PRESCRIBER = "report_prescriber_name"
REPORT_NAME_MAX = 80  # what the appointment summary prints (diary.report.options)


@dataclass(frozen=True)
class ReportNames:
    """The names printed on the appointment summary, kept in the diary only when the user
    asks (empty: not kept)."""

    patient: str = ""
    prescriber: str = ""

    def checked(self) -> ReportNames:
        """The names as the report prints them (spaces tidied); a ValidationError when one is
        longer than the report allows."""
        names = ReportNames(" ".join(self.patient.split()), " ".join(self.prescriber.split()))
        for name, what in (
            (names.patient, "Your name"),
            (names.prescriber, "The prescriber's name"),
        ):
            if len(name) > REPORT_NAME_MAX:
                raise ValidationError(
                    f"{what} is {len(name)} characters long; the most is {REPORT_NAME_MAX}.",
                    field="report_names",
                )
        return names

    def as_settings(self) -> dict[str, str]:
        return {SETTING_REPORT_PATIENT: self.patient, SETTING_REPORT_PRESCRIBER: self.prescriber}

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> ReportNames:
        """Stored names where present, empty for the rest."""
        return cls(
            patient=settings.get(SETTING_REPORT_PATIENT, ""),
            prescriber=settings.get(SETTING_REPORT_PRESCRIBER, ""),
        )


def is_flag_text(value: str) -> bool:
    """Whether ``value`` is how a yes/no setting is stored."""
    return value in (_TRUE, _FALSE)
