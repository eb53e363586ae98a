"""The container format on bytes: round trip, damage, tampering, hostile headers."""

from __future__ import annotations

import contextlib
import random
import struct
import time
import unicodedata
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary.domain.errors import (
    DamagedFile,
    DiaryError,
    NewerFormat,
    TamperedFile,
    ValidationError,
    WrongPassphrase,
    WrongRecoveryKey,
)
from diary.storage.container import (
    PAD_TO,
    T_CIPHERTEXT_LENGTH,
    T_GENERATION,
    T_PASSPHRASE_SLOT,
    HeaderFields,
    make_passphrase_slot,
    make_recovery_slot,
    open_payload,
    read_header,
    seal,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)
from diary.storage.keys import KdfParams, Keys
from diary.storage.recovery_key import new_recovery_key
from tests.storage.container_bytes import header_records, payload_of, rebuild, with_record

PASSPHRASE = "café au lait, 3 sugars"  # NFC form
DB = b"SQLite format 3\x00" + bytes(range(256)) * 40


@dataclass(frozen=True)
class Sealed:
    file_bytes: bytes
    keys: Keys
    recovery_secret: bytes
    fields: HeaderFields


@pytest.fixture(scope="module")
def sealed() -> Sealed:
    keys = Keys.generate()
    secret, _ = new_recovery_key()
    fields = HeaderFields(
        file_id=b"F" * 16,
        generation=7,
        passphrase_slot=make_passphrase_slot(keys, PASSPHRASE, KdfParams.MINIMUM),
        recovery_slot=make_recovery_slot(keys, secret),
    )
    return Sealed(seal(DB, keys, fields), keys, secret, fields)


def test_round_trip_with_passphrase_and_recovery_key(sealed: Sealed) -> None:
    header = read_header(sealed.file_bytes)
    assert header.generation == 7
    assert open_payload(sealed.file_bytes, header, unlock_with_passphrase(header, PASSPHRASE)) == DB
    keys = unlock_with_recovery_key(header, sealed.recovery_secret)
    assert open_payload(sealed.file_bytes, header, keys) == DB


def test_nfd_form_of_the_passphrase_opens_too(sealed: Sealed) -> None:
    nfd = unicodedata.normalize("NFD", PASSPHRASE)
    assert nfd != PASSPHRASE
    header = read_header(sealed.file_bytes)
    assert unlock_with_passphrase(header, nfd) == sealed.keys


def test_wrong_passphrase_and_wrong_recovery_key_are_refused(sealed: Sealed) -> None:
    header = read_header(sealed.file_bytes)
    with pytest.raises(WrongPassphrase):
        unlock_with_passphrase(header, "cafe au lait, 3 sugars")
    with pytest.raises(WrongRecoveryKey):
        unlock_with_recovery_key(header, new_recovery_key()[0])


@pytest.mark.parametrize("passphrase", ["", "   ", "\t\n"])
def test_empty_passphrase_is_invalid_input(sealed: Sealed, passphrase: str) -> None:
    with pytest.raises(ValidationError):
        unlock_with_passphrase(read_header(sealed.file_bytes), passphrase)


def test_size_is_padded_to_64_kib_so_it_leaks_little(sealed: Sealed) -> None:
    keys, fields = sealed.keys, sealed.fields
    small, larger = seal(b"a", keys, fields), seal(b"a" * 60_000, keys, fields)
    assert len(small) == len(larger)
    assert len(payload_of(small)) == PAD_TO + 16
    assert len(payload_of(seal(b"a" * PAD_TO, keys, fields))) == 2 * PAD_TO + 16


