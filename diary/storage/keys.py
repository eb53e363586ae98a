"""Key derivation: the passphrase key (Argon2id), the data key, and the per-save payload key.

The data key (DEK) is 32 random bytes that encrypt the diary. It is stored only wrapped in
key slots (see ``container``). Saves derive a fresh payload key from the DEK with HKDF and a
random salt, so Argon2 runs only at unlock, never on a save.
"""

from __future__ import annotations

import math
import os
import time
import unicodedata
from dataclasses import dataclass, field
from typing import ClassVar

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from diary.domain.errors import DamagedFile, ValidationError

KEY_BYTES = 32
SALT_BYTES = 16

# Upper bounds checked on every stored parameter set before the KDF runs, so a damaged or
# hostile file cannot make us allocate gigabytes or spin for minutes.
MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB
MAX_ITERATIONS = 64
MAX_LANES = 64
# calibrate_kdf never asks for more than this, whatever the machine.
CALIBRATION_CAP_KIB = 1024 * 1024  # 1 GiB
CALIBRATION_MAX_ITERATIONS = 12


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost settings, stored in the passphrase slot of each file."""

    memory_kib: int
    iterations: int
    lanes: int

    MINIMUM: ClassVar[KdfParams]

    def check_sane(self) -> None:
        """Refuse parameters we never write (DamagedFile), before anything expensive runs."""
        if not (1 <= self.lanes <= MAX_LANES and 1 <= self.iterations <= MAX_ITERATIONS):
            raise DamagedFile("The diary file's key settings are out of range; it looks damaged.")
        if not (8 * self.lanes <= self.memory_kib <= MAX_MEMORY_KIB):
            raise DamagedFile("The diary file's key settings are out of range; it looks damaged.")


# RFC 9106, section 4, second recommended option: 64 MiB, 3 passes, 4 lanes.
KdfParams.MINIMUM = KdfParams(memory_kib=65536, iterations=3, lanes=4)


@dataclass(frozen=True)
class Keys:
    """The unwrapped data key of an open diary. Held in memory only while unlocked."""

    data_key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.data_key) != KEY_BYTES:
            raise ValueError("a data key is 32 bytes")

    @classmethod
    def generate(cls) -> Keys:
        return cls(os.urandom(KEY_BYTES))


def passphrase_bytes(passphrase: str) -> bytes:
    """NFC-normalised UTF-8, so the same passphrase typed on any keyboard gives the same key."""
    if not passphrase.strip():
        raise ValidationError("The passphrase cannot be empty.", field="passphrase")
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_passphrase_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """The key that wraps the DEK in a passphrase slot. Slow on purpose."""
    secret = passphrase_bytes(passphrase)
    params.check_sane()
    kdf = Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(secret)


def hkdf(secret: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA256 to 32 bytes; fast, for secrets that already carry full entropy."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(secret)


def payload_key(keys: Keys, save_salt: bytes) -> bytes:
    """A fresh key for one save's payload: no (key, nonce) pair can repeat across saves."""
    return hkdf(keys.data_key, save_salt, b"taper-diary v1 payload")


def calibrate_kdf(target_seconds: float = 0.6) -> KdfParams:
    """Double Argon2id memory from MINIMUM until one derivation takes about target_seconds.

    Never returns less than MINIMUM, nor more than CALIBRATION_CAP_KIB of memory.
    """
    params = KdfParams.MINIMUM
    elapsed = _time_one_derivation(params)
    # Time grows about linearly with memory; stop when doubling would overshoot.
    while params.memory_kib * 2 <= CALIBRATION_CAP_KIB and elapsed * 2 <= target_seconds * 1.25:
        params = KdfParams(params.memory_kib * 2, params.iterations, params.lanes)
        elapsed = _time_one_derivation(params)
    # Doubling memory moves in big jumps; more passes close the remaining gap to the target.
    if elapsed < target_seconds:
        passes = min(
            CALIBRATION_MAX_ITERATIONS, math.ceil(params.iterations * target_seconds / elapsed)
        )
        params = KdfParams(params.memory_kib, passes, params.lanes)
    return params


def _time_one_derivation(params: KdfParams) -> float:
    started = time.perf_counter()
    derive_passphrase_key("calibration", os.urandom(SALT_BYTES), params)
    return time.perf_counter() - started
