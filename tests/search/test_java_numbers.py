import math

import pytest

from itmj_domain.search.java_numbers import float32, parse_float, to_int


@pytest.mark.parametrize(
    ("text", "value"),
    [("2", 2.0), ("2.", 2.0), (".5", 0.5), ("2f", 2.0), ("3D", 3.0), ("1e1", 10.0), ("-1", -1.0),
     ("0x1p1", 2.0), ("0X1p1", 2.0), ("Infinity", math.inf), ("1e39", math.inf),
     ("16777217", 16777216.0)],
)  # fmt: skip
def test_parse_float_reads_what_java_reads(text, value):
    assert parse_float(text) == value


@pytest.mark.parametrize("text", ["", "x", "2x", "2.5.1", "1e", "\\ 2", "NaNf", "٣"])
def test_parse_float_refuses_what_java_refuses(text):
    assert parse_float(text) is None


def test_not_a_number_is_parsed():
    assert math.isnan(parse_float("NaN"))


@pytest.mark.parametrize(
    ("value", "integer"),
    [(2.9, 2), (-2.9, -2), (math.nan, 0), (1e10, 2**31 - 1), (-1e10, -(2**31))],
)
def test_to_int_truncates_and_saturates_like_a_java_cast(value, integer):
    assert to_int(value) == integer


def test_float32_rounds_to_single_precision():
    assert float32(0.1) != 0.1
    assert float32(2.0**31 - 1) == 2.0**31
    largest = (2 - 2.0**-23) * 2.0**127
    below_halfway = math.nextafter(2.0**128 - 2.0**103, 0)
    for sign in (1, -1):
        assert float32(sign * below_halfway) == sign * largest
        assert float32(sign * (2.0**128 - 2.0**103)) == sign * math.inf
        assert float32(sign * 1e300) == sign * math.inf
    assert math.isnan(float32(math.nan))
