"""The diary container format, version 1: pure functions on bytes, no I/O.

Layout (all integers little-endian)::

    offset  size  field
    0       8     magic b"\\x89TPDIARY"
    8       2     format major (1)
    10      2     format minor (0)
    12      4     header length L (bytes of TLV records that follow), at most 4096
    16      L     header: TLV records, each type u8 | length u16 | value
    16+L    32    SHA-256 of bytes [0, 16+L)
    48+L    C     AES-256-GCM ciphertext + 16-byte tag of the padded database;
                  associated data = bytes [0, 48+L); the file ends exactly here.

Header records (each exactly once unless noted):

    1   file id            16 random bytes, fixed for the life of the diary
    2   generation         u64, +1 on every save
    3   cipher id          u8, 1 = AES-256-GCM
    4   save salt          16 random bytes per save; payload key = HKDF(DEK, save salt)
    5   payload nonce      12 random bytes per save
    6   ciphertext length  u64, C above (so a cut-short file reads as damaged)
    16  passphrase slot    Argon2id memory KiB u32 | iterations u32 | lanes u32 |
                           salt 16 | wrap nonce 12 | wrapped DEK 48
    17  recovery slot      salt 16 | wrap nonce 12 | wrapped DEK 48
                           (key = HKDF-SHA256 of the 16 recovery-key bytes with the salt)

Unknown record types 128-255 are optional extensions and skipped; unknown types below 128
mean a newer writer (NewerFormat). The wrapped DEK is AES-256-GCM(KEK, nonce, DEK) with the
slot kind as associated data.

The plaintext is the database length u64 | database | zero padding, padded to a multiple
of 64 KiB so the file size says little about how much is written in the diary.

Opening checks, in order, each with its own error: size and magic (DamagedFile) ->
major version (NewerFormat) -> header hash (DamagedFile) -> records and KDF bounds
(DamagedFile, before any KDF) -> key slot (WrongPassphrase / WrongRecoveryKey) ->
payload authentication (TamperedFile).
"""

from __future__ import annotations

import hashlib
import os
import struct
from dataclasses import dataclass, field, replace

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from diary.domain.errors import (
    DamagedFile,
    NewerFormat,
    TamperedFile,
    WrongPassphrase,
    WrongRecoveryKey,
)
from diary.storage.keys import (
    KEY_BYTES,
    SALT_BYTES,
    KdfParams,
    Keys,
    derive_passphrase_key,
    hkdf,
    payload_key,
)

MAGIC = b"\x89TPDIARY"
FORMAT_MAJOR = 1
FORMAT_MINOR = 0
CIPHER_AES_256_GCM = 1
PREFIX = struct.Struct("<8sHHI")
HASH_BYTES = 32
MAX_HEADER_BYTES = 4096
NONCE_BYTES = 12
TAG_BYTES = 16
WRAPPED_KEY_BYTES = KEY_BYTES + TAG_BYTES
PAD_TO = 64 * 1024

T_FILE_ID = 1
T_GENERATION = 2
T_CIPHER = 3
T_SAVE_SALT = 4
T_PAYLOAD_NONCE = 5
T_CIPHERTEXT_LENGTH = 6
T_PASSPHRASE_SLOT = 16
T_RECOVERY_SLOT = 17
FIRST_OPTIONAL_TYPE = 128

_KDF = struct.Struct("<III")
_TLV = struct.Struct("<BH")
_U64 = struct.Struct("<Q")
_PASSPHRASE_SLOT_BYTES = _KDF.size + SALT_BYTES + NONCE_BYTES + WRAPPED_KEY_BYTES
_RECOVERY_SLOT_BYTES = SALT_BYTES + NONCE_BYTES + WRAPPED_KEY_BYTES
_RECORD_SIZES = {
    T_FILE_ID: 16,
    T_GENERATION: _U64.size,
    T_CIPHER: 1,
    T_SAVE_SALT: SALT_BYTES,
    T_PAYLOAD_NONCE: NONCE_BYTES,
    T_CIPHERTEXT_LENGTH: _U64.size,
    T_PASSPHRASE_SLOT: _PASSPHRASE_SLOT_BYTES,
    T_RECOVERY_SLOT: _RECOVERY_SLOT_BYTES,
}
_PASSPHRASE_SLOT_AAD = b"taper-diary v1 passphrase slot"
_RECOVERY_SLOT_AAD = b"taper-diary v1 recovery slot"
_RECOVERY_INFO = b"taper-diary v1 recovery key"

