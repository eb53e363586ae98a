"""DiaryService: the one front door to a diary, used by both the CLI and the GUI.

Every mutation validates its input (raising ``ValidationError`` with one plain sentence and
changing nothing), writes in one transaction, saves the whole encrypted file before
returning, pushes an undo step, and returns a ``Changes`` naming what it touched.

INTERFACE CONTRACT (signatures are fixed; bodies are being filled in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from diary.domain.changes import Changes
from diary.domain.models import (
    ChangeKind,
    CheckIn,
    DaySummary,
    Dose,
    DoseKind,
    Event,
    EventKind,
    Form,
    Hold,
    Medication,
    RegimenChange,
    RegimenDose,
    Symptom,
)
from diary.domain.records import DiaryRecords


class DiaryService:
    # ---- the file -------------------------------------------------------------------
    @property
    def path(self) -> Path: ...
    @property
    def generation(self) -> int:
        """The file's save counter (+1 on every save)."""
        ...

    def close(self) -> None:
        """Drop the connection and keys and release the lock. The service is unusable after."""

    def change_passphrase(self, new_passphrase: str) -> None: ...
    def new_recovery_key(self) -> str:
        """Replace the recovery-key slot; the old key stops working. Returns the new key."""
        ...

    def counts(self) -> dict[str, int]:
        """Record counts by kind, for ``verify``: medications, regimen_changes, doses, holds,
        checkins, ratings, symptoms, events."""
        ...

    # ---- batching and undo ----------------------------------------------------------
    @contextmanager
    def batch(self, label: str) -> Iterator[None]:
        """Group many mutations into one transaction, one save and one undo step."""
        yield

    def undo(self) -> Changes: ...
    def redo(self) -> Changes: ...
    def undo_label(self) -> str | None: ...
    def redo_label(self) -> str | None: ...

    # ---- medications ----------------------------------------------------------------
    def add_medication(
        self,
        name: str,
        drug: str,
        form: Form = Form.TABLET,
        strength_mg: float | None = None,
        concentration_mg_ml: float | None = None,
    ) -> Changes: ...
    def medications(self) -> list[Medication]: ...

    # ---- regimen --------------------------------------------------------------------
    def set_regimen(
        self,
        doses: Sequence[RegimenDose],
        date: dt.date,
        kind: ChangeKind = ChangeKind.START,
        reason: str = "",
        prescriber_involved: bool = False,
    ) -> Changes: ...
    def regimen_on(self, date: dt.date) -> RegimenChange | None: ...
    def regimen_history(self) -> list[RegimenChange]: ...

    # ---- doses ----------------------------------------------------------------------
    def add_dose(
        self,
        medication: str,
        mg: float,
        taken_at: dt.datetime | None = None,
        ml: float | None = None,
        note: str = "",
        kind: DoseKind = DoseKind.EXTRA,
        planned_time: dt.time | None = None,
    ) -> Changes: ...
    def take_as_planned(self, day: dt.date) -> Changes:
        """One call: record every regimen dose of ``day`` as taken at its planned time."""
        ...

    def delete_dose(self, dose_id: int) -> Changes: ...
    def doses_on(self, day: dt.date) -> list[Dose]: ...

    # ---- holds ----------------------------------------------------------------------
    def start_hold(self, start: dt.date, reason: str = "") -> Changes: ...
    def end_hold(self, end: dt.date) -> Changes: ...
    def holds(self) -> list[Hold]: ...

    # ---- check-ins and symptoms -----------------------------------------------------
    def record_checkin(
        self,
        day: dt.date,
        ratings: Mapping[str, int] | None = None,
        wellbeing: int | None = None,
        sleep_hours: float | None = None,
        note: str | None = None,
        for_doctor: bool | None = None,
    ) -> Changes:
        """Merge into the day's check-in: arguments left as None keep what was there."""
        ...

    def checkin(self, day: dt.date) -> CheckIn | None: ...
    def delete_day(self, day: dt.date) -> Changes: ...
    def symptoms(self, include_retired: bool = False) -> list[Symptom]: ...
    def add_symptom(self, name: str) -> Changes: ...
    def set_symptom_tracked(self, name: str, tracked: bool) -> Changes: ...

    # ---- events ---------------------------------------------------------------------
    def add_event(self, day: dt.date, kind: EventKind, title: str, note: str = "") -> Changes: ...
    def events(self) -> list[Event]: ...

    # ---- equivalence ----------------------------------------------------------------
    def equivalence_table(self) -> str: ...
    def set_equivalence_table(self, name: str) -> Changes: ...
    def set_equivalence_override(self, drug: str, mg_per_10mg_diazepam: float | None) -> Changes: ...
    def equivalence_overrides(self) -> dict[str, float]: ...

    # ---- overview, export, import ---------------------------------------------------
    def day_summaries(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[DaySummary]:
        """Days with anything logged, newest first."""
        ...

    def all_records(self) -> DiaryRecords: ...
    def import_records(self, records: DiaryRecords) -> Changes:
        """All or nothing: validate every record first (naming the bad one), then add them."""
        ...
