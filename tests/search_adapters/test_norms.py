from itmj_adapters.search.norms import DECODED_LENGTH, length_norm


def test_short_fields_keep_their_exact_length():
    assert [DECODED_LENGTH[length_norm(length)] for length in range(24)] == list(range(24))


def test_longer_fields_keep_four_significant_bits_as_lucene_does():
    # SmallFloat.intToByte4 / byte4ToInt
    assert (length_norm(100), DECODED_LENGTH[length_norm(100)]) == (57, 96)
    assert (length_norm(1000), DECODED_LENGTH[length_norm(1000)]) == (87, 984)
    assert length_norm(2**31 - 1) == 255


def test_norms_never_reorder_lengths():
    decoded = [DECODED_LENGTH[length_norm(length)] for length in range(5000)]

    assert decoded == sorted(decoded)