_DAMAGED = "The diary file is damaged: {}."


@dataclass(frozen=True)
class PassphraseSlot:
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes


@dataclass(frozen=True)
class RecoverySlot:
    salt: bytes
    nonce: bytes
    wrapped_key: bytes


@dataclass(frozen=True)
class HeaderFields:
    """What the caller chooses for a save; seal adds the per-save salt, nonce and length."""

    file_id: bytes
    generation: int
    passphrase_slot: PassphraseSlot
    recovery_slot: RecoverySlot

    def next_generation(self) -> HeaderFields:
        return replace(self, generation=self.generation + 1)


@dataclass(frozen=True)
class Header:
    """A parsed, hash-checked header."""

    fields: HeaderFields
    major: int
    minor: int
    save_salt: bytes
    payload_nonce: bytes
    ciphertext_length: int
    payload_offset: int

    @property
    def generation(self) -> int:
        return self.fields.generation


# ---- key slots -------------------------------------------------------------------------


@dataclass(frozen=True)
class PassphraseKey:
    """The Argon2id output of one passphrase for one slot's salt and settings.

    Held while a diary is open so that a data-key rotation can wrap the new data key under the
    same passphrase without asking for it again or re-running Argon2id.
    """

    kdf: KdfParams
    salt: bytes
    kek: bytes = field(repr=False)

    @classmethod
    def derive(cls, passphrase: str, kdf: KdfParams, salt: bytes | None = None) -> PassphraseKey:
        """Run Argon2id: with a fresh salt for a new slot, or an existing slot's salt."""
        salt = os.urandom(SALT_BYTES) if salt is None else salt
        return cls(kdf, salt, derive_passphrase_key(passphrase, salt, kdf))


def wrap_for_passphrase(keys: Keys, key: PassphraseKey) -> PassphraseSlot:
    """A passphrase slot holding ``keys``, with a fresh wrap nonce."""
    nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(key.kek).encrypt(nonce, keys.data_key, _PASSPHRASE_SLOT_AAD)
    return PassphraseSlot(key.kdf, key.salt, nonce, wrapped)


def make_passphrase_slot(keys: Keys, passphrase: str, kdf: KdfParams) -> PassphraseSlot:
    return wrap_for_passphrase(keys, PassphraseKey.derive(passphrase, kdf))


def make_recovery_slot(keys: Keys, recovery_secret: bytes) -> RecoverySlot:
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    kek = hkdf(recovery_secret, salt, _RECOVERY_INFO)
    wrapped = AESGCM(kek).encrypt(nonce, keys.data_key, _RECOVERY_SLOT_AAD)
    return RecoverySlot(salt, nonce, wrapped)


def unlock_with_passphrase(header: Header, passphrase: str) -> Keys:
    return unlock_passphrase_slot(header, passphrase)[0]


def unlock_passphrase_slot(header: Header, passphrase: str) -> tuple[Keys, PassphraseKey]:
    """The data key and the passphrase key that unwrapped it (WrongPassphrase if none)."""
    slot = header.fields.passphrase_slot
    key = PassphraseKey.derive(passphrase, slot.kdf, slot.salt)
    try:
        data_key = AESGCM(key.kek).decrypt(slot.nonce, slot.wrapped_key, _PASSPHRASE_SLOT_AAD)
    except InvalidTag:
        raise WrongPassphrase("That passphrase does not open this diary.") from None
    return Keys(data_key), key


def unlock_with_recovery_key(header: Header, key_bytes: bytes) -> Keys:
    slot = header.fields.recovery_slot
    kek = hkdf(key_bytes, slot.salt, _RECOVERY_INFO)
    try:
        return Keys(AESGCM(kek).decrypt(slot.nonce, slot.wrapped_key, _RECOVERY_SLOT_AAD))
    except InvalidTag:
        raise WrongRecoveryKey("That recovery key does not belong to this diary.") from None


