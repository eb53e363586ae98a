"""How the person's medications become measurable products (see ``measurable``).

A tablet medication may be split into halves or quarters; a liquid is measured with a syringe
of some resolution. Each medication gives one product, so tablets of different strengths of
one drug simply add up to what can be measured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from diary.domain.errors import ValidationError
from diary.domain.models import DEFAULT_SYRINGE_ML, Form, Medication
from diary.domain.taper.measurable import Product

MAX_SYRINGE_ML = 10.0
SPLIT_WORDS: Mapping[str, int] = MappingProxyType({"none": 1, "half": 2, "quarter": 4})


@dataclass(frozen=True)
class Handling:
    """How finely a medication can be taken: tablet pieces, or the syringe's marks."""

    split: int = 1  # 1 whole tablets only, 2 halves, 4 quarters
    syringe_ml: float = DEFAULT_SYRINGE_ML


def split_from_word(word: str) -> int:
    try:
        return SPLIT_WORDS[word.strip().lower()]
    except KeyError:
        raise ValidationError(
            f'"{word}" is not a way to split tablets; choose none, half or quarter.',
            field="split",
        ) from None


def split_word(split: int) -> str:
    return next(word for word, value in SPLIT_WORDS.items() if value == split)


def check_handling(med: Medication, handling: Handling) -> Handling:
    if handling.split not in SPLIT_WORDS.values():
        raise ValidationError(
            "Tablets can be taken whole, in halves or in quarters.", field="split"
        )
    if handling.split != 1 and med.form is not Form.TABLET:
        raise ValidationError(
            f"Only tablets can be split; {med.name} is a {med.form.value}.", field="split"
        )
    if not 0 < handling.syringe_ml <= MAX_SYRINGE_ML:
        raise ValidationError(
            f"The syringe resolution must be more than 0 and at most {MAX_SYRINGE_ML:g} mL "
            f"(got {handling.syringe_ml:g} mL).",
            field="syringe_ml",
        )
    return handling


def products_from(
    medications: Sequence[Medication], handling: Mapping[str, Handling]
) -> list[Product]:
    """One product per medication that has a strength or a concentration."""
    products = []
    for med in medications:
        how = handling.get(med.name, Handling())
        if med.form is Form.LIQUID and med.concentration_mg_ml is not None:
            products.append(
                Product(
                    med.drug, liquid_mg_per_ml=med.concentration_mg_ml, syringe_ml=how.syringe_ml
                )
            )
        elif med.strength_mg is not None:
            products.append(Product(med.drug, (med.strength_mg,), how.split))
    return products
