"""Everything in a diary as plain records: what export writes and import reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from diary.domain.models import CheckIn, Dose, Event, Hold, Medication, RegimenChange, Symptom
from diary.domain.taper.plan_record import PlanRecord


@dataclass(frozen=True)
class DiaryRecords:
    medications: tuple[Medication, ...] = ()
    regimen_changes: tuple[RegimenChange, ...] = ()
    doses: tuple[Dose, ...] = ()
    holds: tuple[Hold, ...] = ()
    symptoms: tuple[Symptom, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    events: tuple[Event, ...] = ()
    settings: dict[str, str] = field(default_factory=dict)  # table, overrides, thresholds, ...
    plans: tuple[PlanRecord, ...] = ()  # oldest first, with their stored steps and status
