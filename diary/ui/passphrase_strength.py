"""A rough, dependency-free passphrase strength hint: "weak", "fair" or "strong".

It only guides; any non-blank passphrase is accepted. The estimate is length times the
size of the character pool in use, discounted for passphrases made of few distinct
characters (e.g. "aaaaaaaaaaaa"), which a pool-based estimate would otherwise overrate.
"""

from __future__ import annotations

import math
import string
from enum import StrEnum


class Strength(StrEnum):
    WEAK = "weak"
    FAIR = "fair"
    STRONG = "strong"


FAIR_BITS = 60.0
STRONG_BITS = 80.0

_POOLS = (
    (string.ascii_lowercase, 26),
    (string.ascii_uppercase, 26),
    (string.digits, 10),
)
_OTHER_POOL = 33  # punctuation and space; anything else (accents, other scripts) counts here too


def estimated_bits(passphrase: str) -> float:
    """Guessing difficulty in bits, by length and variety of characters."""
    if not passphrase:
        return 0.0
    pool = sum(size for chars, size in _POOLS if any(c in chars for c in passphrase))
    if any(not any(c in chars for chars, _ in _POOLS) for c in passphrase):
        pool += _OTHER_POOL
    distinct = len(set(passphrase))
    # Few distinct characters repeated many times are far easier to guess than the pool says.
    effective_length = min(len(passphrase), distinct * 3)
    return effective_length * math.log2(pool)


def passphrase_strength(passphrase: str) -> Strength:
    bits = estimated_bits(passphrase.strip())
    if bits >= STRONG_BITS:
        return Strength.STRONG
    if bits >= FAIR_BITS:
        return Strength.FAIR
    return Strength.WEAK


def strength_hint(passphrase: str) -> str:
    """One sentence for the create screen."""
    strength = passphrase_strength(passphrase)
    if strength is Strength.STRONG:
        return "Strength: strong."
    if strength is Strength.FAIR:
        return "Strength: fair. A few more words would make it stronger."
    return "Strength: weak. Several ordinary words in a row are easy to remember and hard to guess."
