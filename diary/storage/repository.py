"""The SQL queries of the diary, returning domain dataclasses.

Dates are stored as ISO text (YYYY-MM-DD), times of day as HH:MM, and dose moments as ISO
8601 with their UTC offset plus the same moment in UTC for ordering. The caller owns the
transaction; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence

from diary.domain.equivalence import SETTING_OVERRIDES
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
from diary.domain.taper.plan_record import PlanRecord, PlanStatus
from diary.domain.taper.plans import PlanMethod, PlannedDose, PlanSpec, PlanStep, StepKind

_TIME = "%H:%M"


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _opt_date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _time(text: str) -> dt.time:
    return dt.datetime.strptime(text, _TIME).time()


def _moment_columns(moment: dt.datetime) -> tuple[str, str, str]:
    return (
        moment.isoformat(timespec="seconds"),
        moment.astimezone(dt.UTC).isoformat(timespec="seconds"),
        moment.date().isoformat(),
    )


class Repository:
    """Reads and writes the diary's tables over one connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # ---- medications ---------------------------------------------------------------
    _MEDICATION_COLUMNS = (
        "name, drug, form, strength_mg, concentration_mg_ml, id, split, syringe_ml, retired"
    )

    def medications(self, include_retired: bool) -> list[Medication]:
        where = "" if include_retired else " WHERE retired = 0"
        rows = self._conn.execute(
            f"SELECT {self._MEDICATION_COLUMNS} FROM medication{where} ORDER BY name COLLATE NOCASE"
        )
        return [_medication(row) for row in rows]

    def medication(self, name: str) -> Medication | None:
        row = self._conn.execute(
            f"SELECT {self._MEDICATION_COLUMNS} FROM medication WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else _medication(row)

    def add_medication(self, med: Medication) -> int:
        cursor = self._conn.execute(
            "INSERT INTO medication (name, drug, form, strength_mg, concentration_mg_ml, split,"
            " syringe_ml, retired) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                med.name,
                med.drug,
                med.form.value,
                med.strength_mg,
                med.concentration_mg_ml,
                med.split,
                med.syringe_ml,
                med.retired,
            ),
        )
        return _rowid(cursor)

    def update_medication(self, name: str, med: Medication) -> None:
        """Replace the stored medication called ``name`` (its id stays, so doses and regimen
        entries keep pointing at it) by ``med``, whose name may differ."""
        self._conn.execute(
            "UPDATE medication SET name = ?, drug = ?, form = ?, strength_mg = ?,"
            " concentration_mg_ml = ?, split = ?, syringe_ml = ?, retired = ? WHERE name = ?",
            (
                med.name,
                med.drug,
                med.form.value,
                med.strength_mg,
                med.concentration_mg_ml,
                med.split,
                med.syringe_ml,
                med.retired,
                name,
            ),
        )

    # ---- regimen -------------------------------------------------------------------
    def regimen_history(self) -> list[RegimenChange]:
        doses_by_change: dict[int, list[RegimenDose]] = defaultdict(list)
        for change_id, dose in self._regimen_doses("1"):
            doses_by_change[change_id].append(dose)
        rows = self._conn.execute(
            "SELECT id, date, kind, reason, prescriber_involved FROM regimen_change ORDER BY date"
        )
        return [_regimen_change(row, doses_by_change[row[0]]) for row in rows]

    def regimen_on(self, day: dt.date) -> RegimenChange | None:
        row = self._conn.execute(
            "SELECT id, date, kind, reason, prescriber_involved FROM regimen_change"
            " WHERE date <= ? ORDER BY date DESC LIMIT 1",
            (day.isoformat(),),
        ).fetchone()
        if row is None:
            return None
        doses = [dose for _, dose in self._regimen_doses("rd.change_id = ?", (row[0],))]
        return _regimen_change(row, doses)

    def _regimen_doses(
        self, where: str, params: Sequence[object] = ()
    ) -> list[tuple[int, RegimenDose]]:
        rows = self._conn.execute(
            "SELECT rd.change_id, rd.drug, rd.mg, rd.time, m.name FROM regimen_dose rd"
            f" LEFT JOIN medication m ON m.id = rd.medication_id WHERE {where}"
            " ORDER BY rd.change_id, rd.time, rd.drug",
            params,
        )
        return [(row[0], RegimenDose(row[1], row[2], _time(row[3]), row[4])) for row in rows]

    def put_regimen(self, change: RegimenChange) -> int:
        """Store ``change``, replacing any change already recorded for its date."""
        self._conn.execute("DELETE FROM regimen_change WHERE date = ?", (change.date.isoformat(),))
        cursor = self._conn.execute(
            "INSERT INTO regimen_change (date, kind, reason, prescriber_involved)"
            " VALUES (?, ?, ?, ?)",
            (change.date.isoformat(), change.kind.value, change.reason, change.prescriber_involved),
        )
        change_id = _rowid(cursor)
        self._conn.executemany(
            "INSERT INTO regimen_dose (change_id, drug, mg, time, medication_id)"
            " VALUES (?, ?, ?, ?, (SELECT id FROM medication WHERE name = ?))",
            [(change_id, d.drug, d.mg, d.time.strftime(_TIME), d.medication) for d in change.doses],
        )
        return change_id

    # ---- doses ---------------------------------------------------------------------
    _DOSE_SELECT = (
        "SELECT d.taken_at, m.name, d.mg, d.ml, d.note, d.kind, d.planned_time, d.id"
        " FROM dose d JOIN medication m ON m.id = d.medication_id"
    )

    def add_doses(self, doses: Iterable[Dose]) -> None:
        self._conn.executemany(
            "INSERT INTO dose (taken_at, taken_at_utc, local_date, medication_id, mg, ml, note,"
            " kind, planned_time)"
            " VALUES (?, ?, ?, (SELECT id FROM medication WHERE name = ?), ?, ?, ?, ?, ?)",
            [
                (
                    *_moment_columns(d.taken_at),
                    d.medication,
                    d.mg,
                    d.ml,
                    d.note,
                    d.kind.value,
                    None if d.planned_time is None else d.planned_time.strftime(_TIME),
                )
                for d in doses
            ],
        )

    def delete_dose(self, dose_id: int) -> bool:
        return self._conn.execute("DELETE FROM dose WHERE id = ?", (dose_id,)).rowcount > 0

    def dose(self, dose_id: int) -> Dose | None:
        row = self._conn.execute(f"{self._DOSE_SELECT} WHERE d.id = ?", (dose_id,)).fetchone()
        return None if row is None else _dose(row)

    def doses_on(self, day: dt.date) -> list[Dose]:
        rows = self._conn.execute(
            f"{self._DOSE_SELECT} WHERE d.local_date = ? ORDER BY d.taken_at_utc, d.id",
            (day.isoformat(),),
        )
        return [_dose(row) for row in rows]

    def all_doses(self) -> list[Dose]:
        rows = self._conn.execute(f"{self._DOSE_SELECT} ORDER BY d.taken_at_utc, d.id")
        return [_dose(row) for row in rows]

    def update_dose(self, dose_id: int, dose: Dose) -> None:
        """Replace the moment, amount, volume, note and kind of a recorded dose."""
        self._conn.execute(
            "UPDATE dose SET taken_at = ?, taken_at_utc = ?, local_date = ?, mg = ?, ml = ?,"
            " note = ?, kind = ? WHERE id = ?",
            (*_moment_columns(dose.taken_at), dose.mg, dose.ml, dose.note, dose.kind.value)
            + (dose_id,),
        )

    # ---- holds ---------------------------------------------------------------------
    def holds(self) -> list[Hold]:
        rows = self._conn.execute('SELECT start, "end", reason, id FROM hold ORDER BY start')
        return [Hold(_date(row[0]), _opt_date(row[1]), row[2], row[3]) for row in rows]

    def add_holds(self, holds: Iterable[Hold]) -> None:
        self._conn.executemany(
            'INSERT INTO hold (start, "end", reason) VALUES (?, ?, ?)',
            [
                (h.start.isoformat(), None if h.end is None else h.end.isoformat(), h.reason)
                for h in holds
            ],
        )

    def set_hold_end(self, hold_id: int, end: dt.date) -> None:
        self._conn.execute('UPDATE hold SET "end" = ? WHERE id = ?', (end.isoformat(), hold_id))

    # ---- plans ---------------------------------------------------------------------
    _PLAN_COLUMNS = (
        "id, created, status, method, interval_days, start, percent, step_mg, custom_mg,"
        " final_step_mg, crossover_to, stage_days, table_name"
    )

    def plans(self) -> list[PlanRecord]:
        """Every plan, oldest first."""
        rows = self._conn.execute(f"SELECT {self._PLAN_COLUMNS} FROM plan ORDER BY id").fetchall()
        return [self._plan(row) for row in rows]

    def active_plan(self) -> PlanRecord | None:
        row = self._conn.execute(
            f"SELECT {self._PLAN_COLUMNS} FROM plan WHERE status = 'active'"
        ).fetchone()
        return None if row is None else self._plan(row)

    def add_plan(self, plan: PlanRecord) -> int:
        spec = plan.spec
        cursor = self._conn.execute(
            "INSERT INTO plan (created, status, method, interval_days, start, percent, step_mg,"
            " custom_mg, final_step_mg, crossover_to, stage_days, table_name)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                plan.created.isoformat(),
                plan.status.value,
                PlanMethod(spec.method).value,
                spec.interval_days,
                spec.start.isoformat(),
                spec.percent,
                spec.step_mg,
                json.dumps(list(spec.custom_mg)),
                spec.final_step_mg,
                plan.crossover_to,
                plan.stage_days,
                plan.table,
            ),
        )
        plan_id = _rowid(cursor)
        for position, (step, applied) in enumerate(zip(plan.steps, plan.applied, strict=True)):
            self._add_plan_step(plan_id, position, step, applied)
        return plan_id

    def _add_plan_step(
        self, plan_id: int, position: int, step: PlanStep, applied: dt.date | None
    ) -> None:
        cursor = self._conn.execute(
            "INSERT INTO plan_step (plan_id, position, start, kind, diazepam_mg,"
            " ideal_diazepam_mg, applied_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                plan_id,
                position,
                step.start.isoformat(),
                StepKind(step.kind).value,
                step.diazepam_mg,
                step.ideal_diazepam_mg,
                None if applied is None else applied.isoformat(),
            ),
        )
        step_id = _rowid(cursor)
        self._conn.executemany(
            "INSERT INTO plan_dose (step_id, drug, time, ideal_mg, mg, ml, how)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (step_id, d.drug, d.time.strftime(_TIME), d.ideal_mg, d.mg, d.ml, d.how)
                for d in step.doses
            ],
        )

    def set_plan_status(self, plan_id: int, status: PlanStatus) -> None:
        self._conn.execute("UPDATE plan SET status = ? WHERE id = ?", (status.value, plan_id))

    def set_step_applied(self, plan_id: int, position: int, applied: dt.date | None) -> None:
        self._conn.execute(
            "UPDATE plan_step SET applied_on = ? WHERE plan_id = ? AND position = ?",
            (None if applied is None else applied.isoformat(), plan_id, position),
        )

    def _plan(self, row: tuple[object, ...]) -> PlanRecord:
        (
            plan_id,
            created,
            status,
            method,
            interval,
            start,
            percent,
            step_mg,
            custom,
            final,
            crossover_to,
            stage_days,
            table,
        ) = row
        spec = PlanSpec(
            method=PlanMethod(str(method)),
            interval_days=int(str(interval)),
            start=_date(str(start)),
            percent=_opt_float(percent),
            step_mg=_opt_float(step_mg),
            custom_mg=tuple(float(mg) for mg in json.loads(str(custom))),
            final_step_mg=_opt_float(final),
        )
        doses: dict[int, list[PlannedDose]] = defaultdict(list)
        for step_id, drug, time, ideal, mg, ml, how in self._conn.execute(
            "SELECT d.step_id, d.drug, d.time, d.ideal_mg, d.mg, d.ml, d.how FROM plan_dose d"
            " JOIN plan_step s ON s.id = d.step_id WHERE s.plan_id = ? ORDER BY d.time, d.id",
            (plan_id,),
        ):
            doses[step_id].append(PlannedDose(drug, _time(time), ideal, mg, ml, how))
        steps: list[PlanStep] = []
        applied: list[dt.date | None] = []
        for step_id, position, step_start, kind, dz, ideal_dz, applied_on in self._conn.execute(
            "SELECT id, position, start, kind, diazepam_mg, ideal_diazepam_mg, applied_on"
            " FROM plan_step WHERE plan_id = ? ORDER BY position",
            (plan_id,),
        ):
            steps.append(
                PlanStep(
                    position, _date(step_start), StepKind(kind), tuple(doses[step_id]), dz, ideal_dz
                )
            )
            applied.append(_opt_date(applied_on))
        return PlanRecord(
            spec=spec,
            table=str(table),
            created=_date(str(created)),
            steps=tuple(steps),
            applied=tuple(applied),
            crossover_to=None if crossover_to is None else str(crossover_to),
            stage_days=None if stage_days is None else int(str(stage_days)),
            status=PlanStatus(str(status)),
            id=int(str(plan_id)),
        )

    # ---- symptoms ------------------------------------------------------------------
    def symptoms(self, include_untracked: bool) -> list[Symptom]:
        where = "" if include_untracked else " WHERE tracked = 1"
        rows = self._conn.execute(
            f"SELECT name, position, tracked, custom, id FROM symptom{where} ORDER BY position"
        )
        return [Symptom(row[0], row[1], bool(row[2]), bool(row[3]), row[4]) for row in rows]

    def add_symptoms(self, symptoms: Iterable[Symptom]) -> None:
        """Append symptoms after the last one, in the order given."""
        (last,) = self._conn.execute("SELECT coalesce(max(position), -1) FROM symptom").fetchone()
        self._conn.executemany(
            "INSERT INTO symptom (name, position, tracked, custom) VALUES (?, ?, ?, ?)",
            [(s.name, last + 1 + i, s.tracked, s.custom) for i, s in enumerate(symptoms)],
        )

    def set_symptom_tracked(self, name: str, tracked: bool) -> None:
        self._conn.execute("UPDATE symptom SET tracked = ? WHERE name = ?", (tracked, name))

    def rename_symptom(self, name: str, new_name: str) -> None:
        """Ratings refer to the symptom's id, so its history follows the new name."""
        self._conn.execute("UPDATE symptom SET name = ? WHERE name = ?", (new_name, name))

    def set_symptom_order(self, names: Sequence[str]) -> None:
        """Number the named symptoms 0, 1, 2, ... in the order given; any symptom not named
        follows them, in its present order."""
        named = list(names)
        rest = [s.name for s in self.symptoms(include_untracked=True) if s.name not in named]
        self._conn.executemany(
            "UPDATE symptom SET position = ? WHERE name = ?",
            [(position, name) for position, name in enumerate(named + rest)],
        )

    # ---- check-ins -----------------------------------------------------------------
    def checkin(self, day: dt.date) -> CheckIn | None:
        found = self._checkins("WHERE c.date = ?", (day.isoformat(),))
        return found[0] if found else None

    def all_checkins(self) -> list[CheckIn]:
        return self._checkins("", ())

    def _checkins(self, where: str, params: Sequence[object]) -> list[CheckIn]:
        ratings: dict[str, dict[str, int]] = defaultdict(dict)
        for date, name, severity in self._conn.execute(
            "SELECT r.date, s.name, r.severity FROM rating r JOIN symptom s ON s.id = r.symptom_id"
            f" JOIN checkin c ON c.date = r.date {where} ORDER BY r.date, s.position",
            params,
        ):
            ratings[date][name] = severity
        rows = self._conn.execute(
            f"SELECT c.date, c.wellbeing, c.sleep_hours, c.note, c.for_doctor FROM checkin c"
            f" {where} ORDER BY c.date",
            params,
        )
        return [
            CheckIn(_date(row[0]), ratings[row[0]], row[1], row[2], row[3] or "", bool(row[4]))
            for row in rows
        ]

    def put_checkins(self, checkins: Iterable[CheckIn]) -> None:
        """Store each check-in whole, replacing what its date had."""
        checkins = list(checkins)
        dates = [(c.date.isoformat(),) for c in checkins]
        self._conn.executemany("DELETE FROM rating WHERE date = ?", dates)
        self._conn.executemany(
            "INSERT OR REPLACE INTO checkin (date, wellbeing, sleep_hours, note, for_doctor)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (c.date.isoformat(), c.wellbeing, c.sleep_hours, c.note or None, c.for_doctor)
                for c in checkins
            ],
        )
        self._conn.executemany(
            "INSERT INTO rating (date, symptom_id, severity)"
            " VALUES (?, (SELECT id FROM symptom WHERE name = ?), ?)",
            [
                (c.date.isoformat(), name, severity)
                for c in checkins
                for name, severity in c.ratings.items()
            ],
        )

    def checkin_dates(self) -> set[dt.date]:
        return {_date(row[0]) for row in self._conn.execute("SELECT date FROM checkin")}

    def delete_day(self, day: dt.date) -> bool:
        """Delete everything logged on ``day``. Returns whether there was anything."""
        iso = (day.isoformat(),)
        deleted = 0
        for sql in (
            "DELETE FROM checkin WHERE date = ?",  # its ratings go with it (ON DELETE CASCADE)
            "DELETE FROM dose WHERE local_date = ?",
            "DELETE FROM event WHERE date = ?",
        ):
            deleted += self._conn.execute(sql, iso).rowcount
        return deleted > 0

    # ---- events --------------------------------------------------------------------
    def events(self) -> list[Event]:
        rows = self._conn.execute("SELECT date, kind, title, note, id FROM event ORDER BY date, id")
        return [Event(_date(row[0]), EventKind(row[1]), row[2], row[3], row[4]) for row in rows]

    def add_events(self, events: Iterable[Event]) -> None:
        self._conn.executemany(
            "INSERT INTO event (date, kind, title, note) VALUES (?, ?, ?, ?)",
            [(e.date.isoformat(), e.kind.value, e.title, e.note) for e in events],
        )

    # ---- settings ------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT key, value FROM setting ORDER BY key").fetchall())

    def setting(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put_setting(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, value)
        )

    def equivalence_overrides(self) -> dict[str, float]:
        raw = self.setting(SETTING_OVERRIDES)
        loaded = json.loads(raw) if raw else {}
        return {str(drug): float(value) for drug, value in loaded.items()}

    def put_equivalence_overrides(self, overrides: dict[str, float]) -> None:
        self.put_setting(SETTING_OVERRIDES, json.dumps(overrides, sort_keys=True))

    # ---- overview ------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        tables = {
            "medications": "medication",
            "regimen_changes": "regimen_change",
            "doses": "dose",
            "holds": "hold",
            "checkins": "checkin",
            "ratings": "rating",
            "symptoms": "symptom",
            "events": "event",
            "plans": "plan",
        }
        return {
            kind: self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for kind, table in tables.items()
        }

    def day_summaries(self, start: dt.date | None, end: dt.date | None) -> list[DaySummary]:
        """Every day with anything logged, newest first: one grouped query per table."""
        low = start.isoformat() if start else "0000-00-00"
        high = end.isoformat() if end else "9999-99-99"
        span = (low, high)
        dose_count: dict[str, int] = defaultdict(int)
        mg_by_drug: dict[str, dict[str, float]] = defaultdict(dict)
        for day, drug, count, total in self._conn.execute(
            "SELECT d.local_date, m.drug, sum(d.kind <> 'not_taken'), sum(d.mg)"
            " FROM dose d JOIN medication m ON m.id = d.medication_id"
            " WHERE d.local_date BETWEEN ? AND ? GROUP BY d.local_date, m.drug",
            span,
        ):
            dose_count[day] += count
            if total > 0:
                mg_by_drug[day][drug] = total
        rated: dict[str, tuple[int, int]] = {
            day: (count, total)
            for day, count, total in self._conn.execute(
                "SELECT date, count(*), sum(severity) FROM rating"
                " WHERE date BETWEEN ? AND ? GROUP BY date",
                span,
            )
        }
        checkins = {
            row[0]: row[1:]
            for row in self._conn.execute(
                "SELECT date, wellbeing, sleep_hours, note, for_doctor FROM checkin"
                " WHERE date BETWEEN ? AND ?",
                span,
            )
        }
        events: dict[str, list[str]] = defaultdict(list)
        for day, title in self._conn.execute(
            "SELECT date, title FROM event WHERE date BETWEEN ? AND ? ORDER BY date, id", span
        ):
            events[day].append(title)
        holds = self.holds()
        days = sorted(set(dose_count) | set(checkins) | set(events), reverse=True)
        summaries = []
        for day in days:
            date = _date(day)
            count, total = rated.get(day, (0, 0))
            wellbeing, sleep, note, for_doctor = checkins.get(day, (None, None, None, 0))
            summaries.append(
                DaySummary(
                    date=date,
                    dose_count=dose_count.get(day, 0),
                    total_mg_by_drug=mg_by_drug.get(day, {}),
                    rated_symptoms=count,
                    burden_percent=burden_percent(count, total),
                    wellbeing=wellbeing,
                    sleep_hours=sleep,
                    note=note or "",
                    for_doctor=bool(for_doctor),
                    in_hold=any(h.covers(date) for h in holds),
                    events=tuple(events.get(day, ())),
                )
            )
        return summaries


