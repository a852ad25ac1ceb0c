"""The CV Search API (SPEC §6) and the country list over HTTP, on every backend."""

import json
from datetime import timedelta

import attrs
import pytest
from falcon.testing import TestClient

from itmj_adapters.composition import Services
from itmj_adapters.memory.countries import MemoryCountryDirectory
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_http.app import create_app
from itmj_http.candidate_json import PROFILE_FIELDS, SEARCH_ITEM_FIELDS
from tests.elasticsearch.test_expensive_queries import refusing
from tests.http.support import Partner, new_partner
from tests.search_adapters.test_work_budget import BACKWARDS, LONG_SUMMARY
from tests.use_cases.test_cv_search import (
    BAHAMAS,
    EXPECTED,
    SPEC_EXAMPLES,
    load,
    load_people,
    profile,
)

SEARCH = "/api/v1/candidates/search"
COUNTRIES = "/api/v1/countries"
SPEC_BODY = {"query": '"Process Engineer" AND "HVAC"', "preferredCountryIds": [44],
             "activeWithinDays": 90, "pageNumber": 1, "pageSize": 20}
CV_SEARCH = frozenset({Scope.CV_SEARCH})


def cv_partner(services: Services, searches: int = 0, downloads: int = 0) -> Partner:
    partner = new_partner(services, scopes=CV_SEARCH)
    for kind, amount in ((CreditKind.CV_SEARCH, searches), (CreditKind.CV_DOWNLOAD, downloads)):
        if amount:
            services.credits.grant(partner.employer_id, kind, amount)
    return partner


def client_of(client: TestClient, partner: Partner) -> TestClient:
    return TestClient(client.app, headers=partner.bearer)


def ledger(services: Services, partner: Partner) -> list[tuple[str, int, str | None]]:
    return [(e.kind.value, e.amount, e.reference)
            for e in services.credits.entries(partner.employer_id)]


def test_the_spec_example_body_finds_the_candidate_in_the_documented_shape(services, client):
    wanted = profile("spec", "Process Engineer", ["HVAC"], full_name="Pat Example",
                     preferred_country_ids=frozenset({BAHAMAS}))
    [candidate_id] = load(services, [wanted, profile("other", "Process Engineer", ["HVAC"])])[:1]
    api = client_of(client, cv_partner(services, searches=1))
    result = api.simulate_post(SEARCH, json=SPEC_BODY)
    assert result.status_code == 200, result.text
    assert result.json == {
        "total": 1, "pageNumber": 1, "pageSize": 20,
        "items": [{
            "id": candidate_id, "fullName": "P*** E***", "headline": "Process Engineer",
            "skills": ["HVAC"], "city": "London", "countryId": 826,
            "lastActiveAt": "2025-12-29T00:00:00Z", "isUnlocked": False,
        }],
    }


@pytest.mark.parametrize("query", SPEC_EXAMPLES)
def test_the_spec_example_queries_over_http(services, client, query):
    people = load_people(services)
    api = client_of(client, cv_partner(services, searches=1))
    result = api.simulate_post(SEARCH, json={"query": query})
    assert result.status_code == 200, result.text
    assert {item["id"] for item in result.json["items"]} == {
        people[name] for name in EXPECTED[query]
    }
    assert result.json["total"] == len(EXPECTED[query])


def test_search_rows_never_carry_contact_details(services, client):
    secret = profile("secret", "Kubernetes engineer", ["Kubernetes"], full_name="Zed Quux",
                     email="zed.quux@private.example", phone="+44 7700 900123",
                     summary="Reach me on Signal, handle zedquux-unique")
    load(services, [secret])
    api = client_of(client, cv_partner(services, searches=1))
    result = api.simulate_post(SEARCH, json={"query": "kubernetes"})
    assert result.status_code == 200
    [item] = result.json["items"]
    assert tuple(item) == SEARCH_ITEM_FIELDS
    raw = result.text
    for leaked in ("zed.quux", "private.example", "7700", "900123", "zedquux", "Zed", "Quux",
                   "email", "phone", "summary"):
        assert leaked not in raw
    assert item["fullName"] == "Z*** Q***"


