"""Matching names the user typed against the names the diary knows."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from diary.domain.errors import NotFound


def same_name(a: str, b: str) -> bool:
    """Names compare without regard to case or surrounding spaces."""
    return a.strip().casefold() == b.strip().casefold()


def find_name(name: str, known: Iterable[str]) -> str | None:
    """The known name equal to ``name`` (ignoring case), or None."""
    for candidate in known:
        if same_name(candidate, name):
            return candidate
    return None


def closest_name(name: str, known: Iterable[str]) -> str | None:
    """The known name most like ``name``, if any is reasonably close."""
    by_folded = {candidate.casefold(): candidate for candidate in known}
    matches = difflib.get_close_matches(name.strip().casefold(), by_folded, n=1, cutoff=0.6)
    return by_folded[matches[0]] if matches else None


def not_found(what: str, name: str, known: Iterable[str], field: str | None = None) -> NotFound:
    """A NotFound error for ``name`` that suggests the closest known name."""
    suggestion = closest_name(name, known)
    hint = f' Did you mean "{suggestion}"?' if suggestion else ""
    return NotFound(f'There is no {what} called "{name.strip()}".{hint}', field=field)


def resolve_name(what: str, name: str, known: Iterable[str], field: str | None = None) -> str:
    """The known spelling of ``name``; NotFound (with a suggestion) when there is none."""
    names = list(known)
    found = find_name(name, names)
    if found is None:
        raise not_found(what, name, names, field)
    return found
