"""Bad input: one clear sentence, and nothing changed (the file generation stays the same)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from diary.domain.errors import NotFound, ValidationError
from diary.domain.models import DoseKind, Form, RegimenDose
from diary.services.diary_service import DiaryService
from tests.services.conftest import DAY

FUTURE = dt.date.today() + dt.timedelta(days=2)

CASES: list[tuple[str, Callable[[DiaryService], object], str]] = [
    ("zero dose", lambda s: s.add_dose("Ativan", 0), "more than 0 mg"),
    ("negative dose", lambda s: s.add_dose("Ativan", -1), "more than 0 mg"),
    ("absurd dose", lambda s: s.add_dose("Ativan", 50), "equivalent of 100 mg diazepam"),
    ("mL for a tablet", lambda s: s.add_dose("Ativan", 1, ml=1), "only for liquids"),
    ("unknown medication", lambda s: s.add_dose("Ativn", 1), 'Did you mean "Ativan"'),
    (
        "dose in the future",
        lambda s: s.add_dose("Ativan", 1, dt.datetime.combine(FUTURE, dt.time(12))),
        "more than one day in the future",
    ),
    ("not taken with mg", lambda s: s.add_dose("Ativan", 1, kind=DoseKind.NOT_TAKEN), "0 mg"),
    ("severity 5", lambda s: s.record_checkin(DAY, {"Insomnia": 5}), "outside 0-4"),
    ("severity -1", lambda s: s.record_checkin(DAY, {"Insomnia": -1}), "outside 0-4"),
    ("wellbeing 11", lambda s: s.record_checkin(DAY, wellbeing=11), "outside 0-10"),
    ("sleep 25", lambda s: s.record_checkin(DAY, sleep_hours=25), "outside 0-24"),
    ("unknown symptom", lambda s: s.record_checkin(DAY, {"insomia": 2}), '"Insomnia"'),
    ("empty check-in", lambda s: s.record_checkin(DAY), "nothing to record"),
    ("check-in in the future", lambda s: s.record_checkin(FUTURE, wellbeing=5), "after tomorrow"),
    ("hold ends before it starts", lambda s: s.end_hold(dt.date(2024, 1, 1)), "before it starts"),
    ("overlapping hold", lambda s: s.start_hold(dt.date(2024, 2, 15)), "overlaps"),
    ("empty medication name", lambda s: s.add_medication("  ", "diazepam"), "cannot be empty"),
    ("duplicate medication", lambda s: s.add_medication("ativan", "lorazepam"), "already have"),
    ("unknown drug", lambda s: s.add_medication("X", "diazepan"), 'Did you mean "diazepam"'),
    ("bad form", lambda s: s.add_medication("X", "diazepam", "powder"), "not a valid form"),  # type: ignore[arg-type]
    (
        "liquid without concentration",
        lambda s: s.add_medication("X", "diazepam", Form.LIQUID),
        "concentration",
    ),
    (
        "regimen with the wrong medication",
        lambda s: s.set_regimen([RegimenDose("diazepam", 5, dt.time(8), "Ativan")], DAY),
        'Ativan" is lorazepam, not diazepam',
    ),
    ("duplicate symptom", lambda s: s.add_symptom("tinnitus"), "already in your list"),
    ("unknown table", lambda s: s.set_equivalence_table("bnf"), "no equivalence table"),
    ("override of zero", lambda s: s.set_equivalence_override("bromazepam", 0), "more than 0"),
    ("unknown dose id", lambda s: s.delete_dose(999), "no dose number 999"),
    ("empty day", lambda s: s.delete_day(DAY), "Nothing is logged"),
    ("empty passphrase", lambda s: s.change_passphrase("   "), "cannot be empty"),
]


@pytest.mark.parametrize(
    ("action", "message"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_refused_and_changes_nothing(
    on_lorazepam: DiaryService, action: Callable[[DiaryService], object], message: str
) -> None:
    service = on_lorazepam
    service.start_hold(dt.date(2024, 2, 1))
    before = service.all_records()
    generation = service.generation
    undo = service.undo_label()
    with pytest.raises(ValidationError, match=message) as caught:
        action(service)
    text = str(caught.value)
    assert text.endswith((".", "?")) and "\n" not in text
    assert service.generation == generation
    assert service.all_records() == before
    assert service.undo_label() == undo


def test_unknown_names_are_not_found_errors(on_lorazepam: DiaryService) -> None:
    with pytest.raises(NotFound):
        on_lorazepam.add_dose("Valium", 5)
    with pytest.raises(NotFound):
        on_lorazepam.set_symptom_tracked("Jaw clenching", False)
