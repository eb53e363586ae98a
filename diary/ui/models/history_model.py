"""The diary's days as a table: one ``HistoryRow`` per day, a model over them, and the
filter (dates, flagged for the doctor, note search) that the History page puts in front.

DZ-eq is the daily diazepam equivalent of the regimen *in force* on each day (the latest
regimen change on or before it), worked out per regimen change with
``DiaryService.diazepam_equivalent``, by the diary's equivalence table and the user's
overrides. It is what was planned, not a sum of the doses recorded that day.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from diary.domain.equivalence import get_table
from diary.domain.errors import DiaryError
from diary.domain.models import ChangeKind, DaySummary, Event, EventKind, Hold, RegimenChange
from diary.domain.validation import describe_date
from diary.services.diary_service import DiaryService
from diary.ui.formatting import (
    NOT_LOGGED,
    NOTE_EXCERPT_CHARS,
    format_burden,
    format_date,
    format_doses,
    format_mg,
    format_sleep,
    format_wellbeing,
    note_excerpt,
)

AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a value that sorts: numbers, dates as day numbers
ROW_DATE_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's date, on every cell
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
NOT_LOGGED_KEY = -1.0  # not logged sorts below every logged value, 0 included
MARKER_SEPARATOR = " \N{MIDDLE DOT} "
SEARCH_CONTEXT_CHARS = 20  # shown before a match that lies outside the usual excerpt

CHANGE_WORDS: dict[ChangeKind, tuple[str, str]] = {  # short word, what it means
    ChangeKind.START: ("Start", "The regimen was first recorded"),
    ChangeKind.CUT: ("Cut", "A cut"),
    ChangeKind.UPDOSE: ("Updose", "An updose (reinstatement)"),
    ChangeKind.CROSSOVER: ("Crossover", "A crossover step"),
}
EVENT_WORDS: dict[EventKind, str] = {
    EventKind.APPOINTMENT: "Appointment",
    EventKind.ILLNESS: "Illness",
    EventKind.LIFE_EVENT: "Life event",
    EventKind.NOTE: "Event",
}


@dataclass(frozen=True)
class Marker:
    word: str  # short, shown in the table
    detail: str  # a sentence, for the tooltip and screen readers


@dataclass(frozen=True)
class Dosage:
    """The daily DZ-eq of one regimen change, or why there is none."""

    change: RegimenChange
    total_mg: float | None
    problem: str = ""


@dataclass(frozen=True)
class HistoryRow:
    date: dt.date
    summary: DaySummary | None  # None: nothing logged; the row is there for its markers
    in_force: Dosage | None  # the regimen change in force on the day
    markers: tuple[Marker, ...]
    # the note and event titles, casefolded, each run of white space made one space
    searchable: str = field(default="", repr=False)

    @property
    def dz_mg(self) -> float | None:
        return self.in_force.total_mg if self.in_force else None

    @property
    def logged(self) -> bool:
        return self.summary is not None

    @property
    def note(self) -> str:
        return self.summary.note if self.summary else ""

    @property
    def for_doctor(self) -> bool:
        return self.summary.for_doctor if self.summary else False


@dataclass(frozen=True)
class HistoryData:
    rows: list[HistoryRow]
    table_title: str  # the equivalence table the DZ-eq column uses


# ---- building the rows ----------------------------------------------------------------
def load_history(service: DiaryService) -> HistoryData:
    """Everything the History page shows, read from the service in one go."""
    table_title = get_table(service.equivalence_table()).title
    dosages = [_dosage(service, change) for change in service.regimen_history()]
    rows = build_rows(service.day_summaries(), dosages, service.holds(), service.events())
    return HistoryData(rows, table_title)


def _dosage(service: DiaryService, change: RegimenChange) -> Dosage:
    try:
        total = sum(service.diazepam_equivalent(d.drug, d.mg) for d in change.doses)
    except DiaryError as error:  # a drug the table has no single value for
        return Dosage(change, None, error.message)
    return Dosage(change, total)


def build_rows(
    summaries: Iterable[DaySummary],
    dosages: Sequence[Dosage],
    holds: Sequence[Hold],
    events: Iterable[Event],
) -> list[HistoryRow]:
    """One row per day with anything logged, plus the days a regimen change or a hold starts
    or ends (so those markers are never hidden by a day without a check-in); newest first."""
    ordered = sorted(dosages, key=lambda d: d.change.date)
    change_dates = [d.change.date for d in ordered]
    events_by_day: dict[dt.date, list[Event]] = {}
    for event in events:
        events_by_day.setdefault(event.date, []).append(event)
    hold_spans = {id(hold): _hold_span(hold) for hold in holds}
    by_day: dict[dt.date, DaySummary | None] = {s.date: s for s in summaries}
    for day in _marker_days(ordered, holds):
        by_day.setdefault(day, None)
    rows = []
    for day in sorted(by_day, reverse=True):
        summary = by_day[day]
        position = bisect.bisect_right(change_dates, day) - 1
        in_force = ordered[position] if position >= 0 else None
        before = ordered[position - 1] if position >= 1 else None
        day_events = events_by_day.get(day, [])
        markers = _markers(day, in_force, before, holds, hold_spans, day_events, summary)
        searchable = " ".join([summary.note if summary else ""] + [e.title for e in day_events])
        rows.append(
            HistoryRow(
                date=day,
                summary=summary,
                in_force=in_force,
                markers=markers,
                searchable=" ".join(searchable.split()).casefold(),
            )
        )
    return rows


def _marker_days(dosages: Sequence[Dosage], holds: Sequence[Hold]) -> set[dt.date]:
    days = {d.change.date for d in dosages}
    for hold in holds:
        days.add(hold.start)
        if hold.end is not None:
            days.add(hold.end)
    return days


def _dz_detail(in_force: Dosage | None) -> str:
    if in_force is None:
        return "No regimen is recorded yet on this day."
    since = describe_date(in_force.change.date)
    if in_force.total_mg is None:
        return f"The regimen in force since {since}: {in_force.problem}"
    return (
        f"{format_mg(round(in_force.total_mg, 2))} diazepam a day: "
        f"the regimen in force since {since}."
    )


def _markers(
    day: dt.date,
    in_force: Dosage | None,
    before: Dosage | None,
    holds: Sequence[Hold],
    hold_spans: dict[int, str],
    events: Sequence[Event],
    summary: DaySummary | None,
) -> tuple[Marker, ...]:
    markers = []
    if in_force is not None and in_force.change.date == day:
        markers.append(_change_marker(in_force, before))
    markers.extend(
        _hold_marker(day, hold, hold_spans[id(hold)]) for hold in holds if hold.covers(day)
    )
    kinds = sorted({e.kind for e in events}, key=list(EventKind).index)
    for kind in kinds:
        titles = "; ".join(e.title for e in events if e.kind == kind)
        markers.append(Marker(EVENT_WORDS[kind], f"{EVENT_WORDS[kind]}: {titles}."))
    if summary is not None and summary.for_doctor:
        markers.append(Marker("For doctor", "Marked to show your doctor."))
    return tuple(markers)


def _change_marker(change: Dosage, before: Dosage | None) -> Marker:
    word, meaning = CHANGE_WORDS[ChangeKind(change.change.kind)]
    detail = f"{meaning} on this day"
    if change.total_mg is not None:
        after = format_mg(round(change.total_mg, 2))
        if before is not None and before.total_mg is not None:
            detail += f": from {format_mg(round(before.total_mg, 2))} to {after} DZ-eq a day"
        else:
            detail += f": {after} DZ-eq a day"
    reason = change.change.reason.strip()
    return Marker(word, f"{detail}." + (f" {reason}" if reason else ""))


def _hold_span(hold: Hold) -> str:
    end = f" to {describe_date(hold.end)}" if hold.end else ", still going on"
    return f"from {describe_date(hold.start)}{end}"


def _hold_marker(day: dt.date, hold: Hold, span: str) -> Marker:
    reason = f" {hold.reason.strip()}" if hold.reason.strip() else ""
    if day == hold.start:
        return Marker("Hold starts", f"A hold starts on this day ({span}).{reason}")
    if day == hold.end:
        return Marker("Hold ends", f"A hold ends on this day ({span}).{reason}")
    return Marker("Hold", f"In a hold ({span}).{reason}")


# ---- columns ---------------------------------------------------------------------------
def _summary_text(
    show: Callable[[DaySummary], str],
) -> Callable[[HistoryRow], str]:
    return lambda row: show(row.summary) if row.summary else NOT_LOGGED


def _number_key(value: Callable[[DaySummary], float | None]) -> Callable[[HistoryRow], Any]:
    def key(row: HistoryRow) -> float:
        number = value(row.summary) if row.summary else None
        return NOT_LOGGED_KEY if number is None else float(number)

    return key


def _dz_text(row: HistoryRow) -> str:
    return NOT_LOGGED if row.dz_mg is None else format_mg(round(row.dz_mg, 2))


def _doses_tip(row: HistoryRow) -> str:
    summary = row.summary
    if summary is None or summary.dose_count == 0:
        return "No doses recorded on this day."
    drugs = ", ".join(
        f"{format_mg(mg)} {drug}" for drug, mg in sorted(summary.total_mg_by_drug.items())
    )
    taken = f"{summary.dose_count} dose{'s' if summary.dose_count != 1 else ''} recorded"
    return f"{taken}: {drugs}." if drugs else f"{taken}."


def _burden_tip(row: HistoryRow) -> str:
    summary = row.summary
    if summary is None or summary.burden_percent is None:
        return "No symptoms rated on this day."
    rated = summary.rated_symptoms
    return (
        f"{rated} symptom{'s' if rated != 1 else ''} rated; together they reached "
        f"{summary.burden_percent:.0f}% of the most severe rating."
    )


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[HistoryRow], str]
    sort_key: Callable[[HistoryRow], Any]
    tooltip: Callable[[HistoryRow], str]
    alignment: Qt.AlignmentFlag
    header_tip: str


COLUMNS: tuple[Column, ...] = (
    Column(
        "Date",
        lambda r: format_date(r.date),
        lambda r: float(r.date.toordinal()),
        lambda r: f"{r.date:%A} {describe_date(r.date)}. Press Enter to open it in Today.",
        LEFT,
        "The day. Double-click a day or press Enter to open it in Today.",
    ),
    Column(
        "Doses",
        _summary_text(format_doses),
        _number_key(lambda s: s.dose_count if s.dose_count else None),
        _doses_tip,
        LEFT,
        "Doses recorded on the day: how many, and the total mg of each drug.",
    ),
    Column(
        "DZ-eq",
        _dz_text,
        lambda r: NOT_LOGGED_KEY if r.dz_mg is None else r.dz_mg,
        lambda r: _dz_detail(r.in_force),
        RIGHT,
        "Daily diazepam equivalent of the regimen in force on the day.",
    ),
    Column(
        "Symptoms",
        _summary_text(format_burden),
        _number_key(lambda s: s.burden_percent),
        _burden_tip,
        RIGHT,
        "Symptom burden: the rated symptoms' severities as a share of their maximum.",
    ),
    Column(
        "Wellbeing",
        _summary_text(format_wellbeing),
        _number_key(lambda s: s.wellbeing),
        lambda r: "Wellbeing, 0 to 10.",
        RIGHT,
        "Overall wellbeing, 0 to 10.",
    ),
    Column(
        "Sleep",
        _summary_text(format_sleep),
        _number_key(lambda s: s.sleep_hours),
        lambda r: "Hours slept.",
        RIGHT,
        "Hours slept.",
    ),
    Column(
        "Marks",
        lambda r: MARKER_SEPARATOR.join(m.word for m in r.markers),
        lambda r: MARKER_SEPARATOR.join(m.word for m in r.markers),
        lambda r: "\n".join(m.detail for m in r.markers),
        LEFT,
        "Cuts, updoses, crossover steps, holds, events, and days marked for your doctor.",
    ),
    Column(
        "Note",
        lambda r: note_excerpt(r.note),
        lambda r: r.note.casefold(),
        lambda r: r.note.strip(),
        LEFT,
        "The day's note (the start of it). Point at it to read all of it.",
    ),
)
DATE_COLUMN = 0
DZ_COLUMN = next(i for i, column in enumerate(COLUMNS) if column.title == "DZ-eq")
MARKS_COLUMN = next(i for i, column in enumerate(COLUMNS) if column.title == "Marks")
NOTE_COLUMN = next(i for i, column in enumerate(COLUMNS) if column.title == "Note")


def spoken(text: str, row: HistoryRow, column: int) -> str:
    """What a screen reader says for a cell: words for dashes and marks."""
    if column == MARKS_COLUMN:
        return " ".join(m.detail for m in row.markers) or "no marks"
    if column == DATE_COLUMN:
        return f"{row.date:%A} {describe_date(row.date)}"
    return "not logged" if text == NOT_LOGGED else text


# ---- the model -------------------------------------------------------------------------
class HistoryModel(QAbstractTableModel):
    """Rows newest first until the user sorts by another column."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[HistoryRow] = []
        self._sort: tuple[int, Qt.SortOrder] = (DATE_COLUMN, Qt.SortOrder.DescendingOrder)
        self.table_title = ""
        self._search_words = ""  # while searching, notes show the part that matches

    def set_data(self, data: HistoryData) -> None:
        self.beginResetModel()
        self._rows = _sorted(data.rows, *self._sort)
        self.table_title = data.table_title
        self.endResetModel()

    def clear(self) -> None:
        self.set_data(HistoryData([], ""))

    def row_at(self, row: int) -> HistoryRow:
        return self._rows[row]

    def show_matches_of(self, words: str) -> None:
        if words == self._search_words:
            return
        self._search_words = words
        if self._rows:
            last = len(self._rows) - 1
            roles = [Qt.ItemDataRole.DisplayRole]
            self.dataChanged.emit(self.index(0, NOTE_COLUMN), self.index(last, NOTE_COLUMN), roles)

    def row_of(self, day: dt.date) -> int | None:
        return next((i for i, row in enumerate(self._rows) if row.date == day), None)

    def dates(self) -> list[dt.date]:
        return [row.date for row in self._rows]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == NOTE_COLUMN and self._search_words:
                return excerpt_around(row.note, self._search_words)
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return spoken(column.text(row), row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment)
        if role == SORT_ROLE:
            return column.sort_key(row)
        if role == ROW_DATE_ROLE:
            return row.date
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == DZ_COLUMN and self.table_title:
                return f"{column.header_tip} By the {self.table_title} table."
            return column.header_tip
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python, keeping selections: thousands of rows sort in a few milliseconds,
        where Qt's proxy sort would call back into Python for every comparison."""
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        kept = [(self._rows[i.row()], i.column()) for i in before]
        self._rows = _sorted(self._rows, column, order)
        position = {id(row): i for i, row in enumerate(self._rows)}
        after = [self.index(position[id(row)], col) for row, col in kept]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()


