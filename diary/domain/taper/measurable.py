"""What the person's own products can actually measure.

A product is a set of tablet (or capsule) strengths with how finely they may be split, and/or
a liquid with the resolution of the syringe used for it. An amount is *measurable* when it is
a sum of tablet pieces plus at most one liquid volume on the syringe's marks.

Rules, so the next reader does not have to reverse-engineer them:
- ``measure`` gives the measurable amount nearest the ideal; halfway cases go to the larger
  amount (the gentler cut). Multiples of the finest piece (or syringe step) are always
  measurable, so the result is never further from the ideal than half the finest resolution.
- Among the ways to make one amount, tablets come first and the liquid only tops up (the
  smallest volume), then the fewest broken tablets, then the fewest tablets, then larger
  strengths: that is what is easiest and steadiest to take.
- With no product for a drug, amounts are the calculated ideal rounded to
  ``DEFAULT_RESOLUTION_MG``, and ``how`` says so.

Arithmetic is on fractions built from the decimal spelling of each number, so 0.1 mL steps
and 0.25 mg quarters add up exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from diary.domain.errors import ValidationError
from diary.domain.names import same_name

DEFAULT_RESOLUTION_MG = 0.01
SPLITS = (1, 2, 4)  # whole tablets only, halves, quarters
_FRACTION_GLYPHS = {Fraction(1, 4): "¼", Fraction(1, 2): "½", Fraction(3, 4): "¾"}


@dataclass(frozen=True)
class Product:
    """Tablets and/or a liquid of one drug that the person has on hand."""

    drug: str
    tablet_mg: tuple[float, ...] = ()  # tablet/capsule strengths on hand
    split: int = 1  # 1 whole tablets only, 2 halves, 4 quarters (capsules: 1)
    liquid_mg_per_ml: float | None = None
    syringe_ml: float = 0.1

    def __post_init__(self) -> None:
        if not self.drug.strip():
            raise ValidationError("A product needs the name of its drug.", field="drug")
        if not self.tablet_mg and self.liquid_mg_per_ml is None:
            raise ValidationError(
                f"The {self.drug} product needs a tablet strength or a liquid concentration.",
                field="product",
            )
        for strength in self.tablet_mg:
            _check_positive(strength, "tablet strength")
        if self.split not in SPLITS:
            raise ValidationError(
                "Tablets can be taken whole (1), in halves (2) or in quarters (4).", field="split"
            )
        if self.liquid_mg_per_ml is not None:
            _check_positive(self.liquid_mg_per_ml, "liquid concentration")
        _check_positive(self.syringe_ml, "syringe resolution")


@dataclass(frozen=True)
class Measured:
    """An ideal amount and the nearest amount the products can measure."""

    ideal_mg: float
    mg: float
    ml: float | None  # the liquid part, when there is one
    how: str  # e.g. "1 × 2 mg + ½ × 5 mg" or "2.3 mL of 1 mg/mL"


def measure(drug: str, ideal_mg: float, products: Sequence[Product]) -> Measured:
    """The measurable amount of ``drug`` nearest ``ideal_mg`` (ties: the larger)."""
    target = _amount(ideal_mg)
    kit = _kit_for(drug, products)
    if kit is None:
        mg = _round_half_up(target, _DEFAULT_STEP)
        note = f"no product entered for {drug}: calculated amount, to {DEFAULT_RESOLUTION_MG} mg"
        return Measured(ideal_mg, float(mg), None, f"{float(mg):g} mg ({note})")
    way = min(_ways_near(kit, target), key=lambda w: (abs(w.amount - target), -w.amount, w.effort))
    return Measured(ideal_mg, float(way.amount), way.ml, way.describe())


def nearest_measurable(
    drug: str, mg: float, products: Sequence[Product]
) -> tuple[float | None, float | None]:
    """The largest measurable amount at or below ``mg`` and the smallest at or above it.

    Both are ``mg`` itself when it is measurable; below is None only for a negative amount.
    """
    if not math.isfinite(mg):
        raise ValidationError(f"The amount must be a number (got {mg}).", field="mg")
    target = _snapped(mg)
    if target < 0:
        return None, _nearest_pair(drug, Fraction(0), products)[1]
    return _nearest_pair(drug, target, products)


def resolution_mg(drug: str, products: Sequence[Product]) -> float:
    """The finest step available for ``drug``: the smallest tablet piece or syringe step."""
    kit = _kit_for(drug, products)
    if kit is None:
        return DEFAULT_RESOLUTION_MG
    return float(kit.finest_step)


def has_products(drug: str, products: Sequence[Product]) -> bool:
    """Whether any product of ``drug`` was entered (otherwise amounts are calculated ones)."""
    return _kit_for(drug, products) is not None


def is_measurable(drug: str, mg: float, products: Sequence[Product]) -> bool:
    below, above = nearest_measurable(drug, mg, products)
    return below == above


def cannot_measure(drug: str, mg: float, products: Sequence[Product]) -> ValidationError:
    """The error for an amount the products cannot measure, naming the nearest amounts."""
    below, above = nearest_measurable(drug, mg, products)
    nearest = " and ".join(f"{value:g} mg" for value in (below, above) if value is not None)
    return ValidationError(
        f"{mg:g} mg of {drug} cannot be measured with the products entered; "
        f"the nearest amounts are {nearest}.",
        field="mg",
    )


# ---- internals --------------------------------------------------------------------------

_DEFAULT_STEP = Fraction(str(DEFAULT_RESOLUTION_MG))


def _check_positive(value: float, what: str) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ValidationError(f"The {what} must be more than 0 (got {value:g}).", field=what)


def _amount(mg: float) -> Fraction:
    if not math.isfinite(mg) or mg < 0:
        raise ValidationError(f"An amount cannot be below 0 mg (got {mg:g} mg).", field="mg")
    return _snapped(mg)


def _snapped(mg: float) -> Fraction:
    """The amount to a billionth of a mg, as a decimal: computed values such as 27 × 0.9
    (24.300000000000001) compare equal to the 24.3 mg a product measures, and a halfway
    case stays exactly halfway."""
    return Fraction(str(round(mg, 9)))


def _decimal(value: float) -> Fraction:
    """The number as written (0.1 is one tenth, not the nearest binary float)."""
    return _snapped(value)


def _round_half_up(value: Fraction, step: Fraction) -> Fraction:
    return math.floor(value / step + Fraction(1, 2)) * step


@dataclass(frozen=True, order=True)
class _Piece:
    strength: Fraction
    split: int

    @property
    def size(self) -> Fraction:
        return self.strength / self.split


@dataclass(frozen=True)
class _Liquid:
    mg_per_ml: Fraction
    syringe_ml: Fraction

    @property
    def step(self) -> Fraction:
        return self.mg_per_ml * self.syringe_ml


@dataclass(frozen=True)
class _Kit:
    pieces: tuple[_Piece, ...]  # largest strength first
    liquids: tuple[_Liquid, ...]

    @property
    def finest_step(self) -> Fraction:
        return min([p.size for p in self.pieces] + [liquid.step for liquid in self.liquids])


def _kit_for(drug: str, products: Sequence[Product]) -> _Kit | None:
    finest_split: dict[Fraction, int] = {}
    liquids: list[_Liquid] = []
    for product in products:
        if not same_name(product.drug, drug):
            continue
        for strength in product.tablet_mg:
            key = _decimal(strength)
            finest_split[key] = max(finest_split.get(key, 1), product.split)
        if product.liquid_mg_per_ml is not None:
            liquids.append(
                _Liquid(_decimal(product.liquid_mg_per_ml), _decimal(product.syringe_ml))
            )
    if not finest_split and not liquids:
        return None
    pieces = tuple(sorted((_Piece(s, n) for s, n in finest_split.items()), reverse=True))
    return _Kit(pieces, tuple(dict.fromkeys(liquids)))


@dataclass(frozen=True)
class _Way:
    """One way to make ``amount``: pieces of each tablet strength plus an optional liquid."""

    amount: Fraction
    pieces: tuple[tuple[_Piece, int], ...]
    liquid: _Liquid | None = None
    marks: int = 0  # syringe steps of the liquid

    @property
    def ml(self) -> float | None:
        if self.liquid is None or self.marks == 0:
            return None
        return float(self.marks * self.liquid.syringe_ml)

    @property
    def effort(self) -> tuple[Fraction, int, int, tuple[int, ...]]:
        ml = Fraction(0) if self.liquid is None else self.marks * self.liquid.syringe_ml
        broken = sum(1 for piece, count in self.pieces if count % piece.split)
        tablets = sum(math.ceil(Fraction(count, piece.split)) for piece, count in self.pieces)
        larger_first = tuple(-count for _, count in self.pieces)
        return ml, broken, tablets, larger_first

    def describe(self) -> str:
        parts = [
            f"{_tablet_count(Fraction(count, piece.split))} × {float(piece.strength):g} mg"
            for piece, count in self.pieces
            if count
        ]
        if self.ml is not None and self.liquid is not None:
            parts.append(f"{self.ml:g} mL of {float(self.liquid.mg_per_ml):g} mg/mL")
        return " + ".join(parts) if parts else "nothing (0 mg)"


def _tablet_count(tablets: Fraction) -> str:
    whole = math.floor(tablets)
    rest = tablets - whole
    glyph = _FRACTION_GLYPHS.get(rest, "")
    return f"{whole}{glyph}" if whole else glyph


def _ways_near(kit: _Kit, target: Fraction) -> list[_Way]:
    """Every amount worth considering around ``target``: each tablet combination up to just
    above it, alone or topped up with each liquid to just below and just above the target."""
    ways: list[_Way] = []
    for amount, counts in _tablet_sums(kit.pieces, _sum_limit(kit, target)).items():
        pieces = tuple(zip(kit.pieces, counts, strict=True))
        ways.append(_Way(amount, pieces))
        for liquid in kit.liquids:
            if amount >= target:
                continue
            below = math.floor((target - amount) / liquid.step)
            for marks in (below, below + 1):
                ways.append(_Way(amount + marks * liquid.step, pieces, liquid, marks))
    return ways


def _sum_limit(kit: _Kit, target: Fraction) -> Fraction:
    """Tablet sums up to here always include the nearest one above the target. Rounded up to
    a power of two so the cached table of sums is reused across nearby targets."""
    if not kit.pieces:
        return Fraction(0)
    needed = target + min(p.size for p in kit.pieces)
    return Fraction(2) ** max(0, math.ceil(math.log2(needed)))


@lru_cache(maxsize=512)
def _tablet_sums(pieces: tuple[_Piece, ...], limit: Fraction) -> dict[Fraction, tuple[int, ...]]:
    """Every sum of tablet pieces up to ``limit``, each with its easiest combination
    (fewest broken tablets, then fewest tablets, then more of the larger strengths)."""
    best: dict[Fraction, tuple[tuple[int, int], tuple[int, ...]]] = {Fraction(0): ((0, 0), ())}
    for piece in pieces:
        grown: dict[Fraction, tuple[tuple[int, int], tuple[int, ...]]] = {}
        for amount, (cost, counts) in best.items():
            count = 0
            while amount + count * piece.size <= limit:
                broken = 1 if count % piece.split else 0
                tablets = math.ceil(Fraction(count, piece.split))
                new_cost = (cost[0] + broken, cost[1] + tablets)
                new_counts = (*counts, count)
                key = amount + count * piece.size
                held = grown.get(key)
                if held is None or (new_cost, _negated(new_counts)) < (held[0], _negated(held[1])):
                    grown[key] = (new_cost, new_counts)
                count += 1
        best = grown
    return {amount: counts for amount, (_, counts) in best.items()}


def _negated(counts: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-c for c in counts)


def _nearest_pair(
    drug: str, target: Fraction, products: Sequence[Product]
) -> tuple[float | None, float | None]:
    kit = _kit_for(drug, products)
    if kit is None:
        below = math.floor(target / _DEFAULT_STEP) * _DEFAULT_STEP
        above = math.ceil(target / _DEFAULT_STEP) * _DEFAULT_STEP
        return float(below), float(above)
    amounts = {way.amount for way in _ways_near(kit, target)}
    below_amounts = [a for a in amounts if a <= target]
    above_amounts = [a for a in amounts if a >= target]
    return float(max(below_amounts)), float(min(above_amounts))
