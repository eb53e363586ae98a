"""People type short symptom names; the diary finds the one they mean or says why it cannot."""

from __future__ import annotations

import pytest

from diary.domain.errors import NotFound, ValidationError
from diary.domain.names import resolve_name
from diary.domain.symptom_catalogue import DEFAULT_SYMPTOMS

NAMES = list(DEFAULT_SYMPTOMS)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("anxiety", "Anxiety or nervousness"),
        ("INSOMNIA", "Insomnia"),
        ("head", "Head pressure or headache"),
        ("pins and needles", "Pins and needles or burning skin"),
        ("depersonalisation", "Feeling unreal (depersonalisation/derealisation)"),
    ],
)
def test_a_short_name_finds_the_one_symptom_containing_it(typed: str, meant: str) -> None:
    assert resolve_name("symptom", typed, NAMES) == meant


def test_a_short_name_that_fits_several_symptoms_lists_them() -> None:
    with pytest.raises(ValidationError) as raised:
        resolve_name("symptom", "muscle", NAMES)
    assert not isinstance(raised.value, NotFound)
    assert "Muscle tension or aches" in str(raised.value)
    assert "Muscle twitches" in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("insomnai", "Insomnia"), ("anxeity", "Anxiety or nervousness"), ("tinitus", "Tinnitus")],
)
def test_a_misspelt_name_suggests_the_closest(typed: str, suggested: str) -> None:
    with pytest.raises(NotFound, match=f'Did you mean "{suggested}"'):
        resolve_name("symptom", typed, NAMES)


def test_a_part_of_a_word_is_not_a_match() -> None:
    with pytest.raises(NotFound):
        resolve_name("symptom", "anx", NAMES)
