"""Passphrase key settings and the recovery key a person copies by hand."""

from __future__ import annotations

import random
import re

import pytest

from diary.domain.errors import DamagedFile, RecoveryKeyTypo, ValidationError
from diary.storage.keys import KdfParams, calibrate_kdf, passphrase_bytes
from diary.storage.recovery_key import (
    ALPHABET,
    format_recovery_key,
    new_recovery_key,
    parse_recovery_key,
)


def test_minimum_is_rfc_9106_second_recommendation() -> None:
    assert KdfParams(memory_kib=65536, iterations=3, lanes=4) == KdfParams.MINIMUM


def test_calibration_never_goes_below_the_minimum() -> None:
    assert calibrate_kdf(target_seconds=0.001) == KdfParams.MINIMUM


def test_calibration_grows_memory_on_a_generous_target() -> None:
    params = calibrate_kdf(target_seconds=0.5)
    assert params.memory_kib >= KdfParams.MINIMUM.memory_kib
    assert params.memory_kib <= 1024 * 1024
    assert params.memory_kib % KdfParams.MINIMUM.memory_kib == 0


@pytest.mark.parametrize(
    "params",
    [
        KdfParams(4 * 1024 * 1024 + 1, 3, 4),
        KdfParams(65536, 65, 4),
        KdfParams(65536, 3, 65),
        KdfParams(65536, 0, 4),
        KdfParams(16, 3, 4),
    ],
)
def test_absurd_settings_read_as_damage(params: KdfParams) -> None:
    with pytest.raises(DamagedFile):
        params.check_sane()


def test_whitespace_only_passphrase_is_refused() -> None:
    with pytest.raises(ValidationError, match="cannot be empty"):
        passphrase_bytes(" \u00a0\t")


def test_recovery_key_is_eight_groups_of_four_and_round_trips() -> None:
    secret, text = new_recovery_key()
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}", text)
    assert parse_recovery_key(text) == secret
    assert len(secret) == 16


def test_recovery_key_forgives_case_spaces_and_lookalike_letters() -> None:
    secret, text = new_recovery_key()
    sloppy = " " + text.lower().replace("-", "  ").replace("1", "l").replace("0", "O") + "\n"
    assert parse_recovery_key(sloppy) == secret


def test_every_single_character_typo_is_caught_by_the_checksum() -> None:
    rng = random.Random(7)
    caught = 0
    for _ in range(300):
        secret, text = new_recovery_key()
        chars = list(text.replace("-", ""))
        at = rng.randrange(len(chars))
        chars[at] = rng.choice([c for c in ALPHABET if c != chars[at]])
        with pytest.raises(RecoveryKeyTypo, match="mistyped"):
            parse_recovery_key("".join(chars))
        caught += 1
    assert caught == 300


def test_swapped_neighbours_are_caught_too() -> None:
    secret = bytes(range(16))
    chars = list(format_recovery_key(secret).replace("-", ""))
    at = next(i for i in range(len(chars) - 1) if chars[i] != chars[i + 1])
    chars[at], chars[at + 1] = chars[at + 1], chars[at]
    with pytest.raises(RecoveryKeyTypo):
        parse_recovery_key("".join(chars))


@pytest.mark.parametrize("text", ["", "ABCD-EFGH", "U" * 32, "!" * 32, "A" * 33])
def test_malformed_recovery_keys_are_typos_not_wrong_keys(text: str) -> None:
    with pytest.raises(RecoveryKeyTypo):
        parse_recovery_key(text)
