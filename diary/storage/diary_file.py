"""DiaryFile: the only place that touches the diary file.

An open DiaryFile holds the lock, the unwrapped data key, the passphrase key (when it was
opened with the passphrase) and the header of the generation it last wrote. ``save`` seals
new database bytes and commits them atomically (see ``atomic_write.commit``), keeping the
previous generation in ``backups/``. It refuses to overwrite a file that someone else
replaced since (ChangedOnDisk).

Two ways to change keys: ``change_passphrase`` rewrites only the passphrase slot (cheap; the
data key, the recovery key and the backups stay as they are), and ``rotate_data_key`` ("my
passphrase or recovery key may be known") replaces the data key and both slots and re-seals
every backup, so nothing on disk opens with the old passphrase or recovery key any more.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from diary.domain.errors import (
    ChangedOnDisk,
    DamagedFile,
    DiaryError,
    NotFound,
    RotationIncomplete,
    SaveFailed,
    ValidationError,
)
from diary.storage import atomic_write, backups
from diary.storage.container import (
    Header,
    HeaderFields,
    PassphraseKey,
    make_recovery_slot,
    open_payload,
    opens_to,
    read_header,
    seal,
    unlock_passphrase_slot,
    unlock_with_recovery_key,
    wrap_for_passphrase,
)
from diary.storage.file_lock import FileLock
from diary.storage.keys import KdfParams, Keys, calibrate_kdf, passphrase_bytes
from diary.storage.recovery_key import new_recovery_key, parse_recovery_key

FILE_ID_BYTES = 16

# What we remember of the file we wrote, to notice cheaply that someone else replaced it.
_DiskStamp = tuple[int, int, int, int]
_Unlock = Callable[[Header], tuple[Keys, PassphraseKey | None]]


@dataclass(frozen=True)
class FileInfo:
    """What can be told about a diary file without any key."""

    path: Path
    format_version: str
    generation: int
    file_id: str
    size_bytes: int


class DiaryFile:
    def __init__(
        self,
        path: Path,
        lock: FileLock,
        keys: Keys,
        fields: HeaderFields,
        stamp: _DiskStamp,
        passphrase_key: PassphraseKey | None,
    ) -> None:
        self.path = path
        self._lock = lock
        self._keys: Keys | None = keys
        self._fields = fields
        self._stamp = stamp
        # None when opened with the recovery key: a rotation then needs a new passphrase.
        self._passphrase_key = passphrase_key
        # Data keys rotated away from while open, newest first, so that a rotation retried
        # after a failure re-seals (rather than deletes) the backups still on an older key.
        self._retired_keys: list[Keys] = []

    @property
    def generation(self) -> int:
        return self._fields.generation

    @property
    def file_id(self) -> str:
        return self._fields.file_id.hex()

    # ---- creating and opening ----------------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, passphrase: str, db_bytes: bytes, kdf: KdfParams | None = None
    ) -> tuple[DiaryFile, str]:
        """A new diary at ``path`` (never over an existing file). Returns the recovery key."""
        passphrase_bytes(passphrase)  # reject an empty passphrase before any work
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = FileLock.acquire(path)
        try:
            if path.exists():
                raise ValidationError(
                    f"A diary already exists at {path}; open it or choose another name.",
                    field="path",
                )
            keys = Keys.generate()
            secret, recovery_text = new_recovery_key()
            passphrase_key = PassphraseKey.derive(passphrase, kdf or calibrate_kdf())
            fields = HeaderFields(
                file_id=os.urandom(FILE_ID_BYTES),
                generation=0,  # the first save below makes it generation 1
                passphrase_slot=wrap_for_passphrase(keys, passphrase_key),
                recovery_slot=make_recovery_slot(keys, secret),
            )
            diary = cls(path, lock, keys, fields, (0, 0, 0, 0), passphrase_key)
            diary._commit(fields, db_bytes, check_disk=False)
        except BaseException:
            lock.release()
            raise
        return diary, recovery_text

    @classmethod
    def unlock(cls, path: Path, passphrase: str) -> tuple[DiaryFile, bytes]:
        """Open with the passphrase; returns the decrypted database bytes."""
        return cls._open(path, lambda header: unlock_passphrase_slot(header, passphrase))

    @classmethod
    def unlock_with_recovery_key(cls, path: Path, recovery_key: str) -> tuple[DiaryFile, bytes]:
        secret = parse_recovery_key(recovery_key)
        return cls._open(path, lambda header: (unlock_with_recovery_key(header, secret), None))

    @classmethod
    def _open(cls, path: Path, unlock: _Unlock) -> tuple[DiaryFile, bytes]:
        lock = FileLock.acquire(path)
        try:
            data, stamp = _read_with_stamp(path)
            header = read_header(data)
            keys, passphrase_key = unlock(header)
            db_bytes = open_payload(data, header, keys)
            atomic_write.remove_stale_temps(path)
            backups.remove_stale_temps(path)
        except BaseException:
            lock.release()
            raise
        return cls(path, lock, keys, header.fields, stamp, passphrase_key), db_bytes

    @staticmethod
    def info(path: Path) -> FileInfo:
        data = _read_with_stamp(path)[0]
        header = read_header(data)
        return FileInfo(
            path=path,
            format_version=f"{header.major}.{header.minor}",
            generation=header.generation,
            file_id=header.fields.file_id.hex(),
            size_bytes=len(data),
        )

    # ---- saving ------------------------------------------------------------------------

    def save(self, db_bytes: bytes) -> None:
        """Write ``db_bytes`` as the next generation, or raise SaveFailed (nothing changed)."""
        self._commit(self._fields, db_bytes, check_disk=True)

    def change_passphrase(
        self, new_passphrase: str, db_bytes: bytes, kdf: KdfParams | None = None
    ) -> None:
        """Replace the passphrase slot and save.

        Only the slot changes: the data key and the recovery key stay, and backups keep
        opening with the passphrase they were saved with. Use ``rotate_data_key`` when the
        old passphrase may be known to someone.
        """
        passphrase_key = PassphraseKey.derive(new_passphrase, kdf or calibrate_kdf())
        slot = wrap_for_passphrase(self._held_keys(), passphrase_key)
        self._commit(replace(self._fields, passphrase_slot=slot), db_bytes, check_disk=True)
        self._passphrase_key = passphrase_key

    def new_recovery_key(self, db_bytes: bytes) -> str:
        """A new recovery key, made by rotating the data key (see ``rotate_data_key``).

        A rotation rather than a new recovery slot alone: backups carry the recovery slot
        they were saved with, so only re-sealing them under a new data key makes the old
        recovery key open nothing. The passphrase stays the same.
        """
        return self.rotate_data_key(db_bytes)

    def rotate_data_key(
        self, db_bytes: bytes, new_passphrase: str | None = None, kdf: KdfParams | None = None
    ) -> str:
        """Re-key everything: a fresh data key, passphrase slot and recovery key. Returns the
        new recovery key, formatted for display.

        The passphrase slot is for ``new_passphrase`` (Argon2id with ``kdf``, or calibrated
        here), or, when it is None, for the current passphrase: its key, kept in memory since
        unlock, wraps the new data key, so ``kdf`` is then unused. A diary opened with the
        recovery key holds no passphrase key and needs ``new_passphrase`` (ValidationError).

        Steps: save ``db_bytes`` atomically as the next generation under the new keys (if this
        fails, SaveFailed and nothing changed: the old keys still open everything); then
        re-seal every backup under the new keys, each atomically with its generation, name and
        time kept, deleting those no key held in memory opens (damaged ones, or ones left by
        a failed rotation before this diary was last opened). Afterwards the old passphrase
        and old recovery key open nothing in the diary folder (old copies elsewhere, and
        blocks the file system has not reused yet, are beyond our reach).

        If re-sealing the backups fails part-way, the diary already opens only with the new
        keys and each backup opens with either the old or the new ones. The DiaryError then
        says so, and that the new recovery key could not be shown: the user keeps using the
        passphrase and simply tries again, which finishes the backups (the old data key is
        still held) and makes another recovery key.
        """
        old_keys = self._held_keys()
        passphrase_key = self._passphrase_key_for_rotation(new_passphrase, kdf)
        new_keys = Keys.generate()
        secret, text = new_recovery_key()
        fields = replace(
            self._fields,
            passphrase_slot=wrap_for_passphrase(new_keys, passphrase_key),
            recovery_slot=make_recovery_slot(new_keys, secret),
        )
        self._commit(fields, db_bytes, check_disk=True, keys=new_keys)
        self._keys = new_keys
        self._passphrase_key = passphrase_key
        self._retired_keys.insert(0, old_keys)
        try:
            self._reseal_backups()
        except (OSError, DiaryError) as exc:
            raise RotationIncomplete(
                "The diary now opens only with the new keys, but some older backups could not "
                f"be re-encrypted ({_reason(exc)}) and still open with the old ones, and the new "
                "recovery key could not be shown: please try again to finish."
            ) from exc
        return text

    def _passphrase_key_for_rotation(
        self, new_passphrase: str | None, kdf: KdfParams | None
    ) -> PassphraseKey:
        if new_passphrase is not None:
            return PassphraseKey.derive(new_passphrase, kdf or calibrate_kdf())
        if self._passphrase_key is None:
            raise ValidationError(
                "This diary was opened with the recovery key, so please choose a new "
                "passphrase to go with the new keys.",
                field="passphrase",
            )
        return self._passphrase_key

    def _reseal_backups(self) -> None:
        """Put every backup under the keys held now, or delete it if no retired key opens it.

        Called right after a rotation's save, so no backup is on the (fresh) current key yet.
        """
        keys = self._held_keys()
        for backup in backups.list_backups(self.path):
            data = backup.path.read_bytes()
            try:
                header = read_header(data)
            except DiaryError:
                os.unlink(backup.path)
                continue
            db_bytes = self._open_with_retired_keys(data, header)
            if db_bytes is None:
                os.unlink(backup.path)
                continue
            fields = replace(self._fields, generation=header.generation)
            backups.reseal_backup(backup, db_bytes, keys, fields)

    def _open_with_retired_keys(self, data: bytes, header: Header) -> bytes | None:
        for keys in self._retired_keys:
            try:
                return open_payload(data, header, keys)
            except DamagedFile:  # includes TamperedFile: another key, or damaged
                continue
        return None

    def _commit(
        self, fields: HeaderFields, db_bytes: bytes, check_disk: bool, keys: Keys | None = None
    ) -> None:
        """Save ``db_bytes`` as the next generation, sealed with ``keys`` (default: held)."""
        keys = keys or self._held_keys()
        if check_disk:
            self._check_unchanged_on_disk()
        new_fields = fields.next_generation()
        sealed = seal(db_bytes, keys, new_fields)

        def verify(written: bytes) -> None:
            if written != sealed or not opens_to(written, keys, db_bytes):
                raise atomic_write.read_back_mismatch()

        previous = self._fields.generation
        atomic_write.commit(
            self.path,
            sealed,
            verify=verify,
            keep_previous=lambda: backups.keep_current(self.path, previous),
        )
        self._fields = new_fields
        self._stamp = _stamp_of(os.stat(self.path))
        self._prune_backups()

    def _prune_backups(self) -> None:
        # The save is done; a backup that cannot be deleted now is deleted on a later save.
        with contextlib.suppress(OSError):
            backups.prune(self.path, dt.datetime.now(dt.UTC))

    def _check_unchanged_on_disk(self) -> None:
        """Refuse to save over a file that is not the generation we last wrote."""
        try:
            if _stamp_of(os.stat(self.path)) == self._stamp:
                return
            header = read_header(self.path.read_bytes())
        except FileNotFoundError:
            raise ChangedOnDisk(
                "The diary file was moved or deleted by another program, so your last change "
                "is NOT saved; close the diary and check the folder."
            ) from None
        except (OSError, DiaryError):
            header = None
        if (
            header is None
            or header.fields.file_id != self._fields.file_id
            or header.generation != self._fields.generation
        ):
            raise ChangedOnDisk(
                "Another program (perhaps a sync service) replaced the diary file since it was "
                "opened, so your last change is NOT saved; close and reopen the diary."
            )
        self._stamp = _stamp_of(os.stat(self.path))

    # ---- backups and closing -----------------------------------------------------------

    def read_backup(self, backup_id: str) -> bytes:
        """The database bytes of one backup, decrypted with the data key held now (or one
        rotated away from while open, for backups a failed rotation left behind)."""
        backup = backups.find_backup(self.path, backup_id)
        data = backup.path.read_bytes()
        header = read_header(data)
        try:
            return open_payload(data, header, self._held_keys())
        except DamagedFile:
            found = self._open_with_retired_keys(data, header)
            if found is None:
                raise
            return found

    def close(self) -> None:
        """Drop the keys and release the lock. Safe to call twice."""
        self._keys = None
        self._passphrase_key = None
        self._retired_keys.clear()
        self._lock.release()

    def __enter__(self) -> DiaryFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _held_keys(self) -> Keys:
        if self._keys is None:
            raise SaveFailed("The diary is locked, so this change is NOT saved.")
        return self._keys


def _read_with_stamp(path: Path) -> tuple[bytes, _DiskStamp]:
    try:
        with path.open("rb") as file:
            return file.read(), _stamp_of(os.fstat(file.fileno()))
    except FileNotFoundError:
        raise NotFound(f"There is no diary at {path}.", field="path") from None


def _stamp_of(stat: os.stat_result) -> _DiskStamp:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _reason(exc: BaseException) -> str:
    """Why a backup could not be re-encrypted, in a few plain words."""
    if isinstance(exc, OSError) and exc.errno:
        return os.strerror(exc.errno).lower()
    if isinstance(exc, SaveFailed):
        return "a copy did not read back correctly"
    return "a backup could not be read"
