"""DiaryService: the one front door to a diary, used by both the CLI and the GUI.

Every mutation validates its input (raising ``ValidationError`` with one plain sentence and
changing nothing), writes in one transaction, saves the whole encrypted file before
returning, pushes an undo step, and returns a ``Changes`` naming what it touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from diary.domain.changes import Changes
from diary.domain.equivalence import (
    DEFAULT_TABLE,
    SETTING_TABLE,
    canonical_drug,
    diazepam_equivalent,
    get_table,
)
from diary.domain.errors import DiaryError, NotFound, NothingToUndo, ValidationError
from diary.domain.import_rules import (
    ExistingDiary,
    about,
    check_checkin_fields,
    check_dose,
    check_override,
    check_same_drug,
    plan_import,
)
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
from diary.domain.names import find_name, not_found, resolve_name
from diary.domain.records import DiaryRecords
from diary.domain.validation import (
    check_day_not_far_future,
    check_hold_dates,
    check_medication,
    check_no_overlap,
    check_note,
    check_regimen,
    check_severity,
    clean_name,
    describe_date,
)
from diary.services.ports import DiaryRecordsPort, DiaryStore
from diary.services.undo import UndoHistory

E = TypeVar("E", bound=StrEnum)

_CHANGE_WORDS = {
    ChangeKind.START: "start the regimen",
    ChangeKind.CUT: "record a cut",
    ChangeKind.UPDOSE: "record an updose",
    ChangeKind.CROSSOVER: "record a crossover step",
}


def local_now() -> dt.datetime:
    """Now, in the computer's time zone, with its UTC offset."""
    return dt.datetime.now().astimezone()