def test_each_search_costs_one_credit_and_then_402_costs_nothing(services, client):
    load_people(services)
    partner = cv_partner(services, searches=1)
    api = client_of(client, partner)
    assert api.simulate_post(SEARCH, json={"query": SPEC_EXAMPLES[2]}).status_code == 200
    spent = ledger(services, partner)
    assert [(kind, amount) for kind, amount, _ in spent] == [("CvSearch", 1), ("CvSearch", -1)]
    assert spent[1][2].startswith("search:")
    refused = api.simulate_post(SEARCH, json={"query": SPEC_EXAMPLES[2]})
    assert refused.status_code == 402
    assert refused.json["code"] == "no_credits"
    assert ledger(services, partner) == spent


def test_a_malformed_query_is_400_invalid_query_with_its_position_and_costs_nothing(
    services, client
):
    partner = cv_partner(services, searches=1)
    api = client_of(client, partner)
    result = api.simulate_post(SEARCH, json={"query": "kubernetes AND (aws OR gcp"})
    assert result.status_code == 400
    assert result.json["code"] == "invalid_query"
    assert "position 26" in result.json["message"]
    unknown_field = api.simulate_post(SEARCH, json={"query": "salary_band:high"})
    assert unknown_field.json["code"] == "invalid_query"
    assert "salary_band" in unknown_field.json["message"]
    assert ledger(services, partner) == [("CvSearch", 1, None)]


def test_a_query_too_expensive_is_400_invalid_query_and_costs_nothing(services, client):
    load(services, [profile(f"long-{n}", "Engineer", summary=LONG_SUMMARY[:20_000])
                    for n in range(40)])
    partner = cv_partner(services, searches=1)
    result = client_of(client, partner).simulate_post(SEARCH, json={"query": BACKWARDS})
    assert result.status_code == 400
    assert result.json["code"] == "invalid_query"
    assert result.json["message"].startswith("query too expensive: ")
    assert ledger(services, partner) == [("CvSearch", 1, None)]


@pytest.mark.parametrize("status", [400, 500])
def test_a_query_the_search_cluster_finds_too_costly_is_400_and_costs_nothing(services, status):
    name = {400: "too_many_nested_clauses_since_8_16", 500: "too_many_nested_clauses_before_8_16"}
    index, case = refusing(name[status])
    searching_the_cluster = attrs.evolve(services.cv_search, index=index)
    app = create_app(attrs.evolve(services, cv_search=searching_the_cluster))
    partner = cv_partner(services, searches=1)
    result = TestClient(app, headers=partner.bearer).simulate_post(
        SEARCH, json={"query": case["query"]})
    assert result.status_code == 400
    assert result.json["code"] == "invalid_query"
    assert result.json["message"].startswith("query too expensive: ")
    assert ledger(services, partner) == [("CvSearch", 1, None)]


@pytest.mark.parametrize(("body", "message"), [
    ({}, "query: required field missing"),
    ({"query": 42}, "query: expected a string"),
    ({"query": "x", "pageSize": 101}, "pageSize: expected an integer between 1 and 100"),
    ({"query": "x", "pageSize": 0}, "pageSize: expected an integer between 1 and 100"),
    ({"query": "x", "pageNumber": 0}, "pageNumber: expected an integer of 1 or more"),
    ({"query": "x", "pageNumber": "2"}, "pageNumber: expected an integer"),
    ({"query": "x", "pageNumber": 101, "pageSize": 100}, "pageNumber times pageSize"),
    ({"query": "x", "preferredCountryIds": 44}, "preferredCountryIds: expected a list"),
    ({"query": "x", "preferredCountryIds": [44, "826"]},
     "preferredCountryIds: item 2: expected an integer"),
    ({"query": "x", "preferredCountryIds": [44, 1000]},
     "preferredCountryIds: 1000 is not an ISO 3166-1 numeric code (1 to 999)"),
    ({"query": "x", "preferredCountryIds": [0]}, "preferredCountryIds: 0 is not an ISO 3166-1"),
    ({"query": "x", "activeWithinDays": True}, "activeWithinDays: expected an integer"),
    ({"query": "x", "activeWithinDays": 0}, "activeWithinDays must be between 1 and"),
    ({"query": "x", "sort": "newest"}, "sort: unknown field"),
])
def test_a_bad_body_is_400_naming_the_field_and_costs_nothing(services, client, body, message):
    partner = cv_partner(services, searches=1)
    result = client_of(client, partner).simulate_post(SEARCH, json=body)
    assert result.status_code == 400
    assert result.json["code"] == "invalid_request"
    assert message in result.json["message"]
    assert ledger(services, partner) == [("CvSearch", 1, None)]


