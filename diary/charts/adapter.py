"""Builds a ``ChartData`` from the service: the one place the charts read the diary.

Called once per ``changed``; everything after it (drawing, panning, hovering) works on the
arrays made here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from diary.charts.data import (
    AlignedCurve,
    Band,
    BandKind,
    ChartData,
    FloatArray,
    Mark,
    MarkKind,
)
from diary.domain.models import CheckIn, Event, EventKind, Hold
from diary.domain.stability.responses import aligned_curves
from diary.services.diary_service import DiaryService
from diary.services.planning import TimelineEntry
from diary.services.stability_report import (
    ALIGNED_AFTER_DAYS,
    ALIGNED_BEFORE_DAYS,
    StabilityReport,
)

MARK_KINDS = {
    "start": MarkKind.START,
    "cut": MarkKind.CUT,
    "updose": MarkKind.UPDOSE,
    "crossover": MarkKind.CROSSOVER,
}
TITLE_CHARACTERS = 22


def chart_data(service: DiaryService, today: dt.date) -> ChartData:
    """Everything the charts show, from the first record to the later of today and the last
    record."""
    checkins = service.all_records().checkins
    timeline = service.regimen_timeline()
    events = service.events()
    holds = service.holds()
    first, last = _span(checkins, timeline, [e.date for e in events], holds, today)
    if first is None or last is None:
        return ChartData()
    report = service.stability(first, last)
    symptoms = tuple(s.name for s in service.symptoms())
    return build_chart_data(report, checkins, timeline, events, holds, symptoms)


def build_chart_data(
    report: StabilityReport,
    checkins: Sequence[CheckIn],
    timeline: Sequence[TimelineEntry],
    events: Iterable[Event],
    holds: Sequence[Hold],
    symptoms: tuple[str, ...],
) -> ChartData:
    """Plain arrays from the report and the records, for the report's ``start`` to ``end``."""
    first, last = report.start, report.end
    count = (last - first).days + 1

    def daily(values: Mapping[dt.date, float | int | None]) -> FloatArray:
        array = np.full(count, np.nan)
        for day, value in values.items():
            if value is not None and first <= day <= last:
                array[(day - first).days] = float(value)
        return array

    dz_total = daily({d.date: d.total_mg for d in report.dz_series})
    rolling_by_day = {d.date: d.rolling for d in report.days}
    marks = tuple(_regimen_marks(timeline, first, last)) + tuple(_appointments(events, first, last))
    cut_dates = [m.date for m in marks if m.kind is MarkKind.CUT]
    return ChartData(
        first=first,
        last=last,
        dz_total=dz_total,
        dz_by_drug=_crossover_drugs(report),
        burden=daily({d.date: d.burden for d in report.days}),
        rolling=daily(rolling_by_day),
        sleep=daily(dict(report.sleep)),
        wellbeing=daily(dict(report.wellbeing)),
        symptoms=symptoms,
        severity=_severity(checkins, symptoms, first, count),
        marks=marks,
        bands=tuple(_bands(report, holds, last)),
        curves=tuple(_curves(rolling_by_day, cut_dates)),
        table=report.table,
    )


def _span(
    checkins: Sequence[CheckIn],
    timeline: Sequence[TimelineEntry],
    event_dates: list[dt.date],
    holds: Sequence[Hold],
    today: dt.date,
) -> tuple[dt.date | None, dt.date | None]:
    dates = [c.date for c in checkins] + [t.date for t in timeline] + event_dates
    dates += [h.start for h in holds]
    if not dates:
        return None, None
    return min(dates), max(max(dates), today)


def _crossover_drugs(report: StabilityReport) -> dict[str, FloatArray]:
    """Each drug's DZ-eq on the days when more than one drug is taken, and the day either
    side, so the lines meet the total where the crossover starts and ends."""
    first = report.start
    count = (report.end - first).days + 1
    mixed = np.zeros(count, dtype=bool)
    drugs: dict[str, FloatArray] = {}
    for day in report.dz_series:
        index = (day.date - first).days
        if not 0 <= index < count:
            continue
        taken = {drug: mg for drug, mg in day.by_drug.items() if mg > 0}
        if len(taken) > 1:
            mixed[index] = True
        for drug, mg in taken.items():
            drugs.setdefault(drug, np.full(count, np.nan))[index] = mg
    if not mixed.any():
        return {}
    near = mixed.copy()
    near[1:] |= mixed[:-1]
    near[:-1] |= mixed[1:]
    for values in drugs.values():
        values[~near] = np.nan
    return {drug: values for drug, values in drugs.items() if np.isfinite(values).any()}


def _regimen_marks(timeline: Sequence[TimelineEntry], first: dt.date, last: dt.date) -> list[Mark]:
    marks = []
    previous: float | None = None
    for entry in timeline:
        kind = MARK_KINDS.get(entry.kind)
        if kind is None:
            continue
        if first <= entry.date <= last:
            marks.append(Mark(entry.date, kind, _change_label(kind, previous, entry.dz_total)))
        previous = entry.dz_total
    return marks


def _change_label(kind: MarkKind, before: float | None, after: float | None) -> str:
    if kind is MarkKind.START:
        return "Start"
    if kind is MarkKind.CROSSOVER:
        return "Crossover step"
    if before and after is not None:
        percent = abs(after - before) / before * 100
        return f"Cut {percent:.0f}%" if kind is MarkKind.CUT else f"Reinstated +{percent:.0f}%"
    return "Cut" if kind is MarkKind.CUT else "Reinstated"


def _appointments(events: Iterable[Event], first: dt.date, last: dt.date) -> list[Mark]:
    return [
        Mark(e.date, MarkKind.APPOINTMENT, _short(e.title or "Appointment"))
        for e in events
        if e.kind is EventKind.APPOINTMENT and first <= e.date <= last
    ]


def _short(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= TITLE_CHARACTERS:
        return text
    return text[: TITLE_CHARACTERS - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def _bands(report: StabilityReport, holds: Sequence[Hold], last: dt.date) -> list[Band]:
    bands = [
        Band(max(h.start, report.start), min(h.end or last, last), BandKind.HOLD, "Hold")
        for h in holds
        if h.start <= last and (h.end or last) >= report.start
    ]
    bands += [Band(r.start, r.end, BandKind.WAVE, "Wave") for r in report.waves]
    bands += [Band(r.start, r.end, BandKind.WINDOW, "Window") for r in report.windows]
    return bands


def _severity(
    checkins: Sequence[CheckIn], symptoms: tuple[str, ...], first: dt.date, count: int
) -> FloatArray:
    rows = {name: row for row, name in enumerate(symptoms)}
    severity = np.full((len(symptoms), count), np.nan)
    for checkin in checkins:
        column = (checkin.date - first).days
        if not 0 <= column < count:
            continue
        for name, value in checkin.ratings.items():
            row = rows.get(name)
            if row is not None:
                severity[row, column] = value
    return severity


def _curves(
    rolling: Mapping[dt.date, float | None], cut_dates: list[dt.date]
) -> list[AlignedCurve]:
    known = {day: value for day, value in rolling.items() if value is not None}
    curves = []
    for anchor, points in aligned_curves(
        known, cut_dates, ALIGNED_BEFORE_DAYS, ALIGNED_AFTER_DAYS
    ).items():
        offsets = np.array([offset for offset, _ in points], dtype=np.float64)
        values = np.array([np.nan if v is None else v for _, v in points], dtype=np.float64)
        curves.append(AlignedCurve(anchor, MarkKind.CUT, offsets, values))
    return sorted(curves, key=lambda c: c.date)
