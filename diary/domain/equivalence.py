"""Named benzodiazepine equivalence tables and the diazepam-equivalent arithmetic.

A factor is the oral dose (mg) approximately equal to 10 mg diazepam. Some sources give a
range; a range stays a range, and the user (with their prescriber) chooses the value by
setting an override. We never take a silent midpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from diary.domain.errors import ValidationError
from diary.domain.names import find_name, not_found

DIAZEPAM_REFERENCE_MG = 10.0
DEFAULT_TABLE = "ashton"

# Keys of the diary settings that hold the user's choice of table and their overrides.
SETTING_TABLE = "equivalence_table"
SETTING_OVERRIDES = "equivalence_overrides"  # JSON object: drug -> mg equal to 10 mg diazepam


@dataclass(frozen=True)
class Factor:
    """mg of a drug approximately equal to 10 mg diazepam: one value or a range."""

    low: float
    high: float

    @classmethod
    def of(cls, low: float, high: float | None = None) -> Factor:
        return cls(low, low if high is None else high)

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def __str__(self) -> str:
        return f"{self.low:g}-{self.high:g}" if self.is_range else f"{self.low:g}"


@dataclass(frozen=True)
class EquivalenceTable:
    name: str
    title: str
    source: str
    factors: Mapping[str, Factor]


@dataclass(frozen=True)
class HalfLife:
    """Elimination half-life in hours; ``metabolite`` is that of the active metabolite."""

    parent: tuple[float, float] | None
    metabolite: tuple[float, float] | None = None
    note: str = ""


def _factors(values: Mapping[str, tuple[float, float | None]]) -> Mapping[str, Factor]:
    return MappingProxyType({drug: Factor.of(low, high) for drug, (low, high) in values.items()})


ASHTON = EquivalenceTable(
    name="ashton",
    title="Ashton Manual (rev. 2007)",
    source=(
        "C. H. Ashton, Benzodiazepines: How They Work and How to Withdraw, revised 2007. "
        "Approximate oral doses equal to 10 mg diazepam; based on clinical experience, "
        "they vary between people."
    ),
    factors=_factors(
        {
            "alprazolam": (0.5, None),
            "bromazepam": (5, 6),
            "chlordiazepoxide": (25, None),
            "clobazam": (20, None),
            "clonazepam": (0.5, None),
            "clorazepate": (15, None),
            "diazepam": (10, None),
            "estazolam": (1, 2),
            "flunitrazepam": (1, None),
            "flurazepam": (15, 30),
            "halazepam": (20, None),
            "ketazolam": (15, 30),
            "loprazolam": (1, 2),
            "lorazepam": (1, None),
            "lormetazepam": (1, 2),
            "medazepam": (10, None),
            "nitrazepam": (10, None),
            "nordazepam": (10, None),
            "oxazepam": (20, None),
            "prazepam": (10, 20),
            "quazepam": (20, None),
            "temazepam": (20, None),
            "triazolam": (0.5, None),
            "zaleplon": (20, None),
            "zolpidem": (20, None),
            "zopiclone": (15, None),
            "eszopiclone": (3, None),
        }
    ),
)

VA = EquivalenceTable(
    name="va",
    title="US VA/DoD 2021 (as quoted in the 2025 Joint Clinical Practice Guideline)",
    source=(
        "US VA/DoD 2021 table, as quoted in Table 7 of the 2025 US Joint Clinical Practice "
        "Guideline on Benzodiazepine Tapering. Approximate doses equal to 10 mg diazepam."
    ),
    factors=_factors(
        {
            "alprazolam": (1, None),
            "chlordiazepoxide": (25, None),
            "clonazepam": (1, None),
            "clorazepate": (15, None),
            "diazepam": (10, None),
            "estazolam": (1, None),
            "flurazepam": (15, None),
            "lorazepam": (2, None),
            "oxazepam": (30, None),
            "quazepam": (10, None),
            "temazepam": (15, None),
            "triazolam": (0.25, None),
        }
    ),
)

TABLES: Mapping[str, EquivalenceTable] = MappingProxyType({ASHTON.name: ASHTON, VA.name: VA})

# Ashton Manual half-lives in hours, kept as data for charts of drug levels.
HALF_LIVES: Mapping[str, HalfLife] = MappingProxyType(
    {
        "alprazolam": HalfLife((6, 12)),
        "bromazepam": HalfLife((10, 20)),
        "chlordiazepoxide": HalfLife((5, 30), (36, 200)),
        "clobazam": HalfLife((12, 60)),
        "clonazepam": HalfLife((18, 50)),
        "clorazepate": HalfLife(None, (36, 200)),
        "diazepam": HalfLife((20, 100), (36, 200)),
        "estazolam": HalfLife((10, 24)),
        "flunitrazepam": HalfLife((18, 26), (36, 200)),
        "flurazepam": HalfLife(None, (40, 250)),
        "halazepam": HalfLife(None, (30, 100)),
        "ketazolam": HalfLife(None, (36, 200), "parent half-life not verified"),
        "loprazolam": HalfLife((6, 12)),
        "lorazepam": HalfLife((10, 20)),
        "lormetazepam": HalfLife((10, 12)),
        "medazepam": HalfLife((36, 200)),
        "nitrazepam": HalfLife((15, 38)),
        "nordazepam": HalfLife((36, 200)),
        "oxazepam": HalfLife((4, 15)),
        "prazepam": HalfLife(None, (36, 200)),
        "quazepam": HalfLife((25, 100)),
        "temazepam": HalfLife((8, 22)),
        "triazolam": HalfLife((2, 2)),
        "zaleplon": HalfLife((2, 2)),
        "zolpidem": HalfLife((2, 2)),
        "zopiclone": HalfLife((5, 6)),
        "eszopiclone": HalfLife((6, 6), None, "9 hours in the elderly"),
    }
)


def known_drugs() -> list[str]:
    """Every drug any table knows, alphabetically."""
    return sorted({drug for table in TABLES.values() for drug in table.factors})


def canonical_drug(name: str) -> str:
    """The table spelling of a drug name; NotFound suggesting the closest when unknown."""
    drugs = known_drugs()
    found = find_name(name, drugs)
    if found is None:
        raise not_found("drug", name, drugs, field="drug")
    return found


def get_table(name: str) -> EquivalenceTable:
    found = find_name(name, TABLES)
    if found is None:
        raise not_found("equivalence table", name, TABLES, field="table")
    return TABLES[found]


def factor_for(
    drug: str,
    table: str | EquivalenceTable = DEFAULT_TABLE,
    overrides: Mapping[str, float] | None = None,
) -> float:
    """mg of ``drug`` taken as equal to 10 mg diazepam: the user's override, else the table's
    single value. A range without an override asks the user to choose."""
    drug = canonical_drug(drug)
    chosen = (overrides or {}).get(drug)
    if chosen is not None:
        return chosen
    tab = table if isinstance(table, EquivalenceTable) else get_table(table)
    factor = tab.factors.get(drug)
    if factor is None:
        raise ValidationError(
            f"The {tab.title} table has no value for {drug}; "
            "please enter the amount equal to 10 mg diazepam that your prescriber uses.",
            field="drug",
        )
    if factor.is_range:
        raise ValidationError(
            f"The {tab.title} table gives a range of {factor} mg {drug} for 10 mg diazepam; "
            "please choose the value your prescriber uses.",
            field="drug",
        )
    return factor.low


def diazepam_equivalent(
    drug: str,
    mg: float,
    table: str | EquivalenceTable = DEFAULT_TABLE,
    overrides: Mapping[str, float] | None = None,
) -> float:
    """``mg`` of ``drug`` expressed as mg of diazepam by the named table."""
    return mg * DIAZEPAM_REFERENCE_MG / factor_for(drug, table, overrides)
