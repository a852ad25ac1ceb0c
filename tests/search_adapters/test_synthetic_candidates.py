import re
from datetime import datetime, timedelta

import pytest

from itmj_adapters.synthetic_candidates import generate
from itmj_domain.search import SearchDocument, matches, parse_query

ISO_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def test_the_same_seed_gives_the_same_records_and_another_seed_others():
    assert list(generate(50, seed=7)) == list(generate(50, seed=7))
    assert list(generate(50, seed=7)) != list(generate(50, seed=8))


def test_records_have_the_import_shape():
    records = list(generate(300, seed=1))

    assert len(records) == 300
    assert len({record["externalId"] for record in records}) == 300
    for record in records:
        assert set(record) == {
            "externalId", "fullName", "email", "phone", "headline", "summary", "skills",
            "city", "countryId", "preferredCountryIds", "lastActiveAt",
        }  # fmt: skip
        assert record["email"].endswith("@example.com")
        assert record["phone"].startswith("+")
        assert 4 <= len(record["skills"]) <= 11
        assert 1 <= record["countryId"] <= 999
        assert all(1 <= country <= 999 for country in record["preferredCountryIds"])
        assert ISO_INSTANT.fullmatch(record["lastActiveAt"])


def test_activity_spreads_over_two_years_before_an_epoch_the_seed_picks():
    instants = [
        datetime.fromisoformat(record["lastActiveAt"].replace("Z", "+00:00"))
        for record in generate(2000, seed=3)
    ]

    assert max(instants) - min(instants) > timedelta(days=600)
    assert max(instants) - min(instants) <= timedelta(days=731)


def test_the_spec_examples_find_candidates_in_the_data():
    documents = [
        SearchDocument(
            headline=record["headline"],
            summary=record["summary"],
            skills=record["skills"],
            city=record["city"],
        )
        for record in generate(3000, seed=1)
    ]

    for text in (
        '"Process Engineer" AND "HVAC"',
        '(("High" OR "Low") AND "voltage") AND "Engineers" AND "Dubai"',
        "kubernetes AND (aws OR gcp) AND NOT junior",
    ):
        query = parse_query(text)
        found = sum(matches(query, document) for document in documents)
        assert 0 < found < len(documents) // 4, text


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="not negative"):
        list(generate(-1, seed=1))
