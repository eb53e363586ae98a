"""Export and import of a diary as plain data: a versioned JSON document and CSV tables.

Pure functions on text: writing the files (atomically, mode 0600) is the caller's job.
The JSON document round-trips every record of ``DiaryRecords`` (database ids are left out;
import assigns new ones). The CSV tables are for reading in a spreadsheet, not for import.

Version 2 added medications' splitting, syringe and retirement, and stored plans with their
steps and status. Version 1 documents still import: what they lack takes its default.

Parsing validates the structure of the whole document before anything is imported and names
the first bad record and field, e.g. "Record doses[17]: mg must be a number.". Range checks
(severity 0-4, sane amounts, ...) stay with the service, which validates again on import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import Any, TypeVar

from diary.domain.errors import NewerFormat, ValidationError
from diary.domain.models import (
    DEFAULT_SYRINGE_ML,
    ChangeKind,
    CheckIn,
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
from diary.domain.taper.plan_record import PlanRecord, PlanStatus
from diary.domain.taper.plans import PlanMethod, PlannedDose, PlanSpec, PlanStep, StepKind

EXPORT_FORMAT = "taper-diary-export"
EXPORT_VERSION = 2

CSV_FILES = (
    "medications.csv",
    "regimen.csv",
    "doses.csv",
    "holds.csv",
    "checkins.csv",
    "events.csv",
    "plan.csv",
)

JsonObject = dict[str, Any]
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


# ---- export: JSON ------------------------------------------------------------------------


def export_json(records: DiaryRecords, exported_at: dt.datetime) -> str:
    """The whole diary as a versioned JSON document (UTF-8 text, stable key order)."""
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at.isoformat(timespec="seconds"),
        "medications": [_medication_to_json(m) for m in records.medications],
        "regimen_changes": [_regimen_change_to_json(r) for r in records.regimen_changes],
        "doses": [_dose_to_json(d) for d in records.doses],
        "holds": [_hold_to_json(h) for h in records.holds],
        "symptoms": [_symptom_to_json(s) for s in records.symptoms],
        "checkins": [_checkin_to_json(c) for c in records.checkins],
        "events": [_event_to_json(e) for e in records.events],
        "settings": dict(sorted(records.settings.items())),
        "plans": [_plan_to_json(p) for p in records.plans],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _medication_to_json(m: Medication) -> JsonObject:
    return {
        "name": m.name,
        "drug": m.drug,
        "form": m.form.value,
        "strength_mg": m.strength_mg,
        "concentration_mg_ml": m.concentration_mg_ml,
        "split": m.split,
        "syringe_ml": m.syringe_ml,
        "retired": m.retired,
    }


def _regimen_change_to_json(r: RegimenChange) -> JsonObject:
    return {
        "date": r.date.isoformat(),
        "kind": r.kind.value,
        "reason": r.reason,
        "prescriber_involved": r.prescriber_involved,
        "doses": [
            {
                "drug": d.drug,
                "mg": d.mg,
                "time": d.time.isoformat(timespec="minutes"),
                "medication": d.medication,
            }
            for d in r.doses
        ],
    }


def _dose_to_json(d: Dose) -> JsonObject:
    return {
        "taken_at": d.taken_at.isoformat(),
        "medication": d.medication,
        "mg": d.mg,
        "ml": d.ml,
        "note": d.note,
        "kind": d.kind.value,
        "planned_time": None if d.planned_time is None else d.planned_time.isoformat("minutes"),
    }


def _hold_to_json(h: Hold) -> JsonObject:
    return {
        "start": h.start.isoformat(),
        "end": None if h.end is None else h.end.isoformat(),
        "reason": h.reason,
    }


def _symptom_to_json(s: Symptom) -> JsonObject:
    return {"name": s.name, "position": s.position, "tracked": s.tracked, "custom": s.custom}


def _checkin_to_json(c: CheckIn) -> JsonObject:
    return {
        "date": c.date.isoformat(),
        "ratings": dict(c.ratings),
        "wellbeing": c.wellbeing,
        "sleep_hours": c.sleep_hours,
        "note": c.note,
        "for_doctor": c.for_doctor,
    }


def _event_to_json(e: Event) -> JsonObject:
    return {"date": e.date.isoformat(), "kind": e.kind.value, "title": e.title, "note": e.note}


def _plan_to_json(p: PlanRecord) -> JsonObject:
    spec = p.spec
    return {
        "created": p.created.isoformat(),
        "status": p.status.value,
        "table": p.table,
        "crossover_to": p.crossover_to,
        "stage_days": p.stage_days,
        "spec": {
            "method": spec.method.value,
            "interval_days": spec.interval_days,
            "start": spec.start.isoformat(),
            "percent": spec.percent,
            "step_mg": spec.step_mg,
            "custom_mg": list(spec.custom_mg),
            "final_step_mg": spec.final_step_mg,
        },
        "steps": [
            _plan_step_to_json(step, applied)
            for step, applied in zip(p.steps, p.applied, strict=True)
        ],
    }


def _plan_step_to_json(step: PlanStep, applied: dt.date | None) -> JsonObject:
    return {
        "start": step.start.isoformat(),
        "kind": step.kind.value,
        "diazepam_mg": step.diazepam_mg,
        "ideal_diazepam_mg": step.ideal_diazepam_mg,
        "applied_on": _iso_or_none(applied),
        "doses": [
            {
                "drug": d.drug,
                "time": d.time.isoformat(timespec="minutes"),
                "ideal_mg": d.ideal_mg,
                "mg": d.mg,
                "ml": d.ml,
                "how": d.how,
            }
            for d in step.doses
        ],
    }


# ---- export: CSV -------------------------------------------------------------------------


def export_csv(records: DiaryRecords) -> dict[str, str]:
    """One CSV text per record kind, keyed by file name. An empty cell means "not logged"."""
    return {
        "medications.csv": _table(
            [
                "name",
                "drug",
                "form",
                "strength_mg",
                "concentration_mg_ml",
                "split",
                "syringe_ml",
                "retired",
            ],
            (
                [
                    m.name,
                    m.drug,
                    m.form.value,
                    m.strength_mg,
                    m.concentration_mg_ml,
                    m.split,
                    m.syringe_ml,
                    m.retired,
                ]
                for m in records.medications
            ),
        ),
        "regimen.csv": _table(
            ["date", "kind", "time", "drug", "medication", "mg", "reason", "prescriber_involved"],
            _regimen_rows(records.regimen_changes),
        ),
        "doses.csv": _table(
            ["taken_at", "date", "medication", "mg", "ml", "kind", "planned_time", "note"],
            (
                [
                    d.taken_at.isoformat(),
                    d.taken_at.date().isoformat(),
                    d.medication,
                    d.mg,
                    d.ml,
                    d.kind.value,
                    None if d.planned_time is None else d.planned_time.isoformat("minutes"),
                    d.note,
                ]
                for d in records.doses
            ),
        ),
        "holds.csv": _table(
            ["start", "end", "reason"],
            ([h.start.isoformat(), _iso_or_none(h.end), h.reason] for h in records.holds),
        ),
        "checkins.csv": _checkins_table(records.symptoms, records.checkins),
        "events.csv": _table(
            ["date", "kind", "title", "note"],
            ([e.date.isoformat(), e.kind.value, e.title, e.note] for e in records.events),
        ),
        "plan.csv": _table(
            [
                "plan_created",
                "plan_status",
                "step",
                "start",
                "kind",
                "applied_on",
                "diazepam_mg",
                "ideal_diazepam_mg",
                "time",
                "drug",
                "mg",
                "ideal_mg",
                "ml",
                "how",
            ],
            _plan_rows(records.plans),
        ),
    }


def _regimen_rows(changes: Sequence[RegimenChange]) -> Iterable[list[object]]:
    """One row per dose time; a regimen with no doses still gets one row, so it is not lost."""
    for r in changes:
        common = [r.date.isoformat(), r.kind.value]
        tail = [r.reason, r.prescriber_involved]
        if not r.doses:
            yield [*common, None, None, None, None, *tail]
        for d in r.doses:
            yield [*common, d.time.isoformat("minutes"), d.drug, d.medication, d.mg, *tail]


def _plan_rows(plans: Sequence[PlanRecord]) -> Iterable[list[object]]:
    """One row per dose time of each step; a step with no doses (the last) still gets one."""
    for p in plans:
        for number, (step, applied) in enumerate(zip(p.steps, p.applied, strict=True), start=1):
            common = [
                p.created.isoformat(),
                p.status.value,
                number,
                step.start.isoformat(),
                step.kind.value,
                _iso_or_none(applied),
                round(step.diazepam_mg, 6),
                round(step.ideal_diazepam_mg, 6),
            ]
            if not step.doses:
                yield [*common, None, None, None, None, None, None]
            for d in step.doses:
                time = d.time.isoformat("minutes")
                yield [*common, time, d.drug, d.mg, round(d.ideal_mg, 6), d.ml, d.how]


def _checkins_table(symptoms: Sequence[Symptom], checkins: Sequence[CheckIn]) -> str:
    """One row per day, one column per symptom (catalogue order, then any other rated name)."""
    names = [s.name for s in sorted(symptoms, key=lambda s: s.position)]
    known = set(names)
    for c in checkins:
        for name in c.ratings:
            if name not in known:
                names.append(name)
                known.add(name)
    header = ["date", "wellbeing", "sleep_hours", "for_doctor", "note", *names]
    rows = (
        [
            c.date.isoformat(),
            c.wellbeing,
            c.sleep_hours,
            c.for_doctor,
            c.note,
            *(c.ratings.get(name) for name in names),
        ]
        for c in checkins
    )
    return _table(header, rows)


def _table(header: list[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return out.getvalue()


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        # A spreadsheet would run a cell starting with these as a formula (CSV injection).
        return "'" + value
    return value


def _iso_or_none(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


# ---- import: JSON ------------------------------------------------------------------------


def parse_export(text: str) -> DiaryRecords:
    """Turn an export document into records, or raise naming the first bad record and field."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"The file is not valid JSON (line {exc.lineno}), so nothing was imported."
        ) from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ValidationError("The file is not a Taper Diary export, so nothing was imported.")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationError("The export's version is missing or unreadable.", field="version")
    if version > EXPORT_VERSION:
        raise NewerFormat(
            "This export was written by a newer version of Taper Diary; "
            "update the app to import it."
        )
    return DiaryRecords(
        medications=_records(document, "medications", _medication_from),
        regimen_changes=_records(document, "regimen_changes", _regimen_change_from),
        doses=_records(document, "doses", _dose_from),
        holds=_records(document, "holds", _hold_from),
        symptoms=_records(document, "symptoms", _symptom_from),
        checkins=_records(document, "checkins", _checkin_from),
        events=_records(document, "events", _event_from),
        settings=_settings_from(document.get("settings", {})),
        plans=_records(document, "plans", _plan_from),
    )