class DiaryService:
    def __init__(
        self,
        store: DiaryStore,
        now: Callable[[], dt.datetime] = local_now,
        history: UndoHistory | None = None,
    ) -> None:
        self._store: DiaryStore | None = store
        self._now = now
        self._history = history or UndoHistory()
        self._batch_label: str | None = None

    # ---- the file -------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self._open_store().path

    @property
    def generation(self) -> int:
        """The file's save counter (+1 on every save)."""
        return self._open_store().generation

    def close(self) -> None:
        """Drop the connection and keys and release the lock. The service is unusable after."""
        if self._store is not None:
            self._history.clear()
            self._store.close()
            self._store = None

    def change_passphrase(self, new_passphrase: str) -> None:
        if not new_passphrase.strip():
            raise ValidationError("The passphrase cannot be empty.", field="passphrase")
        self._open_store().change_passphrase(new_passphrase)

    def new_recovery_key(self) -> str:
        """Replace the recovery-key slot; the old key stops working. Returns the new key."""
        return self._open_store().new_recovery_key()

    def counts(self) -> dict[str, int]:
        """Record counts by kind, for ``verify``: medications, regimen_changes, doses, holds,
        checkins, ratings, symptoms, events."""
        return self._records.counts()

    def integrity_problems(self) -> list[str]:
        """A full integrity check of the diary and its backups; empty when all is sound."""
        return self._open_store().integrity_problems()

    # ---- batching and undo ----------------------------------------------------------
    @contextmanager
    def batch(self, label: str) -> Iterator[None]:
        """Group many mutations into one transaction, one save and one undo step."""
        if self._batch_label is not None:
            yield  # a batch inside a batch simply joins it
            return
        with self._change(label):
            self._batch_label = label
            try:
                yield
            finally:
                self._batch_label = None

    def undo(self) -> Changes:
        step = self._history.peek_undo()
        if step is None:
            raise NothingToUndo("There is nothing to undo.")
        store = self._outside_batch("undo")
        current = store.snapshot()
        store.restore(step.snapshot)
        self._history.undone(current)
        return Changes.everything(f"Undo {step.label}")

    def redo(self) -> Changes:
        step = self._history.peek_redo()
        if step is None:
            raise NothingToUndo("There is nothing to redo.")
        store = self._outside_batch("redo")
        current = store.snapshot()
        store.restore(step.snapshot)
        self._history.redone(current)
        return Changes.everything(f"Redo {step.label}")

    def undo_label(self) -> str | None:
        step = self._history.peek_undo()
        return None if step is None else step.label

    def redo_label(self) -> str | None:
        step = self._history.peek_redo()
        return None if step is None else step.label

    # ---- medications ----------------------------------------------------------------
    def add_medication(
        self,
        name: str,
        drug: str,
        form: Form = Form.TABLET,
        strength_mg: float | None = None,
        concentration_mg_ml: float | None = None,
    ) -> Changes:
        med = check_medication(
            Medication(name, drug, _enum(Form, form, "form"), strength_mg, concentration_mg_ml)
        )
        if self._records.medication(med.name) is not None:
            raise ValidationError(
                f'You already have a medication called "{med.name}".', field="name"
            )
        label = f"add medication {med.name}"
        with self._change(label):
            self._records.add_medication(med)
        return Changes(label, medications=True)

    def medications(self) -> list[Medication]:
        return self._records.medications()

    # ---- regimen --------------------------------------------------------------------
    def set_regimen(
        self,
        doses: Sequence[RegimenDose],
        date: dt.date,
        kind: ChangeKind = ChangeKind.START,
        reason: str = "",
        prescriber_involved: bool = False,
    ) -> Changes:
        """Record the whole regimen in force from ``date`` (replacing a change on that date)."""
        kind = _enum(ChangeKind, kind, "kind")
        checked = tuple(self._with_stored_medication(d) for d in check_regimen(doses))
        reason = check_note(reason, "reason")
        change = RegimenChange(date, kind, checked, reason, prescriber_involved)
        label = f"{_CHANGE_WORDS[kind]} on {describe_date(date)}"
        with self._change(label):
            self._records.put_regimen(change)
        return Changes(label, regimen=True)

    def regimen_on(self, date: dt.date) -> RegimenChange | None:
        return self._records.regimen_on(date)

    def regimen_history(self) -> list[RegimenChange]:
        return self._records.regimen_history()

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
    ) -> Changes:
        med = self._medication(medication)
        moment = self._now() if taken_at is None else taken_at
        dose = Dose(moment, med.name, mg, ml, note, _enum(DoseKind, kind, "kind"), planned_time)
        dose = check_dose(dose, med, self._now())
        label = f"record {mg:g} mg of {med.name}"
        with self._change(label):
            self._records.add_doses([dose])
        return Changes(label, doses=True)

    def take_as_planned(self, day: dt.date) -> Changes:
        """One call: record every regimen dose of ``day`` as taken at its planned time."""
        check_day_not_far_future(day, self._now().date(), "Taking doses as planned")
        regimen = self._records.regimen_on(day)
        if regimen is None or not regimen.doses:
            raise ValidationError(
                f"There is no regimen in force on {describe_date(day)} to take as planned.",
                field="date",
            )
        already = {
            (d.planned_time, self._medication(d.medication).drug)
            for d in self._records.doses_on(day)
            if d.planned_time is not None
        }
        doses = [
            self._planned_dose(day, planned)
            for planned in regimen.doses
            if (planned.time, planned.drug) not in already
        ]
        if not doses:
            raise ValidationError(
                f"Every planned dose of {describe_date(day)} is already recorded.", field="date"
            )
        label = f"take doses as planned on {describe_date(day)}"
        with self._change(label):
            self._records.add_doses(doses)
        return Changes(label, doses=True)

    def delete_dose(self, dose_id: int) -> Changes:
        dose = self._records.dose(dose_id)
        if dose is None:
            raise NotFound(f"There is no dose number {dose_id} in this diary.", field="dose")
        label = f"delete the dose of {dose.medication} at {dose.taken_at:%H:%M}"
        with self._change(label):
            self._records.delete_dose(dose_id)
        return Changes(label, doses=True)

    def doses_on(self, day: dt.date) -> list[Dose]:
        return self._records.doses_on(day)

    # ---- holds ----------------------------------------------------------------------
    def start_hold(self, start: dt.date, reason: str = "") -> Changes:
        check_day_not_far_future(start, self._now().date(), "A hold")
        hold = Hold(start, None, check_note(reason, "reason"))
        check_no_overlap(hold, self._records.holds())
        label = f"start a hold on {describe_date(start)}"
        with self._change(label):
            self._records.add_holds([hold])
        return Changes(label, holds=True)

    def end_hold(self, end: dt.date) -> Changes:
        current = next((h for h in self._records.holds() if h.end is None), None)
        if current is None or current.id is None:
            raise ValidationError("There is no hold going on to end.", field="end")
        check_hold_dates(current.start, end)
        label = f"end the hold on {describe_date(end)}"
        with self._change(label):
            self._records.set_hold_end(current.id, end)
        return Changes(label, holds=True)

    def holds(self) -> list[Hold]:
        return self._records.holds()

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
        check_day_not_far_future(day, self._now().date(), "A check-in")
        names = [s.name for s in self._records.symptoms(include_untracked=True)]
        checked_ratings: dict[str, int] = {}
        for name, severity in (ratings or {}).items():
            known = resolve_name("symptom", name, names, field="ratings")
            checked_ratings[known] = check_severity(severity, known)
        if not checked_ratings and (wellbeing, sleep_hours, note, for_doctor) == (None,) * 4:
            raise ValidationError(f"There is nothing to record for {describe_date(day)}.")
        old = self._records.checkin(day) or CheckIn(day)
        merged = CheckIn(
            day,
            {**old.ratings, **checked_ratings},
            old.wellbeing if wellbeing is None else wellbeing,
            old.sleep_hours if sleep_hours is None else sleep_hours,
            old.note if note is None else note,
            old.for_doctor if for_doctor is None else for_doctor,
        )
        check_checkin_fields(merged)
        label = f"check-in for {describe_date(day)}"
        with self._change(label):
            self._records.put_checkins([merged])
        return Changes(label, checkins=True)

    def checkin(self, day: dt.date) -> CheckIn | None:
        return self._records.checkin(day)

    def delete_day(self, day: dt.date) -> Changes:
        """Delete everything logged on ``day``: its check-in, doses and events."""
        label = f"delete {describe_date(day)}"
        with self._change(label):
            if not self._records.delete_day(day):
                raise NotFound(f"Nothing is logged on {describe_date(day)}.", field="date")
        return Changes(label, doses=True, checkins=True, events=True)

    def symptoms(self, include_retired: bool = False) -> list[Symptom]:
        """Tracked symptoms in their order; with ``include_retired`` also those switched off."""
        return self._records.symptoms(include_untracked=include_retired)

    def add_symptom(self, name: str) -> Changes:
        name = clean_name(name, "symptom name")
        existing = find_name(name, [s.name for s in self._records.symptoms(True)])
        if existing is not None:
            raise ValidationError(
                f'"{existing}" is already in your list of symptoms.', field="name"
            )
        label = f"add symptom {name}"
        with self._change(label):
            self._records.add_symptoms([Symptom(name, 0, tracked=True, custom=True)])
        return Changes(label, symptoms=True)

    def set_symptom_tracked(self, name: str, tracked: bool) -> Changes:
        symptoms = {s.name: s for s in self._records.symptoms(True)}
        known = resolve_name("symptom", name, symptoms, field="name")
        label = f"{'track' if tracked else 'stop tracking'} {known}"
        if symptoms[known].tracked == tracked:
            return Changes(label)
        with self._change(label):
            self._records.set_symptom_tracked(known, tracked)
        return Changes(label, symptoms=True)

    # ---- events ---------------------------------------------------------------------
    def add_event(self, day: dt.date, kind: EventKind, title: str, note: str = "") -> Changes:
        event = Event(
            day, _enum(EventKind, kind, "kind"), clean_name(title, "title"), check_note(note)
        )
        label = f"add event {event.title}"
        with self._change(label):
            self._records.add_events([event])
        return Changes(label, events=True)

    def events(self) -> list[Event]:
        return self._records.events()

    # ---- equivalence ----------------------------------------------------------------
    def equivalence_table(self) -> str:
        return self._records.setting(SETTING_TABLE) or DEFAULT_TABLE

    def set_equivalence_table(self, name: str) -> Changes:
        table = get_table(name)
        label = f"use the {table.title} table"
        with self._change(label):
            self._records.put_setting(SETTING_TABLE, table.name)
        return Changes(label, settings=True)

    def set_equivalence_override(self, drug: str, mg_per_10mg_diazepam: float | None) -> Changes:
        """Set (or with None, remove) the user's own amount of ``drug`` equal to 10 mg
        diazepam, as their prescriber uses."""
        overrides = self._records.equivalence_overrides()
        if mg_per_10mg_diazepam is None:
            drug = canonical_drug(drug)
            overrides.pop(drug, None)
            label = f"remove the own value for {drug}"
        else:
            drug, value = check_override(drug, mg_per_10mg_diazepam)
            overrides[drug] = value
            label = f"set {value:g} mg {drug} as equal to 10 mg diazepam"
        with self._change(label):
            self._records.put_equivalence_overrides(overrides)
        return Changes(label, settings=True)

    def equivalence_overrides(self) -> dict[str, float]:
        return self._records.equivalence_overrides()

    def diazepam_equivalent(self, drug: str, mg: float) -> float:
        """``mg`` of ``drug`` in mg diazepam, by the diary's table and the user's overrides."""
        return diazepam_equivalent(
            drug, mg, self.equivalence_table(), self._records.equivalence_overrides()
        )

    # ---- overview, export, import ---------------------------------------------------
    def day_summaries(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[DaySummary]:
        """Days with anything logged, newest first."""
        return self._records.day_summaries(start, end)

    def all_records(self) -> DiaryRecords:
        records = self._records
        return DiaryRecords(
            medications=tuple(records.medications()),
            regimen_changes=tuple(records.regimen_history()),
            doses=tuple(records.all_doses()),
            holds=tuple(records.holds()),
            symptoms=tuple(records.symptoms(include_untracked=True)),
            checkins=tuple(records.all_checkins()),
            events=tuple(records.events()),
            settings=records.settings(),
        )

    def import_records(self, records: DiaryRecords) -> Changes:
        """All or nothing: validate every record first (naming the bad one), then add them."""
        plan = plan_import(records, self._existing(), self._now())
        label = "import"
        with self._change(label):
            repo = self._records
            for med in plan.new_medications:
                repo.add_medication(med)
            repo.add_symptoms(plan.new_symptoms)
            for name, tracked in plan.tracked.items():
                repo.set_symptom_tracked(name, tracked)
            for change in plan.regimen_changes:
                repo.put_regimen(change)
            repo.add_doses(plan.doses)
            repo.add_holds(plan.holds)
            repo.put_checkins(plan.checkins)
            repo.add_events(plan.events)
            for key, value in plan.settings.items():
                repo.put_setting(key, value)
        return Changes.everything(label)

    # ---- helpers --------------------------------------------------------------------
    @property
    def _records(self) -> DiaryRecordsPort:
        return self._open_store().records

    def _open_store(self) -> DiaryStore:
        if self._store is None:
            raise DiaryError("The diary is closed; unlock it again to continue.")
        return self._store

    def _outside_batch(self, action: str) -> DiaryStore:
        if self._batch_label is not None:
            raise DiaryError(f"You cannot {action} in the middle of a change.")
        return self._open_store()

    @contextmanager
    def _change(self, label: str) -> Iterator[None]:
        """One write unit and, outside a batch, one undo step labelled ``label``."""
        store = self._open_store()
        if self._batch_label is not None:
            with store.write():
                yield
            return
        before = store.snapshot()
        with store.write():
            yield
        self._history.record(label, before)

    def _medication(self, name: str) -> Medication:
        med = self._records.medication(name.strip())
        if med is None:
            names = [m.name for m in self._records.medications()]
            raise not_found("medication", name, names, field="medication")
        return med

    def _with_stored_medication(self, dose: RegimenDose) -> RegimenDose:
        if dose.medication is None:
            return dose
        med = self._medication(dose.medication)
        with about(f"At {dose.time:%H:%M}"):
            check_same_drug(med, dose.drug)
        return RegimenDose(dose.drug, dose.mg, dose.time, med.name)

    def _planned_dose(self, day: dt.date, planned: RegimenDose) -> Dose:
        med = self._medication_for_regimen(planned)
        taken_at = dt.datetime.combine(day, planned.time).astimezone()  # local offset that day
        return Dose(taken_at, med.name, planned.mg, None, "", DoseKind.AS_PLANNED, planned.time)

    def _medication_for_regimen(self, planned: RegimenDose) -> Medication:
        if planned.medication is not None:
            return self._medication(planned.medication)
        matching = [m for m in self._records.medications() if m.drug == planned.drug]
        if len(matching) == 1:
            return matching[0]
        if not matching:
            raise ValidationError(
                f"Please add a medication for {planned.drug} first, so the diary knows what "
                f"you take at {planned.time:%H:%M}.",
                field="medication",
            )
        names = ", ".join(m.name for m in matching)
        raise ValidationError(
            f"You have more than one medication for {planned.drug} ({names}); please name the "
            f"one you take at {planned.time:%H:%M} in the regimen.",
            field="medication",
        )

    def _existing(self) -> ExistingDiary:
        records = self._records
        return ExistingDiary(
            medications=tuple(records.medications()),
            symptoms=tuple(records.symptoms(include_untracked=True)),
            regimen_dates=frozenset(c.date for c in records.regimen_history()),
            checkin_dates=frozenset(records.checkin_dates()),
            holds=tuple(records.holds()),
            dose_keys=frozenset((d.taken_at, d.medication.casefold()) for d in records.all_doses()),
        )


def _enum(kind: type[E], value: str, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise ValidationError(
            f'"{value}" is not a valid {field}; choose one of: {choices}.', field=field
        ) from None
