"""What the charts draw, as plain data: one value per day (NaN where nothing was logged),
dated marks and bands. No Qt here, and no service: the adapter fills it in.

The x coordinate of a day is the Unix time of its midnight in UTC, so pyqtgraph's date axis
(given ``utcOffset=0``) labels it with the right date whatever the computer's time zone.
A day spans ``[x, x + DAY_SECONDS)``; daily points sit at its middle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

DAY_SECONDS = 86_400.0
EPOCH = dt.date(1970, 1, 1)

FloatArray = npt.NDArray[np.float64]


def day_x(day: dt.date) -> float:
    """The x coordinate of the start of ``day``."""
    return (day - EPOCH).days * DAY_SECONDS


def x_day(x: float) -> dt.date:
    """The day that x coordinate ``x`` falls in."""
    return EPOCH + dt.timedelta(days=int(np.floor(x / DAY_SECONDS)))


class MarkKind(StrEnum):
    START = "start"
    CUT = "cut"
    UPDOSE = "updose"  # an updose or reinstatement
    CROSSOVER = "crossover"
    APPOINTMENT = "appointment"


class BandKind(StrEnum):
    HOLD = "hold"
    WINDOW = "window"  # a run of clearly better days
    WAVE = "wave"  # a run of clearly worse days


@dataclass(frozen=True)
class Mark:
    """A dated event drawn as a vertical line with a short label."""

    date: dt.date
    kind: MarkKind
    label: str


@dataclass(frozen=True)
class Band:
    """A stretch of days, ``start`` to ``end`` inclusive."""

    start: dt.date
    end: dt.date
    kind: BandKind
    label: str = ""


@dataclass(frozen=True)
class AlignedCurve:
    """The rolling burden around one regimen change, by days since that change."""

    date: dt.date
    kind: MarkKind
    offsets: FloatArray  # days since the change (negative before it)
    values: FloatArray  # NaN where nothing was logged


def _empty() -> FloatArray:
    return np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class ChartData:
    """Everything the three views draw, for the days ``first`` to ``last``.

    Every daily array has one entry per day of that span, NaN where there is no value.
    ``severity`` has one row per symptom in ``symptoms`` (0-4, NaN: not rated).
    """

    first: dt.date | None = None
    last: dt.date | None = None
    dz_total: FloatArray = field(default_factory=_empty)
    dz_by_drug: dict[str, FloatArray] = field(default_factory=dict)  # during crossovers only
    burden: FloatArray = field(default_factory=_empty)  # 0-100 %
    rolling: FloatArray = field(default_factory=_empty)  # 7-day rolling burden, 0-100 %
    sleep: FloatArray = field(default_factory=_empty)  # hours
    wellbeing: FloatArray = field(default_factory=_empty)  # 0-10
    symptoms: tuple[str, ...] = ()
    severity: FloatArray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float64))
    marks: tuple[Mark, ...] = ()
    bands: tuple[Band, ...] = ()
    curves: tuple[AlignedCurve, ...] = ()
    table: str = ""  # the equivalence table the DZ-eq figures use

    @property
    def day_count(self) -> int:
        if self.first is None or self.last is None:
            return 0
        return (self.last - self.first).days + 1

    @property
    def is_empty(self) -> bool:
        return self.day_count == 0

    def starts(self) -> FloatArray:
        """The x of each day's start."""
        if self.first is None:
            return _empty()
        return day_x(self.first) + np.arange(self.day_count, dtype=np.float64) * DAY_SECONDS

    def middles(self) -> FloatArray:
        """The x of each day's middle, where daily points are drawn."""
        return self.starts() + DAY_SECONDS / 2

    def index_of(self, day: dt.date) -> int | None:
        if self.first is None or self.last is None or not self.first <= day <= self.last:
            return None
        return (day - self.first).days

    def date_at(self, index: int) -> dt.date:
        assert self.first is not None
        return self.first + dt.timedelta(days=index)

    def marks_of(self, *kinds: MarkKind) -> list[Mark]:
        return [m for m in self.marks if m.kind in kinds]

    def bands_of(self, kind: BandKind) -> list[Band]:
        return [b for b in self.bands if b.kind is kind]

    def last_appointment(self) -> dt.date | None:
        dates = [m.date for m in self.marks if m.kind is MarkKind.APPOINTMENT]
        return max(dates) if dates else None


def step_xy(starts: FloatArray, values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """A daily series as a step line: each value held flat across its whole day, with a
    vertical step at midnight, and NaN breaks where the value is missing.

    Only the days where the value changes become vertices, so ten years of a regimen that
    changes thirty times is a path of a few hundred points, not thousands.
    """
    if len(values) == 0:
        return _empty(), _empty()
    ends = starts + DAY_SECONDS
    finite = np.isfinite(values)
    changed = np.ones(len(values), dtype=bool)
    same = (values[1:] == values[:-1]) & finite[1:] & finite[:-1]
    changed[1:] = ~same
    xs: list[float] = []
    ys: list[float] = []
    run_starts = np.flatnonzero(changed)
    run_ends = np.append(run_starts[1:], len(values)) - 1
    for begin, end in zip(run_starts, run_ends, strict=True):
        value = float(values[begin])
        if not np.isfinite(value):
            xs.append(float(starts[begin]))
            ys.append(np.nan)
            continue
        xs.extend((float(starts[begin]), float(ends[end])))
        ys.extend((value, value))
    return np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)


def nan_median(curves: list[FloatArray], min_count: int = 2) -> FloatArray:
    """The median of equally long curves at each position, NaN where fewer than
    ``min_count`` of them have a value."""
    if not curves:
        return _empty()
    stacked = np.vstack(curves)
    counts = np.sum(np.isfinite(stacked), axis=0)
    result = np.full(stacked.shape[1], np.nan)
    enough = counts >= min_count
    if np.any(enough):
        result[enough] = np.nanmedian(stacked[:, enough], axis=0)
    return result
