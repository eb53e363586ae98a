"""What a mutation touched, so each screen decides for itself whether to refresh."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    label: str = ""  # what the user did, in words for "Undo <label>"
    medications: bool = False
    regimen: bool = False
    doses: bool = False
    holds: bool = False
    checkins: bool = False
    symptoms: bool = False
    events: bool = False
    settings: bool = False

    @classmethod
    def everything(cls, label: str) -> Changes:
        return cls(label, True, True, True, True, True, True, True, True)
