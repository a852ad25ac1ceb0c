import pytest

from itmj_domain.countries import Country, name_order
from itmj_domain.errors import InvalidInput
from tests.refusals import refused


@pytest.mark.parametrize("country_id", [0, -1, 1000])
def test_a_country_id_is_an_iso_3166_numeric_code(country_id):
    with refused(InvalidInput) as raised:
        Country(country_id, "Atlantis")
    assert raised.value.field == "id"


def test_the_first_and_last_numeric_codes_are_accepted():
    assert [Country(1, "One").id, Country(999, "Nine nine nine").id] == [1, 999]


@pytest.mark.parametrize("name", ["", " \t"])
def test_a_country_needs_a_name(name):
    with refused(InvalidInput) as raised:
        Country(826, name)
    assert raised.value.field == "name"


def test_countries_are_listed_by_name_accents_and_case_aside():
    countries = [
        Country(8, "Albania"),
        Country(248, "Åland Islands"),
        Country(4, "Afghanistan"),
        Country(44, "bahamas"),
        Country(48, "Bahrain"),
        Country(384, "Côte d'Ivoire"),
        Country(120, "Cameroon"),
    ]
    assert [c.name for c in sorted(countries, key=name_order)] == [
        "Afghanistan", "Åland Islands", "Albania", "bahamas", "Bahrain", "Cameroon",
        "Côte d'Ivoire",
    ]  # fmt: skip


def test_countries_named_alike_are_listed_by_id():
    same = [Country(20, "Georgia"), Country(10, "GEORGIA")]
    assert [c.id for c in sorted(same, key=name_order)] == [10, 20]