# ---- sealing ---------------------------------------------------------------------------


def seal(db_bytes: bytes, keys: Keys, header: HeaderFields) -> bytes:
    """The whole file for one save: fresh save salt and nonce, padded payload, hashed header."""
    save_salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    plaintext = _pad(db_bytes)
    records = _encode_records(header, save_salt, nonce, len(plaintext) + TAG_BYTES)
    head = PREFIX.pack(MAGIC, FORMAT_MAJOR, FORMAT_MINOR, len(records)) + records
    head += hashlib.sha256(head).digest()
    ciphertext = AESGCM(payload_key(keys, save_salt)).encrypt(nonce, plaintext, head)
    return head + ciphertext


def _encode_records(
    fields: HeaderFields, save_salt: bytes, nonce: bytes, ciphertext_length: int
) -> bytes:
    pslot, rslot = fields.passphrase_slot, fields.recovery_slot
    kdf = pslot.kdf
    records = [
        (T_FILE_ID, fields.file_id),
        (T_GENERATION, _U64.pack(fields.generation)),
        (T_CIPHER, bytes([CIPHER_AES_256_GCM])),
        (T_SAVE_SALT, save_salt),
        (T_PAYLOAD_NONCE, nonce),
        (T_CIPHERTEXT_LENGTH, _U64.pack(ciphertext_length)),
        (
            T_PASSPHRASE_SLOT,
            _KDF.pack(kdf.memory_kib, kdf.iterations, kdf.lanes)
            + pslot.salt
            + pslot.nonce
            + pslot.wrapped_key,
        ),
        (T_RECOVERY_SLOT, rslot.salt + rslot.nonce + rslot.wrapped_key),
    ]
    out = bytearray()
    for kind, value in records:
        if len(value) != _RECORD_SIZES[kind]:
            raise ValueError(f"header record {kind} must be {_RECORD_SIZES[kind]} bytes")
        out += _TLV.pack(kind, len(value)) + value
    return bytes(out)


def _pad(db_bytes: bytes) -> bytes:
    body = _U64.pack(len(db_bytes)) + db_bytes
    return body + bytes(-len(body) % PAD_TO)


def _unpad(plaintext: bytes) -> bytes:
    (length,) = _U64.unpack_from(plaintext)
    if length > len(plaintext) - _U64.size:
        raise DamagedFile(_DAMAGED.format("its contents have an impossible length"))
    return plaintext[_U64.size : _U64.size + length]


# ---- opening ---------------------------------------------------------------------------


def read_header(file_bytes: bytes) -> Header:
    """Check bounds, magic, version, header hash, records and KDF bounds; no key needed."""
    if len(file_bytes) < PREFIX.size:
        raise DamagedFile(_DAMAGED.format("it is cut short"))
    magic, major, minor, header_length = PREFIX.unpack_from(file_bytes)
    if magic != MAGIC:
        raise DamagedFile("This is not a Taper Diary file, or its beginning is damaged.")
    if major > FORMAT_MAJOR:
        raise NewerFormat(
            "This diary was written by a newer version of Taper Diary; "
            "please update the app to open it."
        )
    if major < 1:
        raise DamagedFile(_DAMAGED.format("its format version is unknown"))
    hash_at = PREFIX.size + header_length
    payload_offset = hash_at + HASH_BYTES
    if header_length > MAX_HEADER_BYTES or payload_offset > len(file_bytes):
        raise DamagedFile(_DAMAGED.format("its header is cut short or has an impossible size"))
    if hashlib.sha256(file_bytes[:hash_at]).digest() != file_bytes[hash_at:payload_offset]:
        raise DamagedFile(_DAMAGED.format("its header does not match its checksum"))
    header = _parse_records(file_bytes[PREFIX.size : hash_at], major, minor, payload_offset)
    _check_payload_length(file_bytes, header)
    return header


