"""Key rotation and backups from inside an open diary, through real encrypted files."""

from __future__ import annotations

from pathlib import Path

import pytest

from diary.bootstrap import open_diary
from diary.domain.errors import (
    DamagedFile,
    NotFound,
    ValidationError,
    WrongPassphrase,
    WrongRecoveryKey,
)
from diary.services.diary_service import DiaryService
from diary.storage.container import read_header, unlock_with_passphrase
from tests.services.conftest import DAY, PASSPHRASE

NEW_PASSPHRASE = "a passphrase nobody has seen"


def backup_files(service: DiaryService) -> list[Path]:
    return sorted(service.backup_folder().iterdir())


def opens_with_passphrase(path: Path, passphrase: str) -> bool:
    try:
        unlock_with_passphrase(read_header(path.read_bytes()), passphrase)
    except WrongPassphrase:
        return False
    return True


def three_saves(service: DiaryService) -> None:
    for wellbeing in (3, 5, 7):
        service.record_checkin(DAY, wellbeing=wellbeing)


def test_rotate_keys_keeping_the_passphrase_retires_the_old_recovery_key(
    diary_path: Path, opened: list[DiaryService]
) -> None:
    service = opened[0]
    three_saves(service)
    old_key = service.new_recovery_key()  # the key the user has now
    new_key = service.rotate_keys()
    assert new_key != old_key
    assert all(opens_with_passphrase(p, PASSPHRASE) for p in backup_files(service))
    service.record_checkin(DAY, note="after the rotation")  # saves keep working
    service.close()
    with pytest.raises(WrongRecoveryKey):
        open_diary(diary_path, recovery_key=old_key)
    again = open_diary(diary_path, recovery_key=new_key)
    opened.append(again)
    checkin = again.checkin(DAY)
    assert checkin is not None and checkin.note == "after the rotation"


def test_rotate_keys_with_a_new_passphrase_re_encrypts_every_backup(
    diary_path: Path, opened: list[DiaryService]
) -> None:
    service = opened[0]
    three_saves(service)
    assert len(backup_files(service)) >= 3
    service.rotate_keys(NEW_PASSPHRASE)
    files = backup_files(service)
    assert not any(opens_with_passphrase(p, PASSPHRASE) for p in files)
    assert all(opens_with_passphrase(p, NEW_PASSPHRASE) for p in files)
    assert service.integrity_problems() == []
    # Undo restores data, not keys: the old passphrase stays retired.
    assert service.undo().label.startswith("Undo check-in")
    service.close()
    with pytest.raises(WrongPassphrase):
        open_diary(diary_path, PASSPHRASE)
    again = open_diary(diary_path, NEW_PASSPHRASE)
    opened.append(again)
    checkin = again.checkin(DAY)
    assert checkin is not None and checkin.wellbeing == 5


def test_rotate_keys_refuses_an_empty_passphrase(service: DiaryService) -> None:
    generation = service.generation
    with pytest.raises(ValidationError, match="cannot be empty"):
        service.rotate_keys("   ")
    assert service.generation == generation


def test_after_a_recovery_key_unlock_rotation_needs_a_new_passphrase(
    diary_path: Path, opened: list[DiaryService]
) -> None:
    """The path of ``taper-diary recover`` and the GUI's "forgot my passphrase"."""
    first = opened[0]
    key = first.new_recovery_key()
    first.close()
    recovered = open_diary(diary_path, recovery_key=key)
    opened.append(recovered)
    with pytest.raises(ValidationError, match="choose a new passphrase"):
        recovered.rotate_keys()
    recovered.change_passphrase(NEW_PASSPHRASE)  # what recover does
    newest_key = recovered.rotate_keys()  # now the passphrase set above is held
    recovered.close()
    with pytest.raises(WrongRecoveryKey):
        open_diary(diary_path, recovery_key=key)
    opened.append(open_diary(diary_path, NEW_PASSPHRASE))
    opened[-1].close()
    opened.append(open_diary(diary_path, recovery_key=newest_key))


def test_backups_are_listed_newest_first_with_their_generation(service: DiaryService) -> None:
    three_saves(service)
    backups = service.backups()
    generations = [b.generation for b in backups]
    assert generations == sorted(generations, reverse=True)
    assert generations[0] == service.generation - 1
    assert all(b.saved_at.tzinfo is not None for b in backups)
    assert service.backup_folder() == service.path.parent / "backups"
    assert {p.name for p in backup_files(service)} == {f"diary.{b.id}.tpd" for b in backups}


def test_restore_backup_brings_back_an_earlier_day_as_a_new_undoable_generation(
    service: DiaryService, diary_path: Path, opened: list[DiaryService]
) -> None:
    three_saves(service)  # wellbeing 3, then 5, then 7
    with_five = next(b for b in service.backups() if b.generation == service.generation - 1)
    generation = service.generation
    changes = service.restore_backup(with_five.id)
    local = with_five.saved_at.astimezone()
    assert changes.label == f"restore backup from {local.day} {local:%B %Y}, {local:%H:%M}"
    assert changes.checkins and changes.doses and changes.settings
    assert service.generation == generation + 1
    assert service.checkin(DAY).wellbeing == 5  # type: ignore[union-attr]
    assert service.undo_label() == changes.label
    service.undo()
    assert service.checkin(DAY).wellbeing == 7  # type: ignore[union-attr]
    service.redo()
    service.close()
    again = open_diary(diary_path, PASSPHRASE)
    opened.append(again)
    assert again.checkin(DAY).wellbeing == 5  # type: ignore[union-attr]


def test_restore_backup_with_an_unknown_id_changes_nothing(service: DiaryService) -> None:
    three_saves(service)
    generation = service.generation
    with pytest.raises(NotFound, match="no backup called"):
        service.restore_backup("999-20200101T000000Z")
    assert service.generation == generation


def test_a_damaged_backup_is_refused_before_anything_is_written(service: DiaryService) -> None:
    three_saves(service)
    newest = service.backups()[0]
    path = service.backup_folder() / f"diary.{newest.id}.tpd"
    data = bytearray(path.read_bytes())
    data[-40] ^= 0x01  # one flipped bit in the encrypted payload
    path.write_bytes(bytes(data))
    generation = service.generation
    with pytest.raises(DamagedFile):
        service.restore_backup(newest.id)
    assert service.generation == generation
    assert service.checkin(DAY).wellbeing == 7  # type: ignore[union-attr]
    assert service.undo_label() == f"check-in for {DAY.day} {DAY:%B %Y}"


def test_a_backup_from_before_a_rotation_still_restores(service: DiaryService) -> None:
    first_save = service.generation + 1
    three_saves(service)  # generations first_save (wellbeing 3) to first_save + 2
    service.rotate_keys(NEW_PASSPHRASE)
    with_three = next(b for b in service.backups() if b.generation == first_save)
    service.restore_backup(with_three.id)
    assert service.checkin(DAY).wellbeing == 3  # type: ignore[union-attr]
