"""SPEC §10's search example on the demo (``itmj serve --demo``, ``scripts/serve-demo``): the
README's body, run through the API with the demo's key, finds masked rows, whenever the demo
is seeded, because the demo's candidates are dated back from the services' clock."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from falcon.testing import TestClient

from itmj_cli import demo
from itmj_http.app import create_app
from tests.docs.markdown import blocks

ROOT = Path(__file__).resolve().parents[2]
MASKED_NAME = re.compile(r"^\S\*\*\*( \S\*\*\*)*$")


def _readme_example() -> dict:
    """The body of the README's search example (a heredoc in its ``curl``)."""
    [block] = [b for b in blocks((ROOT / "README.md").read_text()) if "candidates/search" in b.text]
    body = block.text.split("<<'JSON'\n", 1)[1].split("\nJSON", 1)[0]
    return json.loads(body)


def _search(services, key: str, body: dict) -> dict:
    response = TestClient(create_app(services)).simulate_post(
        "/api/v1/candidates/search", json=body, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200, response.text
    return response.json


def test_the_readme_example_is_spec_10s_with_a_country_the_demo_holds():
    example = _readme_example()
    assert example == demo.SEARCH_EXAMPLE
    assert example["query"] == '"Process Engineer" AND "HVAC"'
    assert example["activeWithinDays"] == 90
    guide = (ROOT / "docs" / "partner-guide.md").read_text()
    [guide_example] = [b for b in blocks(guide) if b.tag == "CandidateSearch"]
    assert json.loads(guide_example.text) == example


def test_the_example_country_is_listed_by_the_countries_endpoint(services):
    seeded = demo.seed(services)
    response = TestClient(create_app(services)).simulate_get(
        "/api/v1/countries", headers={"Authorization": f"Bearer {seeded.keys['cvSearch']}"}
    )
    assert response.status_code == 200, response.text
    names = {country["id"]: country["name"] for country in response.json}
    assert names[demo.EXAMPLE_COUNTRY_ID] == "United Arab Emirates"


@pytest.mark.parametrize("years_later", [0, 3], ids=["today", "three-years-later"])
def test_the_readme_example_finds_masked_rows_on_the_demo(services, clock, years_later):
    clock.advance(timedelta(days=365 * years_later))
    seeded = demo.seed(services)

    page = _search(services, seeded.keys["cvSearch"], _readme_example())

    assert page["total"] >= len(demo.SHOWCASE)
    assert page["items"]
    for item in page["items"]:
        assert MASKED_NAME.match(item["fullName"]), item["fullName"]
        assert "email" not in item and "phone" not in item
    assert "P*** E***" in {item["fullName"] for item in page["items"]}
    assert "Priya" not in json.dumps(page) and "@" not in json.dumps(page)


def test_the_synthetic_candidates_are_dated_back_from_the_clock(services, clock):
    clock.advance(timedelta(days=365 * 3))
    seeded = demo.seed(services)

    recent = _search(services, seeded.keys["cvSearch"],
                     {"query": "Engineer OR Developer OR Manager", "activeWithinDays": 30,
                      "pageSize": 100})

    # Besides the handful written for the example, many of the few hundred generated ones.
    assert recent["total"] > len(demo.SHOWCASE) + 20