def open_payload(file_bytes: bytes, header: Header, keys: Keys) -> bytes:
    """Decrypt and unpad the database bytes."""
    _check_payload_length(file_bytes, header)
    aad = file_bytes[: header.payload_offset]
    ciphertext = file_bytes[header.payload_offset :]
    aead = AESGCM(payload_key(keys, header.save_salt))
    try:
        plaintext = aead.decrypt(header.payload_nonce, ciphertext, aad)
    except InvalidTag:
        raise TamperedFile(
            "The diary's contents fail their integrity check: the file was changed "
            "outside Taper Diary or is damaged."
        ) from None
    return _unpad(plaintext)


def opens_to(file_bytes: bytes, keys: Keys, db_bytes: bytes) -> bool:
    """Whether a freshly written file decrypts to exactly these database bytes."""
    return open_payload(file_bytes, read_header(file_bytes), keys) == db_bytes


def _check_payload_length(file_bytes: bytes, header: Header) -> None:
    length = header.ciphertext_length
    if length < TAG_BYTES + PAD_TO or (length - TAG_BYTES) % PAD_TO:
        raise DamagedFile(_DAMAGED.format("its contents have an impossible length"))
    if header.payload_offset + length != len(file_bytes):
        raise DamagedFile(_DAMAGED.format("it is cut short or has extra bytes at the end"))


def _parse_records(records: bytes, major: int, minor: int, payload_offset: int) -> Header:
    values = _split_records(records)
    missing = set(_RECORD_SIZES) - set(values)
    if missing:
        raise DamagedFile(_DAMAGED.format("its header is missing required parts"))
    if values[T_CIPHER] != bytes([CIPHER_AES_256_GCM]):
        raise NewerFormat(
            "This diary uses a cipher from a newer version of Taper Diary; "
            "please update the app to open it."
        )
    fields = HeaderFields(
        file_id=values[T_FILE_ID],
        generation=_U64.unpack(values[T_GENERATION])[0],
        passphrase_slot=_parse_passphrase_slot(values[T_PASSPHRASE_SLOT]),
        recovery_slot=_parse_recovery_slot(values[T_RECOVERY_SLOT]),
    )
    return Header(
        fields=fields,
        major=major,
        minor=minor,
        save_salt=values[T_SAVE_SALT],
        payload_nonce=values[T_PAYLOAD_NONCE],
        ciphertext_length=_U64.unpack(values[T_CIPHERTEXT_LENGTH])[0],
        payload_offset=payload_offset,
    )


def _split_records(records: bytes) -> dict[int, bytes]:
    values: dict[int, bytes] = {}
    at = 0
    while at < len(records):
        if at + _TLV.size > len(records):
            raise DamagedFile(_DAMAGED.format("a header record is cut short"))
        kind, length = _TLV.unpack_from(records, at)
        value = records[at + _TLV.size : at + _TLV.size + length]
        at += _TLV.size + length
        if len(value) != length:
            raise DamagedFile(_DAMAGED.format("a header record is cut short"))
        if kind >= FIRST_OPTIONAL_TYPE:
            continue
        if kind not in _RECORD_SIZES:
            raise NewerFormat(
                "This diary uses features of a newer version of Taper Diary; "
                "please update the app to open it."
            )
        if kind in values or length != _RECORD_SIZES[kind]:
            raise DamagedFile(_DAMAGED.format("a header record is repeated or malformed"))
        values[kind] = value
    return values


def _parse_passphrase_slot(value: bytes) -> PassphraseSlot:
    kdf = KdfParams(*_KDF.unpack_from(value))
    kdf.check_sane()
    at = _KDF.size
    salt = value[at : at + SALT_BYTES]
    nonce = value[at + SALT_BYTES : at + SALT_BYTES + NONCE_BYTES]
    return PassphraseSlot(kdf, salt, nonce, value[at + SALT_BYTES + NONCE_BYTES :])


def _parse_recovery_slot(value: bytes) -> RecoverySlot:
    nonce_end = SALT_BYTES + NONCE_BYTES
    return RecoverySlot(value[:SALT_BYTES], value[SALT_BYTES:nonce_end], value[nonce_end:])
