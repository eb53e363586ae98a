"""Errors in words, the passphrase hint, theme and window placement."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette

from diary.domain.errors import (
    DamagedFile,
    DiaryOpenElsewhere,
    DiskFull,
    TamperedFile,
    ValidationError,
)
from diary.ui.app import install_excepthook
from diary.ui.errors import BACKUPS_EXIST, OPEN_ELSEWHERE, ErrorPresenter
from diary.ui.passphrase_strength import Strength, passphrase_strength
from diary.ui.theme import DARK, LIGHT, palette_for, text_scale_from_env
from tests.ui.conftest import PASSPHRASE, RecordingDialogs
from tests.ui.test_session import NEW_DAY, unlocked_window


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (DiaryOpenElsewhere("Locked by another process."), OPEN_ELSEWHERE),
        (
            ValidationError("Wellbeing is a number from 0 to 10."),
            "Wellbeing is a number from 0 to 10.",
        ),
    ],
)
def test_expected_errors_are_shown_in_their_own_words(error, expected):
    assert ErrorPresenter(RecordingDialogs()).message_for(error) == expected


@pytest.mark.parametrize(
    "error", [DamagedFile("The diary file is damaged."), TamperedFile("Changed.")]
)
def test_damaged_and_tampered_files_mention_the_backups(error):
    message = ErrorPresenter(RecordingDialogs()).message_for(error)
    assert message.startswith(error.message)
    assert message.endswith(BACKUPS_EXIST)


def test_a_failed_save_says_not_saved():
    dialogs = RecordingDialogs()
    ErrorPresenter(dialogs).show(
        None, DiskFull("The disk is full, so the last change is not saved.")
    )
    assert dialogs.errors[0][0] == "Not saved"


def test_an_unexpected_error_gets_an_apology_and_the_log_place_not_a_traceback(tmp_path):
    log = tmp_path / "taper-diary.log"
    dialogs = RecordingDialogs()
    try:
        raise KeyError("internal_column_name")
    except KeyError as error:
        ErrorPresenter(dialogs, log).show(None, error)
    title, message = dialogs.errors[0]
    assert str(log) in message
    assert "KeyError" not in message and "internal_column_name" not in message
    assert "Traceback" not in message


def test_an_exception_escaping_a_slot_reaches_the_user_as_an_apology(
    qtbot, make_window, diary_path, dialogs, monkeypatch
):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    window = make_window(diary_path)
    install_excepthook(window, window.presenter)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert dialogs.errors and dialogs.errors[0][0] == "Something went wrong"
    assert "boom" not in dialogs.errors[0][1]


@pytest.mark.parametrize(
    ("passphrase", "strength"),
    [
        ("", Strength.WEAK),
        ("password", Strength.WEAK),
        ("Password1", Strength.WEAK),
        ("a" * 40, Strength.WEAK),
        ("zebra lantern", Strength.FAIR),
        ("quiet harbour morning tea", Strength.STRONG),
        ("Tr0ub4dor&3-x!", Strength.STRONG),
    ],
)
def test_strength_hint_words(passphrase, strength):
    assert passphrase_strength(passphrase) is strength


@pytest.mark.parametrize(
    ("raw", "scale"), [("", 1.0), ("2", 2.0), ("200%", 2.0), ("150", 1.5), ("x", 1.0), ("9", 3.0)]
)
def test_text_scale_setting(monkeypatch, raw, scale):
    monkeypatch.setenv("TAPER_DIARY_TEXT_SCALE", raw)
    assert text_scale_from_env() == scale


def test_dark_palette_avoids_white_on_black_and_marks_focus():
    palette = palette_for(DARK)
    text = palette.color(QPalette.ColorRole.Text)
    window = palette.color(QPalette.ColorRole.Window)
    assert text != QColor(Qt.GlobalColor.white)
    assert window != QColor(Qt.GlobalColor.black)
    contrast_gap = text.lightness() - window.lightness()
    assert 120 < contrast_gap < 230  # readable, not glaring


def test_window_geometry_and_page_are_remembered_and_settings_hold_no_diary_content(
    qtbot, make_window, sample_diary, window_settings: QSettings, tmp_path: Path
):
    window = unlocked_window(qtbot, make_window, sample_diary)
    window.mutate(lambda s: s.record_checkin(NEW_DAY, note="canary-7f3a"))
    window.resize(640, 470)
    window.close()

    settings_text = (tmp_path / "window.ini").read_bytes()
    assert b"canary" not in settings_text and b"2024-05" not in settings_text
    assert PASSPHRASE.encode() not in settings_text
    assert sorted(window_settings.allKeys()) == ["window/geometry", "window/page"]
    assert window_settings.value("window/page") == "today"

    again = make_window(sample_diary.path)
    assert (again.width(), again.height()) == (640, 470)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("colours", [DARK, LIGHT], ids=["dark", "light"])
def test_both_themes_are_readable_and_show_where_controls_and_focus_are(colours):
    backgrounds = (colours.window, colours.base, colours.alternate, colours.raised)
    for background in backgrounds:
        for text in (colours.text, colours.muted_text, colours.problem, colours.fine):
            assert contrast(text, background) >= 4.5  # WCAG AA for body text
        assert contrast(colours.accent, background) >= 4.5  # links, flat buttons, focus ring
        assert contrast(colours.field_border, background) >= 3  # WCAG 1.4.11
    assert contrast(colours.selection_text, colours.selection) >= 4.5
    assert contrast(colours.accent, colours.selection) >= 3  # focus ring on a selected row