def test_a_body_that_is_not_json_or_too_large_costs_nothing(services, client):
    partner = cv_partner(services, searches=1)
    api = client_of(client, partner)
    missing = api.simulate_post(SEARCH)
    wrong_type = api.simulate_post(SEARCH, body='{"query": "x"}',
                                   headers={"Content-Type": "text/plain"})
    huge = api.simulate_post(SEARCH, json={"query": "x" * (1024 * 1024)})
    assert [r.status_code for r in (missing, wrong_type, huge)] == [400, 415, 413]
    assert all(r.json["code"] == "invalid_request" for r in (missing, wrong_type, huge))
    assert ledger(services, partner) == [("CvSearch", 1, None)]


def test_the_cv_search_scope_is_required(services, client):
    [candidate_id] = load(services, [profile("scoped", "Kubernetes")])
    job_key = client_of(client, new_partner(services, credits=5))
    assert job_key.simulate_post(SEARCH, json={"query": "x"}).status_code == 403
    assert job_key.simulate_get(f"/api/v1/candidates/{candidate_id}").status_code == 403
    anonymous = client.simulate_post(SEARCH, json={"query": "x"})
    assert (anonymous.status_code, anonymous.text) == (401, "")


def test_the_first_profile_view_pays_later_ones_in_the_window_are_free(services, client, clock):
    [candidate_id] = load(services, [profile(
        "full", "Kubernetes engineer", ["Kubernetes"], full_name="Pat Example",
        email="pat@example.com", phone="+44 1", summary="Ten years of platforms.",
        preferred_country_ids=frozenset({826, 44}),
    )])
    partner = cv_partner(services, searches=3, downloads=2)
    api = client_of(client, partner)
    path = f"/api/v1/candidates/{candidate_id}"

    def unlocked_in_search() -> bool:
        [row] = api.simulate_post(SEARCH, json={"query": "kubernetes"}).json["items"]
        return row["isUnlocked"]

    assert not unlocked_in_search()
    first = api.simulate_get(path)
    assert first.status_code == 200, first.text
    assert first.json == {
        "id": candidate_id, "fullName": "Pat Example", "email": "pat@example.com",
        "phone": "+44 1", "headline": "Kubernetes engineer",
        "summary": "Ten years of platforms.", "skills": ["Kubernetes"], "city": "London",
        "countryId": 826, "preferredCountryIds": [44, 826],
        "lastActiveAt": "2025-12-29T00:00:00Z", "unlockedUntil": "2026-01-31T00:00:00Z",
    }
    assert tuple(first.json) == PROFILE_FIELDS
    assert api.simulate_get(path).json == first.json
    assert unlocked_in_search()
    downloads = [entry for entry in ledger(services, partner) if entry[0] == "CvDownload"]
    assert downloads == [("CvDownload", 2, None), ("CvDownload", -1, f"candidate:{candidate_id}")]

    clock.advance(timedelta(days=30))
    assert not unlocked_in_search()
    again = api.simulate_get(path)
    assert again.json["unlockedUntil"] == "2026-03-02T00:00:00Z"
    assert [e for e in ledger(services, partner) if e[0] == "CvDownload"][1:] == [
        ("CvDownload", -1, f"candidate:{candidate_id}")
    ] * 2


def test_a_view_without_download_credit_is_402_and_unlocks_nothing(services, client):
    [candidate_id] = load(services, [profile("locked", "Kubernetes engineer")])
    partner = cv_partner(services, searches=1)
    api = client_of(client, partner)
    refused = api.simulate_get(f"/api/v1/candidates/{candidate_id}")
    assert (refused.status_code, refused.json["code"]) == (402, "no_credits")
    [row] = api.simulate_post(SEARCH, json={"query": "kubernetes"}).json["items"]
    assert row["isUnlocked"] is False
    assert [kind for kind, _, _ in ledger(services, partner)] == ["CvSearch", "CvSearch"]


