"""DiaryService: the one front door to a diary, used by both the CLI and the GUI.

Every mutation validates its input (raising ``ValidationError`` with one plain sentence and
changing nothing), writes in one transaction, saves the whole encrypted file before
returning, pushes an undo step, and returns a ``Changes`` naming what it touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
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
    DEFAULT_SYRINGE_ML,
    BackupInfo,
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
    ReminderSettings,
    ReportNames,
    Symptom,
)
from diary.domain.names import find_name, not_found, resolve_name
from diary.domain.records import DiaryRecords
from diary.domain.taper.history import DayDose, daily_diazepam_series, diazepam_by_drug
from diary.domain.taper.measurable import Product, cannot_measure, is_measurable
from diary.domain.taper.plan_record import PlanRecord, PlanStatus, scheduled_steps
from diary.domain.taper.plans import (
    NEVER_INCREASES,
    PlanSpec,
    PlanStep,
    StepKind,
    plan_end,
    rebase,
)
from diary.domain.taper.products import Handling, products_from
from diary.domain.taper.rates import dz_timeline, taper_figures
from diary.domain.taper.warnings import (
    SHORT_TAPER,
    TaperWarning,
    Thresholds,
    cut_warnings,
    plan_warnings,
)
from diary.domain.validation import (
    check_day_not_far_future,
    check_hold_dates,
    check_no_overlap,
    check_note,
    check_regimen,
    check_severity,
    clean_name,
    describe_date,
)
from diary.services.day_edits import cleared_checkin, describe_cleared, edited_dose
from diary.services.importing import (
    as_compared_by_import_rules,
    check_extras,
    symptom_order,
    with_file_handling,
)
from diary.services.medication_rules import checked_medication, handling_by_name
from diary.services.planning import (
    PlanSummary,
    TaperStatus,
    TimelineEntry,
    preview_steps,
    timeline,
)
from diary.services.ports import DiaryRecordsPort, DiaryStore
from diary.services.stability_report import StabilityReport, build_report
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
        """A new recovery key, made by rotating the data key: the diary and every backup are
        re-encrypted, so the old recovery key opens nothing any more. The passphrase stays.
        Returns the new key, formatted for display (show it once)."""
        return self._outside_batch("make a new recovery key").new_recovery_key()

    def rotate_keys(self, new_passphrase: str | None = None) -> str:
        """ "My passphrase may be known": a new data key, passphrase slot and recovery key; the
        diary and every backup are re-encrypted, so neither the old passphrase nor the old
        recovery key opens anything in the diary folder. ``new_passphrase`` None keeps the
        passphrase (a diary unlocked with the recovery key must give one). Returns the new
        recovery key, formatted for display. Undo is unaffected: it restores data, not keys.

        RotationIncomplete when the diary is re-keyed but some backups are not yet: calling
        this again finishes them."""
        if new_passphrase is not None and not new_passphrase.strip():
            raise ValidationError("The passphrase cannot be empty.", field="passphrase")
        return self._outside_batch("change the keys").rotate_keys(new_passphrase)

    def counts(self) -> dict[str, int]:
        """Record counts by kind, for ``verify``: medications, regimen_changes, doses, holds,
        checkins, ratings, symptoms, events, plans."""
        return self._records.counts()

    # ---- backups --------------------------------------------------------------------
    def backups(self) -> list[BackupInfo]:
        """The encrypted backups kept beside the diary, newest first."""
        return self._open_store().backups()

    def backup_folder(self) -> Path:
        """Where the backups are kept (it may not exist before the second save)."""
        return self._open_store().backup_folder()

    def restore_backup(self, backup_id: str) -> Changes:
        """Replace the whole diary by one backup (NotFound for an unknown id). The backup is
        decrypted with the keys held and checked before anything is written, then saved as a
        new generation: the diary as it was becomes a backup too, and Undo brings it back."""
        store = self._outside_batch("restore a backup")
        found = next((b for b in store.backups() if b.id == backup_id), None)
        if found is None:
            raise NotFound(
                f"There is no backup called {backup_id!r} beside this diary.", field="backup"
            )
        data = store.read_backup(found.id)
        local = found.saved_at.astimezone()
        label = f"restore backup from {describe_date(local.date())}, {local:%H:%M}"
        before = store.snapshot()
        store.restore(data)  # DamagedFile or NewerFormat before any write if it is unsound
        self._history.record(label, before)
        return Changes.everything(label)

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
        split: int = 1,
        syringe_ml: float = DEFAULT_SYRINGE_ML,
    ) -> Changes:
        """``split``: 1 whole tablets only, 2 halves, 4 quarters; ``syringe_ml``: the marks of
        the syringe a liquid is measured with."""
        form = _enum(Form, form, "form")
        med = checked_medication(
            Medication(name, drug, form, strength_mg, concentration_mg_ml, None, split, syringe_ml)
        )
        if self._records.medication(med.name) is not None:
            raise ValidationError(
                f'You already have a medication called "{med.name}".', field="name"
            )
        label = f"add medication {med.name}"
        with self._change(label):
            self._records.add_medication(med)
        return Changes(label, medications=True)

    def update_medication(
        self,
        name: str,
        strength_mg: float | None = None,
        concentration_mg_ml: float | None = None,
        split: int | None = None,
        syringe_ml: float | None = None,
    ) -> Changes:
        """Change how a medication comes (tablet strength, liquid concentration, splitting,
        syringe); arguments left as None keep what was there. Its drug and form stay: recorded
        doses and regimens depend on them (add a new medication instead). Stored plans keep
        the steps they were made with."""
        old = self._medication(name)
        med = checked_medication(
            replace(
                old,
                strength_mg=old.strength_mg if strength_mg is None else strength_mg,
                concentration_mg_ml=(
                    old.concentration_mg_ml if concentration_mg_ml is None else concentration_mg_ml
                ),
                split=old.split if split is None else split,
                syringe_ml=old.syringe_ml if syringe_ml is None else syringe_ml,
            )
        )
        label = f"change medication {old.name}"
        if med == old:
            return Changes(label)
        with self._change(label):
            self._records.update_medication(old.name, med)
        return Changes(label, medications=True)

    def rename_medication(self, name: str, new_name: str) -> Changes:
        """Give a medication another name; its recorded doses and regimens follow it."""
        old = self._medication(name)
        med = checked_medication(replace(old, name=new_name))
        clash = self._records.medication(med.name)
        if clash is not None and clash.id != old.id:
            raise ValidationError(
                f'You already have a medication called "{clash.name}".', field="name"
            )
        label = f"rename {old.name} to {med.name}"
        if med.name == old.name:
            return Changes(label)
        with self._change(label):
            self._records.update_medication(old.name, med)
        return Changes(label, medications=True)

    def set_medication_retired(self, name: str, retired: bool = True) -> Changes:
        """Retire a medication no longer taken (or bring it back). A retired one is left out of
        the medications offered and of the products plans measure with; its recorded doses and
        regimen entries stay in the history, with its name."""
        old = self._medication(name)
        label = f"{'retire' if retired else 'bring back'} {old.name}"
        if old.retired == retired:
            return Changes(label)
        with self._change(label):
            self._records.update_medication(old.name, replace(old, retired=retired))
        return Changes(label, medications=True)

    def medication_handling(self) -> dict[str, Handling]:
        """How finely each medication can be taken (tablet splitting, syringe marks), by name.
        The same as each ``Medication``'s ``split`` and ``syringe_ml``."""
        return handling_by_name(self._records.medications(include_retired=True))

    def products(self) -> list[Product]:
        """What the person's medications in use can measure, for plans and cuts."""
        medications = self._records.medications(include_retired=False)
        return products_from(medications, handling_by_name(medications))

    def medications(self, include_retired: bool = False) -> list[Medication]:
        """Medications in use, by name; with ``include_retired`` also the retired ones."""
        return self._records.medications(include_retired=include_retired)

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
        doses = self._unrecorded_planned_doses(day, regimen.doses)
        if not doses:
            raise ValidationError(
                f"Every planned dose of {describe_date(day)} is already recorded.", field="date"
            )
        label = f"take doses as planned on {describe_date(day)}"
        with self._change(label):
            self._records.add_doses(doses)
        return Changes(label, doses=True)

    def take_planned_dose(self, day: dt.date, planned_time: dt.time) -> Changes:
        """Record the regimen's doses at ``planned_time`` on ``day`` as taken as planned
        (every drug planned at that time and not yet recorded; a reminder's one click)."""
        check_day_not_far_future(day, self._now().date(), "A dose")
        regimen = self._records.regimen_on(day)
        at_time = [d for d in (regimen.doses if regimen else ()) if d.time == planned_time]
        if not at_time:
            raise ValidationError(
                f"There is no planned dose at {planned_time:%H:%M} on {describe_date(day)}.",
                field="planned_time",
            )
        doses = self._unrecorded_planned_doses(day, at_time)
        if not doses:
            raise ValidationError(
                f"The {planned_time:%H:%M} dose of {describe_date(day)} is already recorded.",
                field="planned_time",
            )
        label = f"take the {planned_time:%H:%M} dose"
        if day != self._now().date():
            label += f" on {describe_date(day)}"
        with self._change(label):
            self._records.add_doses(doses)
        return Changes(label, doses=True)

    def _unrecorded_planned_doses(self, day: dt.date, planned: Sequence[RegimenDose]) -> list[Dose]:
        """The doses of ``planned`` not yet recorded on ``day`` (taken or not), as taken."""
        already = {
            (d.planned_time, self._medication(d.medication).drug)
            for d in self._records.doses_on(day)
            if d.planned_time is not None
        }
        return [
            self._planned_dose(day, dose)
            for dose in planned
            if (dose.time, dose.drug) not in already
        ]

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

    def move_symptom(self, name: str, new_position: int) -> Changes:
        """Move a symptom to ``new_position`` (0 first) in the order of
        ``symptoms(include_retired=True)``; the others keep their order around it."""
        symptoms = [s.name for s in self._records.symptoms(include_untracked=True)]
        known = resolve_name("symptom", name, symptoms, field="name")
        last = len(symptoms) - 1
        if isinstance(new_position, bool) or not isinstance(new_position, int):
            raise ValidationError("The new position must be a whole number.", field="position")
        if not 0 <= new_position <= last:
            raise ValidationError(
                f"The new position must be from 0 to {last} (got {new_position}).",
                field="position",
            )
        label = f"move {known}"
        order = [other for other in symptoms if other != known]
        order.insert(new_position, known)
        if order == symptoms:
            return Changes(label)
        with self._change(label):
            self._records.set_symptom_order(order)
        return Changes(label, symptoms=True)

    def rename_symptom(self, name: str, new_name: str) -> Changes:
        """Rename a symptom you added yourself; its ratings follow it. Symptoms of the standard
        list keep their names, so that reports read the same for every user."""
        symptoms = {s.name: s for s in self._records.symptoms(include_untracked=True)}
        known = resolve_name("symptom", name, symptoms, field="name")
        if not symptoms[known].custom:
            raise ValidationError(
                f'"{known}" is from the standard list, so it keeps its name; you can stop '
                "tracking it and add your own instead.",
                field="name",
            )
        new_name = clean_name(new_name, "symptom name")
        clash = next(
            (s for s in symptoms if s.casefold() == new_name.casefold() and s != known), None
        )
        if clash is not None:
            raise ValidationError(f'"{clash}" is already in your list of symptoms.', field="name")
        label = f"rename {known} to {new_name}"
        if new_name == known:
            return Changes(label)
        with self._change(label):
            self._records.rename_symptom(known, new_name)
        return Changes(label, symptoms=True, checkins=True)

    # ---- reminders ------------------------------------------------------------------
    def reminder_settings(self) -> ReminderSettings:
        """Dose reminders: off unless turned on; details hidden unless allowed."""
        return ReminderSettings.from_settings(self._records.settings())

    def set_reminder_settings(self, reminders: ReminderSettings) -> Changes:
        if reminders.enabled != self.reminder_settings().enabled:
            label = "turn dose reminders " + ("on" if reminders.enabled else "off")
        else:
            label = "change the reminder settings"
        with self._change(label):
            for key, value in reminders.as_settings().items():
                self._records.put_setting(key, value)
        return Changes(label, settings=True)

    # ---- names for the appointment summary ------------------------------------------
    def report_names(self) -> ReportNames:
        """The names the user asked the diary to keep for reports; empty when none are kept."""
        return ReportNames.from_settings(self._records.settings())

    def set_report_names(self, names: ReportNames | None) -> Changes:
        """Keep ``names`` for the next report; None (or two empty names) forgets them."""
        kept = ReportNames() if names is None else names.checked()
        if kept == ReportNames():
            label = "forget the names for reports"
        else:
            label = "remember the names for reports"
        with self._change(label):
            for key, value in kept.as_settings().items():
                self._records.put_setting(key, value)
        return Changes(label, settings=True)

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

    # ---- taper: cuts, reinstatements, plans, figures ---------------------------------
    def warning_thresholds(self) -> Thresholds:
        return Thresholds.from_settings(self._records.settings())

    def set_warning_thresholds(self, thresholds: Thresholds) -> Changes:
        label = "change the warning thresholds"
        with self._change(label):
            for key, value in thresholds.as_settings().items():
                self._records.put_setting(key, value)
        return Changes(label, settings=True)

    def record_cut(
        self,
        medication: str,
        to_mg: float,
        time: dt.time | None = None,
        date: dt.date | None = None,
        reason: str = "",
    ) -> Changes:
        """Lower one dose time of ``medication`` to ``to_mg`` (0 removes it) from ``date``."""
        return self._change_one_dose(
            ChangeKind.CUT, medication, to_mg, time, date, reason, prescriber_involved=False
        )

    def reinstate(
        self,
        medication: str,
        to_mg: float,
        reason: str,
        time: dt.time | None = None,
        date: dt.date | None = None,
        prescriber_involved: bool = False,
        rebase_hold_days: int | None = None,
    ) -> Changes:
        """Record an updose of one dose time. With ``rebase_hold_days`` the active plan is
        replaced by the same method from the new dose, its first step after a stabilising
        hold of that many days (recorded as a hold when more than 0)."""
        if not reason.strip():
            raise ValidationError("Please give a reason for the reinstatement.", field="reason")
        with self.batch("record a reinstatement"):
            changes = self._change_one_dose(
                ChangeKind.UPDOSE, medication, to_mg, time, date, reason, prescriber_involved
            )
            if rebase_hold_days is not None:
                self._rebase_plan(date or self._today(), rebase_hold_days)
                return Changes(changes.label, regimen=True, holds=True)
        return changes

    def preview_plan(
        self, spec: PlanSpec, crossover_to: str | None = None, stage_days: int | None = None
    ) -> list[PlanStep]:
        """The steps a plan would have, from today's regimen and the diary's products."""
        current = self._regimen_in_force(self._today())
        return preview_steps(
            current.doses,
            spec,
            self.products(),
            self.equivalence_table(),
            self._records.equivalence_overrides(),
            crossover_to,
            stage_days,
        )

    def create_plan(
        self, spec: PlanSpec, crossover_to: str | None = None, stage_days: int | None = None
    ) -> Changes:
        """Store a plan from today's regimen; it replaces the active plan, if any. Its steps
        are kept as computed now. A plan never applies itself (see ``apply_next_step``)."""
        steps = self.preview_plan(spec, crossover_to, stage_days)
        record = PlanRecord(
            spec=spec,
            table=self.equivalence_table(),
            created=self._today(),
            steps=tuple(steps),
            applied=(None,) * len(steps),
            crossover_to=None if crossover_to is None else canonical_drug(crossover_to),
            stage_days=None if crossover_to is None else stage_days or spec.interval_days,
        )
        label = f"make a plan of {len(steps)} steps"
        with self._change(label):
            self._replace_active_plan(record)
        return Changes(label, settings=True)

    def plan_summary(self) -> PlanSummary | None:
        """The active plan with its dates as they stand today (holds counted)."""
        plan = self._records.active_plan()
        if plan is None:
            return None
        schedule = scheduled_steps(plan, self._records.holds(), self._today())
        index = plan.next_index()
        return PlanSummary(
            plan=plan,
            schedule=tuple(schedule),
            next_step=None if index is None else schedule[index],
            steps_left=sum(1 for day in plan.applied if day is None),
            projected_end=plan_end(schedule),
        )

    def apply_next_step(self, date: dt.date | None = None) -> Changes:
        """Turn the plan's next step into a regimen change from ``date`` (default today)."""
        summary = self.plan_summary()
        if summary is None or summary.plan.id is None:
            raise ValidationError("There is no active plan.", field="plan")
        plan, step = summary.plan, summary.next_step
        plan_id, index = summary.plan.id, plan.next_index()
        if step is None or index is None:
            raise ValidationError("Every step of the plan is already applied.", field="plan")
        day = date or self._today()
        check_day_not_far_future(day, self._today(), "A plan step")
        self._check_not_an_increase(step, day, plan.table)
        kind = ChangeKind.CROSSOVER if step.kind is StepKind.CROSSOVER else ChangeKind.CUT
        doses = tuple(self._with_stored_medication(d) for d in check_regimen(step.regimen()))
        reason = f"Step {index + 1} of {len(plan.steps)} of the plan"
        label = f"apply step {index + 1} of the plan on {describe_date(day)}"
        with self._change(label):
            self._records.put_regimen(RegimenChange(day, kind, doses, reason))
            self._records.set_step_applied(plan_id, index, day)
            if index == len(plan.steps) - 1:
                self._records.set_plan_status(plan_id, PlanStatus.FINISHED)
        return Changes(label, regimen=True, settings=True)

    def daily_dz_series(self, start: dt.date, end: dt.date) -> list[DayDose]:
        """The regimen's daily DZ-eq for each day, by the diary's table, for charts."""
        return daily_diazepam_series(
            self._records.regimen_history(),
            start,
            end,
            self.equivalence_table(),
            self._records.equivalence_overrides(),
        )

    def regimen_timeline(self) -> list[TimelineEntry]:
        """Regimen changes (start, cut, updose, crossover) and hold starts and ends."""
        return timeline(
            self._records.regimen_history(),
            self._records.holds(),
            self.equivalence_table(),
            self._records.equivalence_overrides(),
        )

    def status(self, today: dt.date | None = None) -> TaperStatus:
        """Today's regimen in DZ-eq, the rate figures, an active hold, warnings and the plan."""
        day = today or self._today()
        table = get_table(self.equivalence_table())
        overrides = self._records.equivalence_overrides()
        changes = self._records.regimen_history()
        holds = self._records.holds()
        regimen = self._records.regimen_on(day)
        doses = () if regimen is None else regimen.doses
        by_dose = tuple(diazepam_equivalent(d.drug, d.mg, table, overrides) for d in doses)
        by_drug = diazepam_by_drug(doses, table.name, overrides)
        total = None if regimen is None else sum(by_drug.values())
        plan = self.plan_summary()
        figures = taper_figures(
            changes, holds, day, table.name, overrides, None if plan is None else plan.projected_end
        )
        return TaperStatus(
            today=day,
            table=table.name,
            table_title=table.title,
            regimen=regimen,
            dz_by_dose=by_dose,
            dz_by_drug=by_drug,
            dz_total=total,
            figures=figures,
            active_hold=next((h for h in holds if h.covers(day)), None),
            warnings=tuple(self._warnings(changes, day, table.title, total, plan)),
            plan=plan,
        )

    def _warnings(
        self,
        changes: Sequence[RegimenChange],
        day: dt.date,
        table_title: str,
        total: float | None,
        plan: PlanSummary | None,
    ) -> list[TaperWarning]:
        """Recorded changes of the last warning window, and the plan's steps still to come."""
        thresholds = self.warning_thresholds()
        overrides = self._records.equivalence_overrides()
        points = dz_timeline(changes, self.equivalence_table(), overrides)
        since = day - dt.timedelta(days=thresholds.window_days)
        found = cut_warnings(points, table_title, thresholds, since=since)
        if plan is not None and total is not None:
            pending = [
                step
                for step, applied in zip(plan.schedule, plan.plan.applied, strict=True)
                if applied is None
            ]
            first = changes[0].date if changes else None
            # The plan's length and its next step; the plan's own table shows every step.
            found += [
                warning
                for warning in plan_warnings(total, day, pending, table_title, first, thresholds)
                if warning.source == SHORT_TAPER or warning.date == pending[0].start
            ]
        return found

    def _change_one_dose(
        self,
        kind: ChangeKind,
        medication: str,
        to_mg: float,
        time: dt.time | None,
        date: dt.date | None,
        reason: str,
        prescriber_involved: bool,
    ) -> Changes:
        med = self._medication(medication)
        day = date or self._today()
        check_day_not_far_future(day, self._today(), "A regimen change")
        current = self._regimen_in_force(day)
        dose = self._dose_to_change(current, med, time, kind)
        from_mg = 0.0 if dose is None else dose.mg
        to_mg = self._checked_new_amount(kind, med, from_mg, to_mg, dose)
        at = dose.time if dose is not None else time
        assert at is not None  # _dose_to_change returns a dose unless a time was given
        kept = tuple(d for d in current.doses if d is not dose)
        new = (RegimenDose(med.drug, to_mg, at, med.name),) if to_mg > 0 else ()
        doses = tuple(self._with_stored_medication(d) for d in check_regimen(kept + new))
        change = RegimenChange(day, kind, doses, check_note(reason, "reason"), prescriber_involved)
        word = "cut" if kind is ChangeKind.CUT else "reinstatement"
        label = f"record a {word} of {med.name} to {to_mg:g} mg on {describe_date(day)}"
        with self._change(label):
            self._records.put_regimen(change)
        return Changes(label, regimen=True)

    def _dose_to_change(
        self, current: RegimenChange, med: Medication, time: dt.time | None, kind: ChangeKind
    ) -> RegimenDose | None:
        """The regimen dose of ``med``'s drug at ``time`` (or its only one when no time is
        given). None only for a reinstatement at a new time of day."""
        of_drug = [d for d in current.doses if d.drug == med.drug]
        if time is not None:
            at = [d for d in of_drug if d.time == time.replace(second=0, microsecond=0)]
            if at:
                return at[0]
            if kind is ChangeKind.UPDOSE:
                return None
            raise ValidationError(
                f"There is no dose of {med.drug} at {time:%H:%M} in the regimen.", field="time"
            )
        if len(of_drug) == 1:
            return of_drug[0]
        if not of_drug:
            raise ValidationError(
                f"There is no dose of {med.drug} in the regimen; give the time of day of the "
                "new dose.",
                field="time",
            )
        times = ", ".join(f"{d.time:%H:%M}" for d in of_drug)
        raise ValidationError(
            f"{med.drug} is taken at {times}; please give the time of the dose to change.",
            field="time",
        )

    def _checked_new_amount(
        self,
        kind: ChangeKind,
        med: Medication,
        from_mg: float,
        to_mg: float,
        dose: RegimenDose | None,
    ) -> float:
        at = "" if dose is None else f" at {dose.time:%H:%M}"
        if kind is ChangeKind.CUT and not 0 <= to_mg < from_mg:
            raise ValidationError(
                f"A cut lowers the dose, but {to_mg:g} mg is not below the {from_mg:g} mg "
                f"of {med.drug}{at}; {NEVER_INCREASES}.",
                field="mg",
            )
        if kind is ChangeKind.UPDOSE and not to_mg > from_mg:
            raise ValidationError(
                f"A reinstatement raises the dose, but {to_mg:g} mg is not above the "
                f"{from_mg:g} mg of {med.drug}{at}; record a cut for a lower dose.",
                field="mg",
            )
        # Measured with this medication alone: it is the one the new dose is taken as.
        products = products_from([med], handling_by_name([med]))
        if to_mg > 0 and products and not is_measurable(med.drug, to_mg, products):
            raise cannot_measure(med.drug, to_mg, products)
        return to_mg

    def _rebase_plan(self, day: dt.date, hold_days: int) -> None:
        plan = self._records.active_plan()
        if plan is None:
            raise ValidationError("There is no active plan to re-base.", field="plan")
        if hold_days > 0:
            hold = Hold(day, day + dt.timedelta(days=hold_days - 1), "Stabilising hold")
            check_no_overlap(hold, self._records.holds())
            self._records.add_holds([hold])
        current = self._regimen_in_force(day)
        steps = rebase(
            plan.spec,
            current.doses,
            day,
            hold_days,
            self.products(),
            plan.table,
            self._records.equivalence_overrides(),
        )
        spec = replace(plan.spec, start=day + dt.timedelta(days=hold_days))
        self._replace_active_plan(
            PlanRecord(spec, plan.table, self._today(), tuple(steps), (None,) * len(steps))
        )

    def _replace_active_plan(self, record: PlanRecord) -> None:
        old = self._records.active_plan()
        if old is not None and old.id is not None:
            self._records.set_plan_status(old.id, PlanStatus.REPLACED)
        self._records.add_plan(record)

    def _check_not_an_increase(self, step: PlanStep, day: dt.date, table: str) -> None:
        current = self._records.regimen_on(day)
        if current is None:
            return
        overrides = self._records.equivalence_overrides()
        now = sum(diazepam_by_drug(current.doses, table, overrides).values())
        if step.diazepam_mg > now + 1e-6:
            raise ValidationError(
                f"The next step ({step.diazepam_mg:.3g} mg diazepam-equivalent a day) is above "
                f"the regimen in force on {describe_date(day)} ({now:.3g} mg); "
                f"{NEVER_INCREASES}.",
                field="plan",
            )

    def _regimen_in_force(self, day: dt.date) -> RegimenChange:
        regimen = self._records.regimen_on(day)
        if regimen is None:
            raise ValidationError(
                f"There is no regimen recorded on {describe_date(day)}; record one first.",
                field="regimen",
            )
        return regimen

    def _today(self) -> dt.date:
        return self._now().date()

    # ---- overview, export, import ---------------------------------------------------
    def day_summaries(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> list[DaySummary]:
        """Days with anything logged, newest first."""
        return self._records.day_summaries(start, end)

    def all_records(self) -> DiaryRecords:
        """Everything in the diary, for export: nothing the diary holds is left out."""
        records = self._records
        return DiaryRecords(
            medications=tuple(records.medications(include_retired=True)),
            regimen_changes=tuple(records.regimen_history()),
            doses=tuple(records.all_doses()),
            holds=tuple(records.holds()),
            symptoms=tuple(records.symptoms(include_untracked=True)),
            checkins=tuple(records.all_checkins()),
            events=tuple(records.events()),
            settings=records.settings(),
            plans=tuple(records.plans()),
        )

    def import_records(self, records: DiaryRecords) -> Changes:
        """All or nothing: validate every record first (naming the bad one), then add them.
        The file's symptom order is taken for the symptoms it names; the diary's others
        follow. Plans are added as stored; at most one of them (or the diary's) is active."""
        repo = self._records
        existing = self._existing()
        plan = plan_import(records, existing, self._now())
        extras = check_extras(
            records,
            repo.medications(include_retired=True),
            has_active_plan=repo.active_plan() is not None,
            current_settings=repo.settings(),
        )
        label = "import"
        with self._change(label):
            for med in plan.new_medications:
                repo.add_medication(with_file_handling(med, extras))
            repo.add_symptoms(plan.new_symptoms)
            for name, tracked in plan.tracked.items():
                repo.set_symptom_tracked(name, tracked)
            if extras.symptom_order:
                all_symptoms = repo.symptoms(include_untracked=True)
                repo.set_symptom_order(symptom_order(extras.symptom_order, all_symptoms))
            for change in plan.regimen_changes:
                repo.put_regimen(change)
            repo.add_doses(plan.doses)
            repo.add_holds(plan.holds)
            repo.put_checkins(plan.checkins)
            repo.add_events(plan.events)
            for plan_record in extras.plans:
                repo.add_plan(plan_record)
            for key, value in {**plan.settings, **extras.settings}.items():
                repo.put_setting(key, value)
        return Changes.everything(label)

    # ---- the Today page: editing a recorded dose, not-taken doses, clearing values ---
    def update_dose(
        self,
        dose_id: int,
        mg: float | None = None,
        taken_at: dt.datetime | None = None,
        ml: float | None = None,
        note: str | None = None,
    ) -> Changes:
        """Change a recorded dose; arguments left as None keep what was there. For a liquid,
        a volume in mL sets the amount by the medication's concentration."""
        old = self._records.dose(dose_id)
        if old is None:
            raise NotFound(f"There is no dose number {dose_id} in this diary.", field="dose")
        med = self._medication(old.medication)
        dose = edited_dose(old, med, self._now(), mg, taken_at, ml, note)
        label = f"change the dose of {med.name} at {old.taken_at:%H:%M}"
        with self._change(label):
            self._records.update_dose(dose_id, dose)
        return Changes(label, doses=True)

    def record_not_taken(self, day: dt.date, planned_time: dt.time, drug: str) -> Changes:
        """Record the regimen's ``drug`` dose at ``planned_time`` on ``day`` as not taken."""
        check_day_not_far_future(day, self._now().date(), "A dose")
        regimen = self._records.regimen_on(day)
        planned = next(
            (
                d
                for d in (regimen.doses if regimen else ())
                if d.time == planned_time and d.drug == canonical_drug(drug)
            ),
            None,
        )
        if planned is None:
            raise ValidationError(
                f"There is no planned {drug} dose at {planned_time:%H:%M} on {describe_date(day)}.",
                field="planned_time",
            )
        dose = replace(self._planned_dose(day, planned), mg=0.0, kind=DoseKind.NOT_TAKEN)
        label = f"record the {planned_time:%H:%M} dose of {dose.medication} as not taken"
        with self._change(label):
            self._records.add_doses([dose])
        return Changes(label, doses=True)

    def clear_checkin_values(
        self,
        day: dt.date,
        symptoms: Sequence[str] = (),
        wellbeing: bool = False,
        sleep_hours: bool = False,
    ) -> Changes:
        """Set the named symptoms back to unrated and, if asked, wellbeing or hours slept
        back to not logged. The rest of the day's check-in stays."""
        names = [s.name for s in self._records.symptoms(include_untracked=True)]
        known = [resolve_name("symptom", name, names, field="symptoms") for name in symptoms]
        what = describe_cleared(known, wellbeing, sleep_hours)
        if not what:
            raise ValidationError(f"There is nothing to clear for {describe_date(day)}.")
        old = self._records.checkin(day)
        if old is None:
            raise NotFound(f"Nothing is recorded for {describe_date(day)}.", field="date")
        label = f"clear {what} for {describe_date(day)}"
        with self._change(label):
            self._records.put_checkins([cleared_checkin(old, known, wellbeing, sleep_hours)])
        return Changes(label, checkins=True)

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
            names = [m.name for m in self._records.medications(include_retired=True)]
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
        # A retired medication of the drug is the one meant only when no other is in use.
        of_drug = [m for m in self._records.medications(True) if m.drug == planned.drug]
        matching = [m for m in of_drug if not m.retired] or of_drug
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
            medications=tuple(
                as_compared_by_import_rules(m) for m in records.medications(include_retired=True)
            ),
            symptoms=tuple(records.symptoms(include_untracked=True)),
            regimen_dates=frozenset(c.date for c in records.regimen_history()),
            checkin_dates=frozenset(records.checkin_dates()),
            holds=tuple(records.holds()),
            dose_keys=frozenset((d.taken_at, d.medication.casefold()) for d in records.all_doses()),
        )

    # ---- stability: burden over time, windows and waves, cut responses ---------------
    def stability(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> StabilityReport:
        """Stability figures and series from ``start`` (default: the first check-in or regimen)
        to ``end`` (default: today), computed once; figures are as of ``end``."""
        records = self._records
        checkins = records.all_checkins()
        changes = records.regimen_history()
        last = end or self._today()
        recorded = [c.date for c in checkins] + [c.date for c in changes]
        first = start or min(min(recorded, default=last), last)
        if last < first:
            raise ValidationError(
                f"The period ends on {describe_date(last)}, before it starts on "
                f"{describe_date(first)}.",
                field="end",
            )
        return build_report(
            checkins,
            changes,
            self.equivalence_table(),
            records.equivalence_overrides(),
            first,
            last,
        )


def _enum(kind: type[E], value: str, field: str) -> E:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise ValidationError(
            f'"{value}" is not a valid {field}; choose one of: {choices}.', field=field
        ) from None
