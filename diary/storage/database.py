"""The diary's SQLite database, which only ever lives in memory.

The file layer hands us decrypted bytes and takes serialized bytes back. Nothing here
touches the disk: no vacuuming into a file, no backup to a file, no attached database files
(tests/storage/test_database.py checks the source for them), and temporary tables and sorts
are kept in memory (SQLite otherwise spills them to plaintext temp files).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from diary.domain.errors import DamagedFile, NewerFormat
from diary.storage.schema import LATEST_VERSION, migrate, seed_defaults, user_version

_TEMP_STORE_MEMORY = 2


class Database:
    """One in-memory ``sqlite3`` connection holding the whole diary."""

    def __init__(self, conn: sqlite3.Connection, migrated: bool = False) -> None:
        self._conn = conn
        self.migrated = migrated  # whether loading upgraded an older schema

    @classmethod
    def new(cls) -> Database:
        """A fresh diary database: the latest schema and the default settings and symptoms."""
        db = cls(_connect())
        migrate(db._conn)
        seed_defaults(db._conn)
        return db

    @classmethod
    def from_bytes(cls, data: bytes) -> Database:
        """Load serialized bytes, check them, and migrate an older schema.

        Raises DamagedFile when the bytes are not a sound SQLite database and NewerFormat when
        a newer version of the app wrote them.
        """
        conn = _connect()
        try:
            _load(conn, data)
            migrated = migrate(conn)
        except BaseException:
            conn.close()
            raise
        return cls(conn, migrated)

    @property
    def connection(self) -> sqlite3.Connection:
        return self._conn

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    def to_bytes(self) -> bytes:
        return self._conn.serialize()

    def temp_store(self) -> int:
        value: int = self._conn.execute("PRAGMA temp_store").fetchone()[0]
        return value

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed if the block succeeds, rolled back if it raises.

        Inside an open transaction it becomes a savepoint, so a failed inner block undoes
        only its own writes and the outer block may carry on.
        """
        if self._conn.in_transaction:
            begin, commit, rollback = "SAVEPOINT unit", "RELEASE unit", "ROLLBACK TO unit"
        else:
            begin, commit, rollback = "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"
        self._conn.execute(begin)
        try:
            yield self._conn
        except BaseException:
            self._conn.execute(rollback)
            if commit.startswith("RELEASE"):
                self._conn.execute(commit)
            raise
        self._conn.execute(commit)

    def integrity_problems(self) -> list[str]:
        """SQLite's full integrity check and the foreign-key check, as readable lines."""
        problems = [
            row[0]
            for row in self._conn.execute("PRAGMA integrity_check").fetchall()
            if row[0] != "ok"
        ]
        problems += [
            f"{table} row {rowid} refers to a missing {parent} record"
            for table, rowid, parent, _ in self._conn.execute("PRAGMA foreign_key_check")
        ]
        return problems

    def close(self) -> None:
        self._conn.close()


def _connect() -> sqlite3.Connection:
    # Autocommit mode: transactions are opened explicitly by Database.transaction.
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    _configure(conn)
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    """Per-connection settings, applied after every connect and every deserialize."""
    conn.execute("PRAGMA temp_store = MEMORY")
    if conn.execute("PRAGMA temp_store").fetchone()[0] != _TEMP_STORE_MEMORY:
        raise RuntimeError("SQLite refused to keep temporary data in memory.")
    conn.execute("PRAGMA foreign_keys = ON")


def _load(conn: sqlite3.Connection, data: bytes) -> None:
    damaged = DamagedFile(
        "The diary's contents are damaged and cannot be read; you can restore a backup."
    )
    try:
        conn.deserialize(data)
        _configure(conn)
        result = conn.execute("PRAGMA quick_check").fetchall()
        version = user_version(conn)
    except (sqlite3.DatabaseError, MemoryError):  # MemoryError: SQLite's answer to no bytes
        raise damaged from None
    if result != [("ok",)]:
        raise damaged
    if version > LATEST_VERSION:
        raise NewerFormat(
            "This diary was written by a newer version of Taper Diary; "
            "please update the app to open it."
        )
