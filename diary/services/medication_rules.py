"""Checks for a medication as the Settings page and an import give it: the domain's rules for
name, drug, form and strength, plus how finely it can be measured."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from diary.domain.models import Medication
from diary.domain.taper.products import Handling, check_handling
from diary.domain.validation import check_medication


def handling_of(med: Medication) -> Handling:
    return Handling(med.split, med.syringe_ml)


def handling_by_name(medications: Iterable[Medication]) -> dict[str, Handling]:
    return {med.name: handling_of(med) for med in medications}


def checked_medication(med: Medication) -> Medication:
    """``med`` cleaned and checked (ValidationError with one plain sentence otherwise)."""
    checked = check_medication(med)  # builds a new Medication from the older fields only
    checked = replace(checked, split=med.split, syringe_ml=med.syringe_ml, retired=med.retired)
    check_handling(checked, handling_of(checked))
    return checked