def _sorted(rows: Sequence[HistoryRow], column: int, order: Qt.SortOrder) -> list[HistoryRow]:
    newest_first = sorted(rows, key=lambda r: r.date, reverse=True)  # ties stay newest first
    descending = order == Qt.SortOrder.DescendingOrder
    return sorted(newest_first, key=COLUMNS[column].sort_key, reverse=descending)


# ---- the filter ------------------------------------------------------------------------
@dataclass(frozen=True)
class Criteria:
    start: dt.date | None = None
    end: dt.date | None = None
    for_doctor_only: bool = False
    search: str = ""  # matched case-insensitively against notes and event titles

    @property
    def words(self) -> str:
        return " ".join(self.search.split()).casefold()

    def accepts(self, row: HistoryRow) -> bool:
        if self.start is not None and row.date < self.start:
            return False
        if self.end is not None and row.date > self.end:
            return False
        if self.for_doctor_only and not row.for_doctor:
            return False
        words = self.words
        return not words or words in row.searchable


class HistoryFilter(QSortFilterProxyModel):
    """Shows the rows the criteria accept. Sorting is passed on to ``HistoryModel``."""

    def __init__(self, source: HistoryModel) -> None:
        super().__init__()
        self._source = source
        self._criteria = Criteria()
        self.setSourceModel(source)

    @property
    def criteria(self) -> Criteria:
        return self._criteria

    def set_criteria(self, criteria: Criteria) -> None:
        if criteria == self._criteria:
            return
        self.beginFilterChange()
        self._criteria = criteria
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self._source.show_matches_of(criteria.words)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        return self._criteria.accepts(self._source.row_at(source_row))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source.sort(column, order)

    def row_at(self, proxy_row: int) -> HistoryRow:
        return self._source.row_at(self.mapToSource(self.index(proxy_row, 0)).row())

    def row_of(self, day: dt.date) -> int | None:
        source_row = self._source.row_of(day)
        if source_row is None:
            return None
        proxy = self.mapFromSource(self._source.index(source_row, 0))
        return proxy.row() if proxy.isValid() else None


def excerpt_around(note: str, words: str) -> str:
    """The usual excerpt when it shows the match; otherwise a piece around the match."""
    usual = note_excerpt(note)
    flat = " ".join(note.split())
    at = flat.casefold().find(words)
    if at < 0 or words in usual.casefold():
        return usual
    start = max(0, at - SEARCH_CONTEXT_CHARS)
    piece = flat[start : start + NOTE_EXCERPT_CHARS].strip()
    before = "\N{HORIZONTAL ELLIPSIS}" if start > 0 else ""
    after = "\N{HORIZONTAL ELLIPSIS}" if start + len(piece) < len(flat) else ""
    return f"{before}{piece}{after}"