def test_two_employers_unlock_separately(services, client):
    [candidate_id] = load(services, [profile("shared", "Kubernetes engineer")])
    path = f"/api/v1/candidates/{candidate_id}"
    first, second = cv_partner(services, downloads=1), cv_partner(services, downloads=1)
    assert client_of(client, first).simulate_get(path).status_code == 200
    assert client_of(client, second).simulate_get(path).status_code == 200
    for partner in (first, second):
        assert ledger(services, partner)[-1] == ("CvDownload", -1, f"candidate:{candidate_id}")
    assert client_of(client, second).simulate_get(path).status_code == 200
    assert len(ledger(services, second)) == 2


def test_a_hidden_candidate_is_404_like_a_missing_one(services, client):
    [hidden, shown] = load(services, [profile("h1", "Kubernetes"), profile("h2", "Kubernetes")])
    services.candidates.set_hidden(hidden, True)
    partner = cv_partner(services, searches=1, downloads=1)
    api = client_of(client, partner)
    same = {"X-Request-Id": "same"}
    gone = api.simulate_get(f"/api/v1/candidates/{hidden}", headers=same)
    missing = api.simulate_get(f"/api/v1/candidates/{shown + 1000}", headers=same)
    assert gone.status_code == missing.status_code == 404
    assert gone.json["code"] == missing.json["code"] == "not_found"
    assert gone.text.replace(str(hidden), "ID") == missing.text.replace(str(shown + 1000), "ID")
    assert [item["id"] for item in
            api.simulate_post(SEARCH, json={"query": "kubernetes"}).json["items"]] == [shown]
    assert [kind for kind, _, _ in ledger(services, partner)][2:] == ["CvSearch"]


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "1.5", "99999999999999999999"])
def test_a_malformed_candidate_id_is_400(services, client, raw):
    api = client_of(client, cv_partner(services, downloads=1))
    result = api.simulate_get(f"/api/v1/candidates/{raw}")
    assert (result.status_code, result.json["code"]) == (400, "invalid_request")
    assert "candidateId" in result.json["message"]


def test_countries_are_listed_by_name_for_any_valid_key(services, client):
    job_only = client_of(client, new_partner(services, credits=1))
    result = job_only.simulate_get(COUNTRIES)
    assert result.status_code == 200
    countries = result.json
    assert len(countries) == 249
    assert countries[:3] == [{"id": 4, "name": "Afghanistan"},
                             {"id": 248, "name": "Åland Islands"},
                             {"id": 8, "name": "Albania"}]
    assert {"id": 826, "name": "United Kingdom"} in countries
    assert {"id": 44, "name": "Bahamas"} in countries
    assert countries == [{"id": c.id, "name": c.name} for c in MemoryCountryDirectory().all()]
    cv_only = client_of(client, cv_partner(services))
    assert cv_only.simulate_get(COUNTRIES).json == countries
    assert services.credits.entries(new_partner(services).employer_id) == []
    anonymous = client.simulate_get(COUNTRIES)
    assert (anonymous.status_code, anonymous.text) == (401, "")


def test_the_openapi_document_describes_the_candidate_shapes(services, client):
    document = client.simulate_get("/swagger/v1/swagger.json").json
    schemas = document["components"]["schemas"]
    assert tuple(schemas["CandidateSearchItem"]["properties"]) == SEARCH_ITEM_FIELDS
    assert tuple(schemas["CandidateProfile"]["properties"]) == PROFILE_FIELDS
    search = document["paths"][SEARCH]["post"]
    assert search["requestBody"]["content"]["application/json"]["example"] == SPEC_BODY
    assert schemas["CandidateSearch"]["required"] == ["query"]
    assert set(search["responses"]) == {
        "200", "400", "401", "402", "403", "413", "415", "429", "500", "503"}
    view = document["paths"]["/api/v1/candidates/{candidateId}"]["get"]["responses"]
    assert set(view) == {"200", "400", "401", "402", "403", "404", "429", "500"}
    assert "invalid_query" in json.dumps(search["responses"]["400"])
