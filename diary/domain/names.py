"""Matching names the user typed against the names the diary knows."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from diary.domain.errors import NotFound, ValidationError


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
    """The known name most like ``name`` (as a whole, or one of its words), if any is close."""
    by_folded: dict[str, str] = {}
    for candidate in known:
        by_folded.setdefault(candidate.casefold(), candidate)
        for word in _words(candidate):
            by_folded.setdefault(word, candidate)
    matches = difflib.get_close_matches(name.strip().casefold(), by_folded, n=1, cutoff=0.6)
    return by_folded[matches[0]] if matches else None


def matches_by_words(name: str, known: Iterable[str]) -> list[str]:
    """Known names that contain ``name`` as whole words: "anxiety" finds "anxiety or
    nervousness", "muscle" finds both muscle symptoms."""
    typed = _words(name)
    if not typed:
        return []
    found = []
    for candidate in known:
        words = _words(candidate)
        if any(words[i : i + len(typed)] == typed for i in range(len(words) - len(typed) + 1)):
            found.append(candidate)
    return found


def _words(name: str) -> list[str]:
    return re.findall(r"[^\W_]+", name.casefold())


def not_found(what: str, name: str, known: Iterable[str], field: str | None = None) -> NotFound:
    """A NotFound error for ``name`` that suggests the closest known name."""
    suggestion = closest_name(name, known)
    hint = f' Did you mean "{suggestion}"?' if suggestion else ""
    return NotFound(f'There is no {what} called "{name.strip()}".{hint}', field=field)


def resolve_name(what: str, name: str, known: Iterable[str], field: str | None = None) -> str:
    """The known spelling of ``name``, or the one known name containing it as whole words.

    NotFound (with a suggestion) when there is none; ValidationError when it could mean
    several.
    """
    names = list(known)
    found = find_name(name, names)
    if found is not None:
        return found
    candidates = matches_by_words(name, names)
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        options = ", ".join(f'"{c}"' for c in candidates)
        raise ValidationError(
            f'"{name.strip()}" could mean any of {options}; please give the full name.',
            field=field,
        )
    raise not_found(what, name, names, field)
