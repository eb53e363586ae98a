"""A realistic synthetic diary, for trying the app and for benchmarks. Nobody's real data.

The story: a long-term user on clonazepam 0.5 mg three times a day crosses over to diazepam
one dose time at a time (Ashton: 0.5 mg clonazepam ~ 10 mg diazepam), then tapers by
percentage cuts of the most recent dose. The fourth cut (25%) is too fast: symptoms climb and
they reinstate part of it with their prescriber, then hold while things settle. A later
illness brings a second hold. Below 6 mg/day they move to a 1 mg/mL oral solution for
smaller steps. Symptoms follow each cut with a delay (rising after a few days, peaking one
to two weeks later, then easing), over slow waves and windows. About one day in ten is not
logged at all, some as multi-day gaps. There are notes (some flagged for the doctor),
appointments every two to three months, an illness and a life event.

Everything comes from one seeded ``random.Random``, so the same arguments give the same diary.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from diary.domain.models import (
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
)
from diary.domain.records import DiaryRecords
from diary.domain.taper.plans import PlanMethod, PlanSpec
from diary.services.diary_service import DiaryService

DEFAULT_SEED = 20250301
DEFAULT_DAYS = 730
DEMO_PASSPHRASE = "demo"

CLONAZEPAM = Medication("Clonazepam 0.5 mg", "clonazepam", Form.TABLET, strength_mg=0.5)
DIAZEPAM_TABLET = Medication("Diazepam 2 mg", "diazepam", Form.TABLET, strength_mg=2.0)
DIAZEPAM_LIQUID = Medication(
    "Diazepam oral solution 1 mg/mL", "diazepam", Form.LIQUID, concentration_mg_ml=1.0
)

MORNING, MIDDAY, NIGHT = dt.time(8, 0), dt.time(14, 0), dt.time(22, 0)

# Maps a day of the nominal story (see ACTIVE_NOMINAL_DAYS) to a date of this diary.
_DateOf = Callable[[float], dt.date]

# Nominal length of the crossover and taper; longer diaries start with years of stable use,
# shorter ones squeeze the same story into their span.
ACTIVE_NOMINAL_DAYS = 1460
LIQUID_BELOW_MG = 6.0
LOWEST_TAPER_MG = 1.0
TOO_FAST_CUT = 4  # the cut number that is 25% and leads to the reinstatement
ILLNESS_AFTER_CUT = 12

# Keywords picking the symptoms this person tracks out of the diary's catalogue, with how
# strongly each follows the overall burden.
TRACKED_SYMPTOMS = (
    ("anxiety", 1.1),
    ("insomnia", 1.0),
    ("fatigue", 0.8),
    ("muscle", 0.9),
    ("concentration", 0.9),
    ("unreal", 0.6),
    ("tinnitus", 0.5),
    ("head", 0.7),
    ("stomach", 0.6),
    ("racing heart", 0.7),
)

NOTES_GOOD = (
    "Good day; walked by the river.",
    "A window: clear head most of the afternoon.",
    "Felt close to my old self today.",
    "Slept through the night for once.",
)
NOTES_MIXED = (
    "Wired in the evening, slept badly.",
    "Head pressure on and off all day.",
    "Tired but managed a short walk.",
    "Some tinnitus at night, otherwise fine.",
)
NOTES_HARD = (
    "Strong wave today: shaking and racing heart in the morning.",
    "Could not concentrate at all; stayed home.",
    "Very anxious on waking, eased a little by evening.",
    "Burning skin and muscle aches; hard day.",
)


@dataclass
class _Story:
    """The dated skeleton of the diary, before daily entries are filled in."""

    changes: list[RegimenChange] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # (date, strength): a cut of 0.1 is a 10% step; a negative value is relief (updose)
    waves: list[tuple[dt.date, float]] = field(default_factory=list)


def demo_records(
    days: int,
    symptom_names: Sequence[str],
    end: dt.date,
    seed: int = DEFAULT_SEED,
) -> DiaryRecords:
    """``days`` days of synthetic diary ending on ``end``, rating some of ``symptom_names``."""
    if days < 1:
        raise ValueError("days must be at least 1")
    rng = random.Random(seed)
    start = end - dt.timedelta(days=days - 1)
    story = _story(rng, start, end, days)
    tracked = _pick_symptoms(rng, symptom_names)
    zone = _zone()
    doses: list[Dose] = []
    checkins: list[CheckIn] = []
    unlogged = _unlogged_days(rng, start, end)
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        if day in unlogged:
            continue
        regimen = _regimen_on(story.changes, day)
        doses.extend(_doses_of_day(rng, day, regimen, zone))
        checkins.append(_checkin_of_day(rng, day, story, tracked, regimen))
    return DiaryRecords(
        medications=(CLONAZEPAM, DIAZEPAM_TABLET, DIAZEPAM_LIQUID),
        regimen_changes=tuple(story.changes),
        doses=tuple(doses),
        holds=tuple(story.holds),
        checkins=tuple(checkins),
        events=tuple(sorted(story.events, key=lambda e: e.date)),
    )


def write_demo(
    service: DiaryService, days: int, end: dt.date, seed: int = DEFAULT_SEED
) -> DiaryRecords:
    """Fill an empty diary with the synthetic story and a plan ahead: one transaction, one
    save. Returns everything the diary then holds."""
    names = [s.name for s in service.symptoms()]
    records = demo_records(days, names, end, seed)
    rated = {name for checkin in records.checkins for name in checkin.ratings}
    with service.batch("Create demo diary"):
        service.import_records(records)
        for name in names:
            if name not in rated:
                service.set_symptom_tracked(name, False)
        service.create_plan(_plan_ahead(end))
    return service.all_records()


def _plan_ahead(end: dt.date) -> PlanSpec:
    """The plan the person has made for the last stretch: 10% of the dose just before, every
    two weeks, measured with the 1 mg/mL liquid, with 0.3 mg a day as the chosen last step."""
    return PlanSpec(
        method=PlanMethod.PERCENT,
        interval_days=14,
        start=end + dt.timedelta(days=7),
        percent=10,
        final_step_mg=0.3,
    )


# ---- the story: regimen changes, holds, events ------------------------------------------


def _story(rng: random.Random, start: dt.date, end: dt.date, days: int) -> _Story:
    stable_days = max(round(days * 0.2), days - ACTIVE_NOMINAL_DAYS)
    # Squeeze the story into shorter diaries, but not so far that cuts come days apart:
    # below that, the diary simply ends earlier in the story.
    scale = max(0.5, (days - stable_days) / ACTIVE_NOMINAL_DAYS)
    active_start = start + dt.timedelta(days=stable_days)

    def on(nominal: float) -> dt.date:
        return active_start + dt.timedelta(days=round(nominal * scale))

    story = _Story()
    clonazepam = {
        t: RegimenDose("clonazepam", 0.5, t, CLONAZEPAM.name) for t in (MORNING, MIDDAY, NIGHT)
    }
    story.changes.append(
        RegimenChange(start, ChangeKind.START, tuple(clonazepam.values()), "Long-term regimen")
    )
    _crossover(story, clonazepam, on, end)
    _taper(rng, story, on, end)
    _appointments(rng, story, start, end)
    story.events.append(
        Event(
            start + dt.timedelta(days=days * 2 // 3),
            EventKind.LIFE_EVENT,
            "Moved house",
            "Stressful week of packing.",
        )
    )
    return story


def _crossover(
    story: _Story,
    current: dict[dt.time, RegimenDose],
    on: _DateOf,
    end: dt.date,
) -> None:
    """Replace one clonazepam dose time at a time by 10 mg diazepam, evening first."""
    for step, time in enumerate((NIGHT, MIDDAY, MORNING)):
        day = on(step * 21)
        if day > end or day <= story.changes[-1].date:
            return
        current[time] = RegimenDose("diazepam", 10.0, time, DIAZEPAM_TABLET.name)
        story.changes.append(
            RegimenChange(
                day,
                ChangeKind.CROSSOVER,
                tuple(current[t] for t in (MORNING, MIDDAY, NIGHT)),
                f"Crossover step {step + 1} of 3: the {_time_words(time)} clonazepam "
                "replaced by diazepam",
                prescriber_involved=True,
            )
        )
        story.waves.append((day, 0.04))


def _taper(rng: random.Random, story: _Story, on: _DateOf, end: dt.date) -> None:
    """Percentage cuts of the most recent dose, with one reinstatement and two holds."""
    total, liquid, cursor, cut_number = 30.0, False, 42.0, 0
    previous_total = total
    while True:
        cursor += rng.uniform(24, 38)
        day = on(cursor)
        if day > end or day <= story.changes[-1].date:
            return
        cut_number += 1
        percent = 0.25 if cut_number == TOO_FAST_CUT else rng.choice((0.05, 0.075, 0.1, 0.1))
        step = 0.1 if liquid else 0.5
        new_total = _round_to(total * (1 - percent), step)
        if new_total < LOWEST_TAPER_MG:
            return  # stays at a low dose; a final step is the person's own decision
        reason = f"{percent:.1%} cut".replace(".0%", "%")
        if not liquid and new_total <= LIQUID_BELOW_MG:
            liquid = True
            new_total = _round_to(total * (1 - percent), 0.1)
            reason += "; moved to the 1 mg/mL oral solution for smaller steps"
        story.changes.append(
            RegimenChange(day, ChangeKind.CUT, _diazepam_doses(new_total, liquid), reason)
        )
        story.waves.append((day, percent))
        previous_total, total = total, new_total
        if cut_number == TOO_FAST_CUT:
            cursor, total = _reinstate(story, on, cursor, previous_total, end)
        elif cut_number == ILLNESS_AFTER_CUT:
            cursor = _illness_hold(story, on, cursor, end)


def _reinstate(
    story: _Story, on: _DateOf, cursor: float, back_to: float, end: dt.date
) -> tuple[float, float]:
    """Go back up to the dose before a too-fast cut, then hold while things settle."""
    cursor += 16
    day = on(cursor)
    if day > end or day <= story.changes[-1].date:
        return cursor, _regimen_total(story.changes[-1])
    story.changes.append(
        RegimenChange(
            day,
            ChangeKind.UPDOSE,
            _diazepam_doses(back_to, liquid=False),
            "The 25% cut was too fast; went back up to stabilise",
            prescriber_involved=True,
        )
    )
    story.waves.append((day, -0.05))
    hold_end = on(cursor + 90)
    reason = "Stabilising after the updose"
    story.holds.append(Hold(day, hold_end if hold_end <= end else None, reason))
    return cursor + 90, back_to


def _illness_hold(story: _Story, on: _DateOf, cursor: float, end: dt.date) -> float:
    cursor += 10
    day = on(cursor)
    if day > end:
        return cursor
    story.events.append(Event(day, EventKind.ILLNESS, "Flu", "Fever for four days."))
    story.waves.append((day, 0.06))
    hold_end = on(cursor + 60)
    reason = "Ill with flu; letting things settle"
    story.holds.append(Hold(day, hold_end if hold_end <= end else None, reason))
    return cursor + 60


def _appointments(rng: random.Random, story: _Story, start: dt.date, end: dt.date) -> None:
    day = start + dt.timedelta(days=rng.randint(10, 60))
    while day <= end:
        title = rng.choice(("Prescriber review", "GP appointment", "Taper review with prescriber"))
        story.events.append(Event(day, EventKind.APPOINTMENT, title))
        day += dt.timedelta(days=rng.randint(60, 90))


def _diazepam_doses(total: float, liquid: bool) -> tuple[RegimenDose, ...]:
    """Split a daily total over the day: three tablet doses, or morning and night by liquid."""
    medication = DIAZEPAM_LIQUID.name if liquid else DIAZEPAM_TABLET.name
    times = (MORNING, NIGHT) if liquid else (MORNING, MIDDAY, NIGHT)
    step = 0.1 if liquid else 0.5
    each = math.floor(total / len(times) / step + 1e-9) * step
    amounts = [round(each, 2)] * (len(times) - 1)
    amounts.append(round(total - sum(amounts), 2))  # the remainder goes to the night dose
    return tuple(
        RegimenDose("diazepam", mg, time, medication)
        for mg, time in zip(amounts, times, strict=True)
        if mg > 0
    )


# ---- daily entries -----------------------------------------------------------------------


def _unlogged_days(rng: random.Random, start: dt.date, end: dt.date) -> set[dt.date]:
    """About 10%: single forgotten days plus the odd multi-day gap."""
    unlogged: set[dt.date] = set()
    day = start + dt.timedelta(days=1)  # the first day is always logged
    while day <= end:
        roll = rng.random()
        if roll < 0.006:
            gap = rng.randint(3, 9)
            unlogged.update(day + dt.timedelta(days=i) for i in range(gap))
            day += dt.timedelta(days=gap)
        else:
            if roll < 0.066:
                unlogged.add(day)
            day += dt.timedelta(days=1)
    return unlogged


def _doses_of_day(
    rng: random.Random, day: dt.date, regimen: RegimenChange, zone: dt.tzinfo
) -> list[Dose]:
    doses = []
    for planned in regimen.doses:
        at = dt.datetime.combine(day, planned.time, tzinfo=zone)
        kind = DoseKind.AS_PLANNED
        note = ""
        if rng.random() < 0.12:
            kind = DoseKind.ADJUSTED
            at += dt.timedelta(minutes=rng.choice((-45, -20, 25, 40, 75, 90)))
            note = rng.choice(("Took it a bit late.", "Took it early, woke up anxious.", ""))
        medication = planned.medication or planned.drug
        ml = round(planned.mg / 1.0, 2) if medication == DIAZEPAM_LIQUID.name else None
        doses.append(Dose(at, medication, planned.mg, ml, note, kind, planned_time=planned.time))
    return doses


def _checkin_of_day(
    rng: random.Random,
    day: dt.date,
    story: _Story,
    tracked: Sequence[tuple[str, float, float]],
    regimen: RegimenChange,
) -> CheckIn:
    burden = _burden(day, story.waves, rng)
    rated = tracked if rng.random() > 0.03 else tracked[:3]  # some days only a quick check-in
    ratings = {
        name: _clamp(round(burden * weight + offset + rng.gauss(0, 0.45)), 0, 4)
        for name, weight, offset in rated
    }
    wellbeing = (
        None
        if rng.random() < 0.04
        else _clamp(round(8.6 - 1.6 * burden + rng.gauss(0, 0.8)), 0, 10)
    )
    sleep = None if rng.random() < 0.06 else _sleep_hours(burden, rng)
    note, for_doctor = _note(rng, burden, day == regimen.date)
    return CheckIn(day, ratings, wellbeing, sleep, note, for_doctor)


def _burden(day: dt.date, waves: Sequence[tuple[dt.date, float]], rng: random.Random) -> float:
    """Overall symptom level (roughly 0-4): a baseline, slow windows and waves, cut responses."""
    ordinal = day.toordinal()
    level = 0.9 + 0.35 * math.sin(ordinal / 23.0) + 0.2 * math.sin(ordinal / 7.3)
    for start, strength in waves:
        age = (day - start).days
        if 0 <= age < 90:
            level += 14.0 * strength * _wave_shape(age)
    return max(0.0, level + rng.gauss(0, 0.25))


def _wave_shape(age_days: int) -> float:
    """A cut's effect over time: nothing for 2 days, rising to a peak at 10-14 days, easing."""
    if age_days < 2:
        return 0.0
    if age_days < 10:
        return (age_days - 2) / 8
    if age_days <= 14:
        return 1.0
    return math.exp(-(age_days - 14) / 12)