def test_truncation_anywhere_reads_as_damaged(sealed: Sealed) -> None:
    data = sealed.file_bytes
    header_end = read_header(data).payload_offset
    points = [*range(header_end + 1), header_end + 1, len(data) // 2, len(data) - 1]
    for cut in points:
        with pytest.raises(DamagedFile) as caught:
            read_header(data[:cut])
        assert type(caught.value) is DamagedFile
    print(f"\nFIGURE truncation points tried: {len(points)}, all DamagedFile")


def test_extra_bytes_at_the_end_read_as_damaged(sealed: Sealed) -> None:
    with pytest.raises(DamagedFile):
        read_header(sealed.file_bytes + b"\x00")


def test_every_header_bit_flip_is_rejected_before_any_key_is_used(sealed: Sealed) -> None:
    data = sealed.file_bytes
    header_end = read_header(data).payload_offset
    counts: dict[str, int] = {}
    for bit in range(header_end * 8):
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises((DamagedFile, NewerFormat)) as caught:
            read_header(bytes(flipped))
        kind = type(caught.value).__name__
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "NewerFormat":
            assert 8 <= bit // 8 < 10, "only the major version field may read as newer"
    print(
        f"\nFIGURE header bits flipped: {header_end * 8}, rejected: {sum(counts.values())} {counts}"
    )


def test_random_payload_bit_flips_read_as_tampered(sealed: Sealed) -> None:
    data = sealed.file_bytes
    header = read_header(data)
    rng = random.Random(1)
    flips = 500
    for _ in range(flips):
        bit = rng.randrange(header.payload_offset * 8, len(data) * 8)
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises(TamperedFile):
            open_payload(bytes(flipped), read_header(bytes(flipped)), sealed.keys)
    print(f"\nFIGURE payload bits flipped: {flips}, all TamperedFile")


def test_unknown_major_version_is_refused_as_newer(sealed: Sealed) -> None:
    newer = bytearray(sealed.file_bytes)
    struct.pack_into("<H", newer, 8, 2)
    with pytest.raises(NewerFormat, match="newer version"):
        read_header(bytes(newer))


def test_optional_records_from_a_newer_minor_are_skipped(sealed: Sealed) -> None:
    records = [*header_records(sealed.file_bytes), (200, b"some future hint")]
    data = rebuild(sealed.file_bytes, records, payload_of(sealed.file_bytes))
    header = read_header(data)
    # The payload's associated data covers the new header, so it no longer authenticates.
    with pytest.raises(TamperedFile):
        open_payload(data, header, sealed.keys)


def test_unknown_required_record_means_a_newer_writer(sealed: Sealed) -> None:
    records = [*header_records(sealed.file_bytes), (99, b"x")]
    with pytest.raises(NewerFormat):
        read_header(rebuild(sealed.file_bytes, records, payload_of(sealed.file_bytes)))


def test_header_swapped_onto_another_payload_is_tampering(sealed: Sealed) -> None:
    other = seal(b"other diary contents", sealed.keys, sealed.fields)
    with pytest.raises(TamperedFile):
        mixed = with_record(sealed.file_bytes, T_GENERATION, struct.pack("<Q", 8))
        open_payload(mixed, read_header(mixed), sealed.keys)
    spliced = sealed.file_bytes[: read_header(sealed.file_bytes).payload_offset] + payload_of(other)
    with pytest.raises(TamperedFile):
        open_payload(spliced, read_header(spliced), sealed.keys)


def test_salts_and_nonces_never_repeat_across_saves(sealed: Sealed) -> None:
    saves = 500
    salts, nonces = set(), set()
    for _ in range(saves):
        header = read_header(seal(b"same", sealed.keys, sealed.fields))
        salts.add(header.save_salt)
        nonces.add(header.payload_nonce)
    assert len(salts) == len(nonces) == saves
    print(f"\nFIGURE saves sealed: {saves}, distinct save salts {len(salts)}, nonces {len(nonces)}")


# ---- hostile headers: rejected fast, before any large allocation or KDF --------------

FAST = 0.05  # seconds; one Argon2id run at the minimum setting takes about 0.1 s


def _timed_read(data: bytes) -> float:
    started = time.perf_counter()
    with contextlib.suppress(DiaryError):
        read_header(data)
    return time.perf_counter() - started


@settings(max_examples=200, deadline=None)
@given(
    memory=st.integers(0, 2**32 - 1),
    iterations=st.integers(0, 2**32 - 1),
    lanes=st.integers(0, 2**32 - 1),
)
def test_absurd_kdf_settings_are_refused_before_any_kdf(
    sealed: Sealed, memory: int, iterations: int, lanes: int
) -> None:
    slot = dict(header_records(sealed.file_bytes))[T_PASSPHRASE_SLOT]
    value = struct.pack("<III", memory, iterations, lanes) + slot[12:]
    data = with_record(sealed.file_bytes, T_PASSPHRASE_SLOT, value)
    sane = 1 <= lanes <= 64 and 1 <= iterations <= 64 and 8 * lanes <= memory <= 4 * 2**20
    if sane:
        assert read_header(data).fields.passphrase_slot.kdf == KdfParams(memory, iterations, lanes)
    else:
        with pytest.raises(DamagedFile):
            read_header(data)
    assert _timed_read(data) < FAST


@settings(max_examples=200, deadline=None)
@given(length=st.integers(0, 2**64 - 1))
def test_any_stored_ciphertext_length_but_the_true_one_is_damage(
    sealed: Sealed, length: int
) -> None:
    data = with_record(sealed.file_bytes, T_CIPHERTEXT_LENGTH, struct.pack("<Q", length))
    if length == len(payload_of(data)):
        read_header(data)
    else:
        with pytest.raises(DamagedFile):
            read_header(data)
    assert _timed_read(data) < FAST


@settings(max_examples=300, deadline=None)
@given(header_length=st.integers(0, 2**32 - 1), tail=st.binary(max_size=400))
def test_any_header_length_field_is_handled(
    sealed: Sealed, header_length: int, tail: bytes
) -> None:
    data = sealed.file_bytes[:12] + struct.pack("<I", header_length) + tail
    with pytest.raises(DamagedFile):
        read_header(data)
    assert _timed_read(data) < FAST


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_reader(data: bytes) -> None:
    for candidate in (data, b"\x89TPDIARY\x01\x00" + data):
        with pytest.raises((DamagedFile, NewerFormat)):
            read_header(candidate)