def burden_percent(rated: int, severity_total: int) -> float | None:
    """Severities as a percentage of their maximum (4 each), over rated symptoms only."""
    return None if rated == 0 else severity_total / (4 * rated) * 100


def _opt_float(value: object) -> float | None:
    return None if value is None else float(str(value))


def _rowid(cursor: sqlite3.Cursor) -> int:
    rowid = cursor.lastrowid
    if rowid is None:
        raise RuntimeError("SQLite returned no row id for an insert.")
    return rowid


def _medication(
    row: tuple[str, str, str, float | None, float | None, int, int, float, int],
) -> Medication:
    name, drug, form, strength, concentration, med_id, split, syringe_ml, retired = row
    return Medication(
        name, drug, Form(form), strength, concentration, med_id, split, syringe_ml, bool(retired)
    )


def _regimen_change(row: tuple[int, str, str, str, int], doses: list[RegimenDose]) -> RegimenChange:
    change_id, date, kind, reason, prescriber = row
    return RegimenChange(
        _date(date), ChangeKind(kind), tuple(doses), reason, bool(prescriber), change_id
    )


def _dose(row: tuple[str, str, float, float | None, str, str, str | None, int]) -> Dose:
    taken_at, medication, mg, ml, note, kind, planned, dose_id = row
    return Dose(
        dt.datetime.fromisoformat(taken_at),
        medication,
        mg,
        ml,
        note,
        DoseKind(kind),
        None if planned is None else _time(planned),
        dose_id,
    )
