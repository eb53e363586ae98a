"""Settings, security: auto-lock minutes stored and announced to the window; a new
passphrase opens the diary and the old one no longer does; a new recovery key replaces the
old one (shown once, with the check that it was kept); "my passphrase may be known"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from diary import bootstrap
from diary.domain.errors import WrongPassphrase, WrongRecoveryKey
from diary.storage.keys import KdfParams
from diary.ui.auto_lock import IDLE_MINUTES_KEY, idle_timeout_ms
from diary.ui.pages.settings_page import SettingsPage
from diary.ui.screens.recovery_key_screen import key_groups
from tests.ui.conftest import PASSPHRASE
from tests.ui.test_settings_support import SettingsDialogs, click

NEW_PASSPHRASE = "seven slow herons at dusk"


class Diary:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.service, self.recovery_key = bootstrap.create_diary(
            path, PASSPHRASE, KdfParams.MINIMUM
        )


@pytest.fixture
def diary(tmp_path: Path) -> Iterator[Diary]:
    diary = Diary(tmp_path / "diary.tpd")
    yield diary
    diary.service.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dialogs() -> SettingsDialogs:
    return SettingsDialogs()


@pytest.fixture
def page(qtbot, diary: Diary, dialogs: SettingsDialogs, settings: QSettings) -> SettingsPage:
    def mutate(action):
        changes = action(diary.service)
        page.on_changed(changes)
        return changes

    page = SettingsPage(mutate, dialogs, settings)
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.open_session(diary.service)
    page.show_section(page.security)
    return page


def shown_key(page: SettingsPage) -> str:
    """The recovery key as the person reads it off the screen."""
    return " ".join(key_groups(page.security.key_screen.key_label.text()))


def opens(path: Path, passphrase: str | None = None, recovery_key: str | None = None) -> bool:
    try:
        service = bootstrap.open_diary(path, passphrase=passphrase, recovery_key=recovery_key)
    except (WrongPassphrase, WrongRecoveryKey):
        return False
    service.close()
    return True


def test_auto_lock_minutes_are_stored_and_announced(qtbot, page: SettingsPage, settings: QSettings):
    section = page.security
    assert section.auto_lock.value() == 5  # the default
    with qtbot.waitSignal(page.auto_lock_changed) as signal:
        section.auto_lock.setValue(12)
    assert signal.args == [12 * 60_000]
    assert int(settings.value(IDLE_MINUTES_KEY)) == 12
    assert idle_timeout_ms(settings) == 12 * 60_000

    with qtbot.waitSignal(page.auto_lock_changed) as signal:
        section.auto_lock.setValue(0)
    assert signal.args == [None]
    assert idle_timeout_ms(settings) is None
    assert section.auto_lock.text() == "Never (0)"
    assert "stays open" in section.auto_lock_message.text()


def test_a_new_passphrase_opens_the_diary_and_the_old_one_no_longer_does(
    qtbot, page: SettingsPage, diary: Diary
):
    section = page.security
    pair = section.new_pair
    assert not section.change_button.isEnabled()
    qtbot.keyClicks(pair.first, NEW_PASSPHRASE)
    assert pair.strength.text().startswith("Strength:")
    qtbot.keyClicks(pair.second, NEW_PASSPHRASE[:-1])
    assert pair.match.text() == "The two passphrases are not the same yet."
    assert not section.change_button.isEnabled()
    qtbot.keyClicks(pair.second, NEW_PASSPHRASE[-1])
    assert pair.match.text() == "The two passphrases match."
    click(qtbot, section.change_button)

    assert "passphrase is changed" in section.change_message.text()
    assert pair.first.text() == "" and pair.second.text() == ""
    diary.service.close()
    assert opens(diary.path, passphrase=NEW_PASSPHRASE)
    assert not opens(diary.path, passphrase=PASSPHRASE)
    assert opens(diary.path, recovery_key=diary.recovery_key)  # the key stays


def test_a_new_recovery_key_is_shown_once_and_the_old_one_stops_working(
    qtbot, page: SettingsPage, diary: Diary, dialogs: SettingsDialogs
):
    section = page.security
    dialogs.answer = False
    click(qtbot, section.new_key_button)
    assert len(dialogs.questions) == 1 and "stops working" in dialogs.questions[0]
    assert not section.key_screen.isVisible()  # declined: nothing changed

    dialogs.answer = True
    click(qtbot, section.new_key_button)
    screen = section.key_screen
    assert screen.isVisible()
    new_key = shown_key(page)
    assert new_key and new_key != diary.recovery_key
    assert "old one no longer works" in section.key_message.text()
    assert not screen.continue_button.isEnabled()  # until kept and checked
    assert not section.change_button.isVisible()  # the key alone until it is kept
    screen.kept_box.setChecked(True)
    qtbot.keyClicks(screen.last_group, key_groups(new_key)[-1])
    click(qtbot, screen.continue_button)
    assert not screen.isVisible() and screen.key_label.text() == ""
    assert section.change_button.isVisible()

    diary.service.close()
    assert not opens(diary.path, recovery_key=diary.recovery_key)
    assert opens(diary.path, recovery_key=new_key)
    assert opens(diary.path, passphrase=PASSPHRASE)


def test_my_passphrase_may_be_known_changes_every_key(
    qtbot, page: SettingsPage, diary: Diary, dialogs: SettingsDialogs
):
    section = page.security
    qtbot.keyClicks(section.known_pair.first, NEW_PASSPHRASE)
    qtbot.keyClicks(section.known_pair.second, NEW_PASSPHRASE)
    click(qtbot, section.rotate_button)
    assert "stop opening the diary" in dialogs.questions[0]
    assert section.key_screen.isVisible()
    new_key = shown_key(page)

    diary.service.close()
    assert not opens(diary.path, passphrase=PASSPHRASE)
    assert not opens(diary.path, recovery_key=diary.recovery_key)
    assert opens(diary.path, passphrase=NEW_PASSPHRASE)
    assert opens(diary.path, recovery_key=new_key)
