"""Elasticsearch down stops only what searches: the cluster is not touched when the services
are built, a search is 503 ``search_unavailable`` and uncharged, readiness names it, and
commands that do not search run. No cluster here: the URL points at a closed port."""

import time

import pytest
from falcon.testing import TestClient

from itmj_adapters.composition import build_services
from itmj_adapters.elasticsearch.candidate_index import ElasticsearchCandidateIndex
from itmj_adapters.settings import Settings
from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.pagination import PageRequest
from itmj_domain.ports import ParsedQuery, SearchFilters
from itmj_domain.search import SearchUnavailable, parse_query
from itmj_domain.services.cv_search import SearchRequest
from itmj_http.app import create_app

CLOSED = "http://127.0.0.1:1"


def test_the_adapter_reports_a_cluster_it_cannot_reach_as_search_unavailable():
    index = ElasticsearchCandidateIndex(CLOSED)
    started = time.monotonic()
    with pytest.raises(SearchUnavailable):
        index.search(ParsedQuery("HVAC", parse_query("HVAC")), SearchFilters((), None), 0, 20)
    with pytest.raises(SearchUnavailable):
        index.ensure_index()
    assert time.monotonic() - started < 10
    index.close()


def test_a_command_that_does_not_search_runs(run_cli):
    result = run_cli(["credits", "balance", "--employer", "1"],
                     {"ITMJ_ELASTICSEARCH_URL": CLOSED})
    assert result.error_lines == ["itmj: employer 1 not found"]


@pytest.fixture
def down():
    with build_services(Settings(elasticsearch_url=CLOSED)) as services:
        yield services


def test_a_search_is_503_search_unavailable_and_charges_nothing(down):
    employer = down.accounts.create_employer("Acme", trusted_partner=True).id
    down.credits.grant(employer, CreditKind.CV_SEARCH, 2)
    with pytest.raises(SearchUnavailable):
        down.cv_search.search(employer, SearchRequest("HVAC", page=PageRequest(1, 20)))
    assert down.credits.balance(employer).available(CreditKind.CV_SEARCH) == 2
    key = down.accounts.mint_key(employer, "cv", frozenset({Scope.CV_SEARCH})).plaintext
    client = TestClient(create_app(down))
    answer = client.simulate_post("/api/v1/candidates/search", json={"query": "HVAC"},
                                  headers={"Authorization": f"Bearer {key}"})
    assert answer.status_code == 503
    assert answer.json["code"] == "search_unavailable"
    assert answer.headers["Retry-After"] == "30"
    assert down.credits.balance(employer).available(CreditKind.CV_SEARCH) == 2
    ready = client.simulate_get("/healthz/ready")
    assert (ready.status_code, ready.json["checks"]["search"]) == (503, "failing")
    # What does not search answers as ever.
    jobs = client.simulate_get("/api/v1/countries", headers={"Authorization": f"Bearer {key}"})
    assert jobs.status_code == 200
