"""The recovery key: 128 random bits plus a checksum, written for people to copy by hand.

Shown once at creation as 8 groups of 4 Crockford base32 characters, e.g.
``7K2M-Q9XD-...``. 16 secret bytes + 4 checksum bytes = 160 bits = 32 characters.
Crockford's alphabet has no I, L, O or U, so reading ``I``/``L`` as 1 and ``O`` as 0 is safe.
A typo is caught by the checksum (RecoveryKeyTypo), so it is never reported as a wrong key.
"""

from __future__ import annotations

import hashlib
import os

from diary.domain.errors import RecoveryKeyTypo

SECRET_BYTES = 16
CHECKSUM_BYTES = 4
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUP = 4
_CHARS = (SECRET_BYTES + CHECKSUM_BYTES) * 8 // 5  # 32
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_VALUE = {char: index for index, char in enumerate(ALPHABET)}


def new_recovery_key() -> tuple[bytes, str]:
    """A fresh secret and its printable form."""
    secret = os.urandom(SECRET_BYTES)
    return secret, format_recovery_key(secret)


def format_recovery_key(secret: bytes) -> str:
    number = int.from_bytes(secret + _checksum(secret), "big")
    chars = [ALPHABET[(number >> (5 * shift)) & 31] for shift in reversed(range(_CHARS))]
    text = "".join(chars)
    return "-".join(text[i : i + GROUP] for i in range(0, _CHARS, GROUP))


def parse_recovery_key(text: str) -> bytes:
    """The 16 secret bytes of a typed recovery key; RecoveryKeyTypo if it cannot be right."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
    if len(cleaned) != _CHARS:
        raise RecoveryKeyTypo(
            "That recovery key looks mistyped: it should have 32 letters and digits "
            "in 8 groups of 4."
        )
    if any(char not in _VALUE for char in cleaned):
        raise RecoveryKeyTypo(
            "That recovery key looks mistyped: it contains a character that is never used "
            "in recovery keys."
        )
    number = 0
    for char in cleaned:
        number = (number << 5) | _VALUE[char]
    raw = number.to_bytes(SECRET_BYTES + CHECKSUM_BYTES, "big")
    secret, checksum = raw[:SECRET_BYTES], raw[SECRET_BYTES:]
    if checksum != _checksum(secret):
        raise RecoveryKeyTypo(
            "That recovery key looks mistyped: please check each group of four characters."
        )
    return secret


def _checksum(secret: bytes) -> bytes:
    return hashlib.sha256(b"taper-diary recovery key" + secret).digest()[:CHECKSUM_BYTES]
