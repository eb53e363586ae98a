"""A regimen written as text, as the CLI takes it: "clonazepam 0.5mg 08:00; diazepam 5mg 22:00".

Each part separated by ";" is DRUG AMOUNTmg HH:MM (a space before "mg" is fine). A part that
does not parse is named in the error, so the person knows which one to fix.
"""

from __future__ import annotations

import datetime as dt
import re

from diary.domain.equivalence import canonical_drug
from diary.domain.errors import ValidationError
from diary.domain.models import RegimenDose

_PART = re.compile(
    r"^(?P<drug>[^\d;]+?)\s+(?P<mg>\d+(?:\.\d+)?)\s*mg\s+(?P<time>\d{1,2}:\d{2})$",
    re.IGNORECASE,
)
EXAMPLE = "clonazepam 0.5mg 08:00; clonazepam 0.5mg 22:00"


def parse_regimen(text: str) -> tuple[RegimenDose, ...]:
    """The doses of ``text``, in order of time. Drug names are checked against the tables."""
    parts = [part.strip() for part in text.split(";")]
    if not any(parts):
        raise ValidationError(f'The regimen is empty; write it like "{EXAMPLE}".', field="regimen")
    doses = [parse_part(part) for part in parts if part]
    return tuple(sorted(doses, key=lambda d: d.time))


def parse_part(part: str) -> RegimenDose:
    match = _PART.match(" ".join(part.split()))
    if match is None:
        raise ValidationError(
            f'The part "{part}" of the regimen does not read as DRUG AMOUNTmg HH:MM '
            '(for example "clonazepam 0.5mg 08:00").',
            field="regimen",
        )
    drug = canonical_drug(match["drug"])
    return RegimenDose(drug, float(match["mg"]), _time(match["time"], part))


def _time(text: str, part: str) -> dt.time:
    hours, minutes = (int(n) for n in text.split(":"))
    if hours > 23 or minutes > 59:
        raise ValidationError(
            f'The time "{text}" in "{part}" is not a time of day from 00:00 to 23:59.',
            field="regimen",
        )
    return dt.time(hours, minutes)


def format_regimen(doses: tuple[RegimenDose, ...]) -> str:
    """The inverse of ``parse_regimen``."""
    return "; ".join(f"{d.drug} {d.mg:g}mg {d.time:%H:%M}" for d in doses)
