"""Renumbering carries sets and frequencies over to the matches' own numbering: match ``i`` (in
ascending id order) becomes member ``i``."""

import pytest

from itmj_adapters.search import bitsets
from itmj_adapters.search.postings import Frequencies
from itmj_adapters.search.renumbering import Renumbering


@pytest.mark.parametrize(
    "holders",
    [
        # Few holders of many frequencies: each holder's frequency is read.
        {7: 2, 30_001: 3, 90_000: 300},
        # Many holders of few frequencies: each frequency's set is carried over, also those
        # of frequencies a byte cannot hold.
        {candidate: 2 + candidate % 3 for candidate in range(5, 600_000, 97)}
        | {199: 300, 393: 260},
    ],
)
def test_frequencies_are_carried_over_to_the_new_numbers(holders):
    matches = bitsets.from_ids([*range(3, 600_000, 97), *range(5, 600_000, 97), 7, 30_001, 90_000])
    members = bitsets.from_ids([candidate for candidate in holders if candidate % 2] + [3])
    renumbering = Renumbering(matches)
    position = {candidate: number for number, candidate in enumerate(renumbering.ids)}

    carried = renumbering.frequencies(Frequencies.of(holders), members)

    expected = {
        position[candidate]: frequency
        for candidate, frequency in holders.items()
        if bitsets.contains(members, candidate)
    }
    assert carried.by_holder == expected
    assert carried.by_frequency == Frequencies.of(expected).by_frequency
    assert carried.holders == bitsets.from_ids(list(expected))


def test_norm_bytes_and_their_classes_are_carried_over_to_the_new_numbers():
    matches = bitsets.from_ids(list(range(3, 600_000, 97)))
    norms = bytearray(600_000)
    for candidate in range(0, 600_000, 7):
        norms[candidate] = candidate // 7 % 256
    renumbering = Renumbering(matches)

    renumbered, classes = renumbering.norms(norms)

    assert list(renumbered) == [norms[candidate] for candidate in renumbering.ids]
    expected: dict[int, list[int]] = {}
    for position, candidate in enumerate(renumbering.ids):
        if norms[candidate]:
            expected.setdefault(norms[candidate], []).append(position)
    assert len(expected) > 100
    assert classes == {norm: bitsets.from_ids(positions) for norm, positions in expected.items()}


def test_marks_read_only_the_matches_bits_of_any_set():
    renumbering = Renumbering(bitsets.from_ids([3, 9, 10, 11, 700]))
    # 2 and 12 share bytes with matches; 5000 lies past them all.
    members = bitsets.from_ids([2, 9, 11, 12, 700, 5000])

    assert renumbering.marks(members) == bytes([0, 1, 0, 1, 1])