class _Record:
    """Reads typed fields out of one JSON object, naming record and field on any error."""

    def __init__(self, label: str, raw: object) -> None:
        self.label = label
        if not isinstance(raw, dict):
            raise ValidationError(f"Record {label} must be an object.", field=label)
        self.raw: JsonObject = raw

    def fail(self, name: str, problem: str) -> ValidationError:
        return ValidationError(
            f"Record {self.label}: {name} {problem}.", field=f"{self.label}.{name}"
        )

    def _get(self, name: str, required: bool) -> object:
        if name not in self.raw:
            if required:
                raise self.fail(name, "is missing")
            return None
        return self.raw[name]

    def text(self, name: str, default: str = "") -> str:
        value = self._get(name, required=False)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(name, "must be text")
        return value

    def required_text(self, name: str) -> str:
        value = self._get(name, required=True)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, "must be non-empty text")
        return value

    def number(self, name: str) -> float:
        value = self.optional_number(name)
        if value is None:
            raise self.fail(name, "must be a number")
        return value

    def optional_number(self, name: str) -> float | None:
        value = self._get(name, required=False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, "must be a number")
        if not math.isfinite(value):
            raise self.fail(name, "must be a finite number")
        return float(value)

    def optional_int(self, name: str) -> int | None:
        value = self._get(name, required=False)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, "must be a whole number")
        return value

    def whole_number(self, name: str) -> int:
        value = self.optional_int(name)
        if value is None:
            raise self.fail(name, "must be a whole number")
        return value

    def flag(self, name: str) -> bool:
        value = self._get(name, required=False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(name, "must be true or false")
        return value

    def choice(self, name: str, enum: type[E], default: E | None = None) -> E:
        value = self._get(name, required=default is None)
        if value is None and default is not None:
            return default
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return enum(value)
        except ValueError:
            allowed = ", ".join(member.value for member in enum)
            raise self.fail(name, f"must be one of: {allowed}") from None

    def date(self, name: str) -> dt.date:
        value = self.optional_date(name)
        if value is None:
            raise self.fail(name, "is missing")
        return value

    def optional_date(self, name: str) -> dt.date | None:
        value = self._get(name, required=False)
        if value is None:
            return None
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(name, "must be a date like 2025-03-01") from None

    def time(self, name: str) -> dt.time:
        value = self.optional_time(name)
        if value is None:
            raise self.fail(name, "is missing")
        return value

    def optional_time(self, name: str) -> dt.time | None:
        value = self._get(name, required=False)
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return dt.time.fromisoformat(value)
        except ValueError:
            raise self.fail(name, "must be a time like 08:00") from None

    def aware_datetime(self, name: str) -> dt.datetime:
        value = self._get(name, required=True)
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(name, "must be a date and time like 2025-03-01T08:00+01:00") from None
        if parsed.tzinfo is None:
            raise self.fail(name, "must include its UTC offset, like +01:00")
        return parsed

    def items(self, name: str) -> list[object]:
        value = self._get(name, required=False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(name, "must be a list")
        return value


def _records(document: JsonObject, kind: str, build: Callable[[_Record], T]) -> tuple[T, ...]:
    raw = document.get(kind, [])
    if not isinstance(raw, list):
        raise ValidationError(f"The export's {kind} must be a list.", field=kind)
    return tuple(build(_Record(f"{kind}[{i}]", item)) for i, item in enumerate(raw))


def _medication_from(r: _Record) -> Medication:
    split = r.optional_int("split")
    syringe_ml = r.optional_number("syringe_ml")
    return Medication(
        name=r.required_text("name"),
        drug=r.required_text("drug"),
        form=r.choice("form", Form, default=Form.TABLET),
        strength_mg=r.optional_number("strength_mg"),
        concentration_mg_ml=r.optional_number("concentration_mg_ml"),
        split=1 if split is None else split,
        syringe_ml=DEFAULT_SYRINGE_ML if syringe_ml is None else syringe_ml,
        retired=r.flag("retired"),
    )


def _regimen_change_from(r: _Record) -> RegimenChange:
    doses = tuple(
        _regimen_dose_from(_Record(f"{r.label}.doses[{i}]", item))
        for i, item in enumerate(r.items("doses"))
    )
    return RegimenChange(
        date=r.date("date"),
        kind=r.choice("kind", ChangeKind),
        doses=doses,
        reason=r.text("reason"),
        prescriber_involved=r.flag("prescriber_involved"),
    )


def _regimen_dose_from(r: _Record) -> RegimenDose:
    return RegimenDose(
        drug=r.required_text("drug"),
        mg=r.number("mg"),
        time=r.time("time"),
        medication=r.text("medication") or None,
    )


def _dose_from(r: _Record) -> Dose:
    return Dose(
        taken_at=r.aware_datetime("taken_at"),
        medication=r.required_text("medication"),
        mg=r.number("mg"),
        ml=r.optional_number("ml"),
        note=r.text("note"),
        kind=r.choice("kind", DoseKind, default=DoseKind.EXTRA),
        planned_time=r.optional_time("planned_time"),
    )


def _hold_from(r: _Record) -> Hold:
    return Hold(start=r.date("start"), end=r.optional_date("end"), reason=r.text("reason"))


def _symptom_from(r: _Record) -> Symptom:
    position = r.optional_int("position")
    return Symptom(
        name=r.required_text("name"),
        position=0 if position is None else position,
        tracked=r.flag("tracked") if "tracked" in r.raw else True,
        custom=r.flag("custom"),
    )


def _checkin_from(r: _Record) -> CheckIn:
    raw_ratings = r.raw.get("ratings", {})
    if not isinstance(raw_ratings, dict):
        raise r.fail("ratings", "must be an object of symptom names and severities")
    ratings: dict[str, int] = {}
    for name, severity in raw_ratings.items():
        if isinstance(severity, bool) or not isinstance(severity, int):
            raise r.fail(f"ratings[{name!r}]", "must be a whole number from 0 to 4")
        ratings[name] = severity
    return CheckIn(
        date=r.date("date"),
        ratings=ratings,
        wellbeing=r.optional_int("wellbeing"),
        sleep_hours=r.optional_number("sleep_hours"),
        note=r.text("note"),
        for_doctor=r.flag("for_doctor"),
    )


def _event_from(r: _Record) -> Event:
    return Event(
        date=r.date("date"),
        kind=r.choice("kind", EventKind),
        title=r.required_text("title"),
        note=r.text("note"),
    )


def _plan_from(r: _Record) -> PlanRecord:
    spec = _Record(f"{r.label}.spec", r.raw.get("spec"))
    steps: list[PlanStep] = []
    applied: list[dt.date | None] = []
    for index, item in enumerate(r.items("steps")):
        step = _Record(f"{r.label}.steps[{index}]", item)
        doses = tuple(
            _planned_dose_from(_Record(f"{step.label}.doses[{i}]", dose))
            for i, dose in enumerate(step.items("doses"))
        )
        steps.append(
            PlanStep(
                index=index,
                start=step.date("start"),
                kind=step.choice("kind", StepKind),
                doses=doses,
                diazepam_mg=step.number("diazepam_mg"),
                ideal_diazepam_mg=step.number("ideal_diazepam_mg"),
            )
        )
        applied.append(step.optional_date("applied_on"))
    return PlanRecord(
        spec=PlanSpec(
            method=spec.choice("method", PlanMethod),
            interval_days=spec.whole_number("interval_days"),
            start=spec.date("start"),
            percent=spec.optional_number("percent"),
            step_mg=spec.optional_number("step_mg"),
            custom_mg=tuple(
                _Record(f"{spec.label}.custom_mg[{i}]", {"mg": mg}).number("mg")
                for i, mg in enumerate(spec.items("custom_mg"))
            ),
            final_step_mg=spec.optional_number("final_step_mg"),
        ),
        table=r.required_text("table"),
        created=r.date("created"),
        steps=tuple(steps),
        applied=tuple(applied),
        crossover_to=r.text("crossover_to") or None,
        stage_days=r.optional_int("stage_days"),
        status=r.choice("status", PlanStatus),
    )


def _planned_dose_from(r: _Record) -> PlannedDose:
    return PlannedDose(
        drug=r.required_text("drug"),
        time=r.time("time"),
        ideal_mg=r.number("ideal_mg"),
        mg=r.number("mg"),
        ml=r.optional_number("ml"),
        how=r.text("how"),
    )


def _settings_from(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise ValidationError("The export's settings must map names to text.", field="settings")
    return dict(raw)