def _sleep_hours(burden: float, rng: random.Random) -> float:
    hours = 7.6 - 0.8 * burden + rng.gauss(0, 0.6)
    return min(10.0, max(2.0, round(hours * 4) / 4))


def _note(rng: random.Random, burden: float, change_day: bool) -> tuple[str, bool]:
    if change_day:
        return "First day on the new dose.", False
    if rng.random() > 0.10 + 0.05 * burden:
        return "", False
    if burden >= 2.2:
        return rng.choice(NOTES_HARD), rng.random() < 0.45
    pool = NOTES_MIXED if burden >= 1.2 else NOTES_GOOD
    return rng.choice(pool), rng.random() < 0.04


def _pick_symptoms(rng: random.Random, names: Sequence[str]) -> list[tuple[str, float, float]]:
    """(name, weight, offset) for the catalogue symptoms this person tracks."""
    picked: list[tuple[str, float, float]] = []
    for keyword, weight in TRACKED_SYMPTOMS:
        match = next((n for n in names if keyword in n.lower()), None)
        if match is not None and match not in {p[0] for p in picked}:
            picked.append((match, weight, rng.uniform(-0.6, 0.3)))
    if not picked:  # a catalogue worded differently: rate its first few symptoms
        picked = [(n, rng.uniform(0.5, 1.1), rng.uniform(-0.6, 0.3)) for n in names[:8]]
    return picked


# ---- small helpers -----------------------------------------------------------------------


def _regimen_on(changes: Sequence[RegimenChange], day: dt.date) -> RegimenChange:
    current = changes[0]
    for change in changes:
        if change.date > day:
            break
        current = change
    return current


def _regimen_total(change: RegimenChange) -> float:
    return sum(d.mg for d in change.doses)


def _round_to(value: float, step: float) -> float:
    return round(round(value / step) * step, 2)


def _clamp(value: int, low: int, high: int) -> int:
    return min(high, max(low, value))


def _time_words(time: dt.time) -> str:
    return {MORNING: "morning", MIDDAY: "midday", NIGHT: "evening"}[time]


def _zone() -> dt.tzinfo:
    """A zone with daylight saving, so offsets change through the year as they do for people."""
    try:
        return zoneinfo.ZoneInfo("Europe/London")
    except zoneinfo.ZoneInfoNotFoundError:
        return dt.UTC
