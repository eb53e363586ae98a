"""Test helpers that edit container bytes by hand, to build damaged or hostile files.

They follow the layout documented in diary/storage/container.py.
"""

from __future__ import annotations

import hashlib
import struct

from diary.storage.container import HASH_BYTES, PREFIX

_TLV = struct.Struct("<BH")


def header_records(file_bytes: bytes) -> list[tuple[int, bytes]]:
    """The (type, value) records of a well-formed file."""
    header_length = PREFIX.unpack_from(file_bytes)[3]
    records = file_bytes[PREFIX.size : PREFIX.size + header_length]
    out = []
    at = 0
    while at < len(records):
        kind, length = _TLV.unpack_from(records, at)
        out.append((kind, records[at + _TLV.size : at + _TLV.size + length]))
        at += _TLV.size + length
    return out


def rebuild(file_bytes: bytes, records: list[tuple[int, bytes]], payload: bytes) -> bytes:
    """A file with these records, a correct header hash, and ``payload`` after it."""
    magic, major, minor, _ = PREFIX.unpack_from(file_bytes)
    body = b"".join(_TLV.pack(kind, len(value)) + value for kind, value in records)
    head = PREFIX.pack(magic, major, minor, len(body)) + body
    return head + hashlib.sha256(head).digest() + payload


def payload_of(file_bytes: bytes) -> bytes:
    header_length = PREFIX.unpack_from(file_bytes)[3]
    return file_bytes[PREFIX.size + header_length + HASH_BYTES :]


def with_record(file_bytes: bytes, kind: int, value: bytes) -> bytes:
    """The same file with one record's value replaced and the header hash recomputed."""
    records = [(k, value if k == kind else v) for k, v in header_records(file_bytes)]
    return rebuild(file_bytes, records, payload_of(file_bytes))
