from datetime import UTC, datetime

import pytest

from itmj_domain.accounts import Employer, Role, User, same_email
from itmj_domain.errors import InvalidInput
from tests.refusals import refused

NOW = datetime(2026, 3, 1, tzinfo=UTC)
DOMAIN = "@acme.example"


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_an_employer_name_is_not_blank_and_at_most_200_characters(name):
    with refused(InvalidInput) as raised:
        Employer(1, name, False, NOW)
    assert raised.value.field == "name"


def test_an_employer_name_of_200_characters_is_accepted():
    assert Employer(1, "x" * 200, True, NOW).name == "x" * 200


@pytest.mark.parametrize(
    "email",
    [
        "",
        "  ",
        "pat",
        "pat@",
        "@acme.example",
        "pat@localhost",
        "pat@home@acme.example",
        "pat smith@acme.example",
        "pat@acme.example\n",
        "p" * (321 - len(DOMAIN)) + DOMAIN,
    ],
)
def test_a_user_needs_an_email_address_of_at_most_320_characters(email):
    with refused(InvalidInput) as raised:
        User(1, 1, email, Role.RECRUITER, NOW)
    assert raised.value.field == "email"


def test_an_email_address_of_320_characters_is_accepted():
    email = "p" * (320 - len(DOMAIN)) + DOMAIN
    assert User(1, 1, email, Role.RECRUITER, NOW).email == email


def test_only_an_employer_admin_is_an_admin():
    assert User(1, 1, "pat@acme.example", Role.EMPLOYER_ADMIN, NOW).is_admin
    assert not User(1, 1, "pat@acme.example", Role.RECRUITER, NOW).is_admin


def test_two_spellings_of_an_address_share_its_lower_case_form():
    assert same_email(" Ada@Acme.Example ") == "ada@acme.example" == same_email("ada@acme.example")
    assert same_email("STRAßE@acme.example") == "straße@acme.example"
    assert same_email("STRASSE@acme.example") != same_email("straße@acme.example")
