"""Everything one appointment summary shows, read from the service once and kept as plain
data: the pages are laid out from this, never from the diary directly.

Notes the person did not choose to share are dropped here, so no later step can print them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from diary.charts.adapter import build_chart_data
from diary.charts.data import ChartData
from diary.domain.models import ChangeKind, DaySummary, Hold, RegimenChange
from diary.domain.stability.responses import CutResponse
from diary.domain.stability.trends import SymptomTrend
from diary.domain.taper.history import daily_diazepam
from diary.domain.taper.plans import PlanStep
from diary.domain.taper.rates import hold_days
from diary.report.options import NotesChoice, ReportOptions
from diary.services.diary_service import DiaryService
from diary.services.planning import TaperStatus


@dataclass(frozen=True)
class Note:
    date: dt.date
    text: str
    for_doctor: bool


@dataclass(frozen=True)
class Reinstatement:
    date: dt.date
    from_mg: float  # DZ-eq a day before the change
    to_mg: float
    reason: str
    prescriber_involved: bool


@dataclass(frozen=True)
class PeriodCounts:
    """Counts within the report's period (the overall ones are in ``TaperStatus.figures``)."""

    cuts: int
    reinstatements: int
    hold_days: int


@dataclass(frozen=True)
class ReportContent:
    options: ReportOptions
    generated: dt.date
    first_entry: dt.date | None  # the diary's first dated record, None for an empty diary
    has_entries: bool  # anything logged or in force in the period
    status: TaperStatus  # as of the period's last day
    table_title: str
    period: PeriodCounts
    trends: list[SymptomTrend]
    holds: list[Hold]  # overlapping the period
    reinstatements: list[Reinstatement]  # in the period
    flagged_notes: list[Note]  # shared: the flagged ones unless notes are "none"
    other_notes: list[Note]  # shared only when notes are "all"
    cut_responses: list[CutResponse]
    plan_steps: list[PlanStep]  # not yet applied
    days: list[DaySummary]  # the daily log, oldest first; notes already filtered
    chart: ChartData
    response_window_days: int


def gather(service: DiaryService, options: ReportOptions, today: dt.date) -> ReportContent:
    """Read the period from ``service``; ``options`` must already be checked."""
    start, end = options.start, options.end
    records = service.all_records()
    changes = list(records.regimen_changes)
    stability = service.stability(start, end)
    status = service.status(end)
    timeline = service.regimen_timeline()
    holds = [h for h in records.holds if h.start <= end and (h.end is None or h.end >= start)]
    days = sorted(service.day_summaries(start, end), key=lambda d: d.date)
    symptoms = tuple(s.name for s in service.symptoms())
    chart = build_chart_data(stability, records.checkins, timeline, records.events, holds, symptoms)
    flagged, others = _shared_notes(days, options.notes)
    plan = status.plan
    pending = []
    if plan is not None:
        pending = [
            step
            for step, applied in zip(plan.schedule, plan.plan.applied, strict=True)
            if applied is None
        ]
    dated = [c.date for c in records.checkins] + [c.date for c in changes]
    dated += [d.local_date for d in records.doses] + [e.date for e in records.events]
    in_force = status.regimen is not None
    return ReportContent(
        options=options,
        generated=today,
        first_entry=min(dated, default=None),
        has_entries=bool(days) or in_force,
        status=status,
        table_title=status.table_title,
        period=PeriodCounts(
            cuts=sum(1 for c in changes if start <= c.date <= end and c.kind is ChangeKind.CUT),
            reinstatements=sum(
                1 for c in changes if start <= c.date <= end and c.kind is ChangeKind.UPDOSE
            ),
            hold_days=_hold_days_in(holds, start, end),
        ),
        trends=[t for t in stability.trends if t.mean is not None],
        holds=holds,
        reinstatements=_reinstatements(changes, start, end, service),
        flagged_notes=flagged,
        other_notes=others,
        cut_responses=stability.cut_responses,
        plan_steps=pending,
        days=_days_shared(days, options.notes),
        chart=chart,
        response_window_days=stability.params.response_window_days,
    )


def _shared_notes(days: Sequence[DaySummary], choice: NotesChoice) -> tuple[list[Note], list[Note]]:
    if choice is NotesChoice.NONE:
        return [], []
    noted = [Note(d.date, d.note.strip(), d.for_doctor) for d in days if d.note.strip()]
    flagged = [n for n in noted if n.for_doctor]
    others = [n for n in noted if not n.for_doctor] if choice is NotesChoice.ALL else []
    return flagged, others


def _days_shared(days: Sequence[DaySummary], choice: NotesChoice) -> list[DaySummary]:
    """The daily log's rows, with each note blanked unless the person shares it."""

    def shared(day: DaySummary) -> bool:
        return choice is NotesChoice.ALL or (choice is NotesChoice.FLAGGED and day.for_doctor)

    return [
        day
        if shared(day)
        else DaySummary(
            date=day.date,
            dose_count=day.dose_count,
            total_mg_by_drug=day.total_mg_by_drug,
            rated_symptoms=day.rated_symptoms,
            burden_percent=day.burden_percent,
            wellbeing=day.wellbeing,
            sleep_hours=day.sleep_hours,
            note="",
            for_doctor=day.for_doctor,
            in_hold=day.in_hold,
            events=day.events,
        )
        for day in days
    ]


def _hold_days_in(holds: Sequence[Hold], start: dt.date, end: dt.date) -> int:
    clipped = [
        Hold(max(h.start, start), end if h.end is None else min(h.end, end), h.reason)
        for h in holds
    ]
    return hold_days(clipped, end)


def _reinstatements(
    changes: Sequence[RegimenChange], start: dt.date, end: dt.date, service: DiaryService
) -> list[Reinstatement]:
    table = service.equivalence_table()
    overrides = service.equivalence_overrides()
    ordered = sorted(changes, key=lambda c: c.date)
    found = []
    for before, change in zip([None, *ordered], ordered, strict=False):
        if change.kind is not ChangeKind.UPDOSE or not start <= change.date <= end:
            continue
        from_mg = 0.0 if before is None else daily_diazepam(before.doses, table, overrides)
        to_mg = daily_diazepam(change.doses, table, overrides)
        found.append(
            Reinstatement(change.date, from_mg, to_mg, change.reason, change.prescriber_involved)
        )
    return found
