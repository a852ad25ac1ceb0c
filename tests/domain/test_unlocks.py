from datetime import UTC, datetime, timedelta

import pytest

from itmj_domain.unlocks import Unlock, mask_name

NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Pat Example", "P*** E***"),
        ("Process Engineer", "P*** E***"),
        ("  Zoë   van der Berg ", "Z*** v*** d*** B***"),
        ("Madonna", "M***"),
        ("Łukasz Żółć", "Ł*** Ż***"),
        ("", ""),
    ],
)
def test_masking_keeps_one_letter_of_each_part(name, masked):
    assert mask_name(name) == masked


def test_an_unlock_lasts_thirty_days():
    unlock = Unlock(1, 2, NOW)
    assert unlock.until == NOW + timedelta(days=30)
    assert unlock.is_active(NOW)
    assert unlock.is_active(NOW + timedelta(days=30) - timedelta(microseconds=1))
    assert not unlock.is_active(NOW + timedelta(days=30))
    assert not unlock.is_active(NOW - timedelta(seconds=1))
