from datetime import UTC, datetime

import attrs
import pytest

from itmj_domain.candidates import MAX_SKILLS, CandidateProfile
from itmj_domain.errors import InvalidInput
from tests.refusals import refused

NOW = datetime(2026, 3, 1, tzinfo=UTC)
LIMITS = {
    "external_id": 200,
    "full_name": 200,
    "email": 320,
    "phone": 50,
    "headline": 300,
    "summary": 20_000,
    "city": 100,
}


def profile(**changes) -> CandidateProfile:
    fields = {
        "external_id": "ats-1",
        "full_name": "Pat Example",
        "email": "pat@example.com",
        "phone": "+44 20 7946 0000",
        "headline": "Service desk lead",
        "summary": "Ran a service desk.",
        "skills": ("itil", "jira"),
        "city": "Leeds",
        "country_id": 826,
        "preferred_country_ids": frozenset({784}),
        "last_active_at": NOW,
    }
    return CandidateProfile(**{**fields, **changes})


@pytest.mark.parametrize(("field", "limit"), LIMITS.items())
def test_each_text_is_bounded_and_the_error_names_it(field, limit):
    at_limit = profile(**{field: "x" * limit}).as_candidate(1)
    assert getattr(at_limit, field) == "x" * limit
    with refused(InvalidInput) as raised:
        profile(**{field: "x" * (limit + 1)}).as_candidate(1)
    assert raised.value.field == field


def test_phone_and_city_may_be_missing():
    candidate = profile(phone=None, city=None).as_candidate(1)
    assert (candidate.phone, candidate.city) == (None, None)


@pytest.mark.parametrize("name", ["", "   "])
def test_a_candidate_needs_a_name(name):
    with refused(InvalidInput) as raised:
        profile(full_name=name).as_candidate(1)
    assert raised.value.field == "full_name"


@pytest.mark.parametrize(
    "skills", [("x",) * (MAX_SKILLS + 1), ("itil", "x" * 101)]
)
def test_skills_are_at_most_a_hundred_values_of_a_hundred_characters(skills):
    with refused(InvalidInput) as raised:
        profile(skills=skills).as_candidate(1)
    assert raised.value.field == "skills"


def test_a_hundred_skills_of_a_hundred_characters_are_accepted():
    skills = ("x" * 100,) * MAX_SKILLS
    assert profile(skills=skills).as_candidate(1).skills == skills


def test_a_profile_becomes_the_candidate_with_the_platform_id_and_visibility():
    source = profile()
    candidate = source.as_candidate(42, hidden=True)
    assert (candidate.id, candidate.hidden) == (42, True)
    assert not source.as_candidate(42).hidden
    assert {name: getattr(candidate, name) for name in attrs.fields_dict(CandidateProfile)} == (
        attrs.asdict(source, recurse=False)
    )

