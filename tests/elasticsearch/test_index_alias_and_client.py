"""The index behind its alias, a rebuild that swaps the alias atomically, and the client the
settings describe, against the recording fake cluster (tests/elasticsearch/fake_cluster.py)."""

from datetime import UTC, datetime

import pytest

from itmj_adapters.elasticsearch.candidate_index import ElasticsearchCandidateIndex
from itmj_adapters.elasticsearch.client import client_options
from itmj_adapters.settings import Settings
from itmj_domain.ports import IndexedCandidate
from itmj_domain.search import SearchDocument
from tests.elasticsearch.fake_cluster import FakeCluster

ACK = {"acknowledged": True}
BULK_OK = {"errors": False, "items": [{"index": {"_id": "1", "status": 201}}]}
ALICE = IndexedCandidate(
    1,
    SearchDocument(headline="HVAC Engineer", summary=None, skills=("HVAC",), city=None,
                   country=None),
    frozenset(),
    datetime(2026, 1, 5, tzinfo=UTC),
)


def serving(alias_names: dict | None) -> FakeCluster:
    """A cluster where ``candidates`` exists: as an alias of ``alias_names`` (index → its
    aliases), or as an index made before aliases (None)."""
    cluster = FakeCluster()
    cluster.answer("HEAD", "/candidates", lambda body: (200, None))
    cluster.answer("HEAD", "/_alias/candidates",
                   lambda body: (404 if alias_names is None else 200, None))
    cluster.answer("GET", "/_alias/candidates", lambda body: (200, alias_names or {}))
    for path in ("/candidates-2", "/candidates-3"):
        cluster.answer("PUT", path, lambda body: (200, ACK))
        cluster.answer("PUT", f"{path}/_settings", lambda body: (200, ACK))
        cluster.answer("POST", f"{path}/_refresh", lambda body: (200, {}))
        cluster.answer("DELETE", path, lambda body: (200, ACK))
    cluster.answer("DELETE", "/candidates-1", lambda body: (200, ACK))
    cluster.answer("POST", "/_aliases", lambda body: (200, ACK))
    cluster.answer("PUT", "/_bulk", lambda body: (200, BULK_OK))
    return cluster


def fill_with_alice(index: ElasticsearchCandidateIndex) -> int:
    index.upsert([ALICE])
    return 1


def test_a_rebuild_fills_a_new_index_unrefreshed_then_moves_the_alias_atomically():
    cluster = serving({"candidates-1": {"aliases": {"candidates": {}}}})
    index = ElasticsearchCandidateIndex(cluster.client())

    assert index.rebuilt(lambda: fill_with_alice(index)) == 1

    sent = [(method, target.partition("?")[0], body) for method, target, body in
            cluster.requests if method != "HEAD"]
    assert sent[0][:2] == ("GET", "/_alias/candidates")
    assert sent[1][:2] == ("PUT", "/candidates-2")
    assert sent[1][2]["settings"] == {"number_of_shards": 1, "refresh_interval": "-1"}
    assert "aliases" not in sent[1][2]
    assert sent[2][:2] == ("PUT", "/_bulk")
    assert sent[2][2][0] == {"index": {"_index": "candidates-2", "_id": "1"}}
    assert sent[3:] == [
        ("PUT", "/candidates-2/_settings", {"refresh_interval": None}),
        ("POST", "/candidates-2/_refresh", None),
        ("POST", "/_aliases", {"actions": [
            {"add": {"index": "candidates-2", "alias": "candidates"}},
            {"remove": {"index": "candidates-1", "alias": "candidates"}},
        ]}),
        ("DELETE", "/candidates-1", None),
    ]


def test_after_a_rebuild_writes_go_through_the_alias_again():
    cluster = serving({"candidates-1": {"aliases": {"candidates": {}}}})
    index = ElasticsearchCandidateIndex(cluster.client())
    index.rebuilt(lambda: fill_with_alice(index))
    cluster.requests.clear()

    index.upsert([ALICE])

    assert cluster.requests[0][2][0] == {"index": {"_index": "candidates", "_id": "1"}}


def test_a_rebuild_replaces_an_index_made_before_aliases_in_the_same_atomic_step():
    cluster = serving(None)
    index = ElasticsearchCandidateIndex(cluster.client())

    index.rebuilt(lambda: fill_with_alice(index))

    aliases = [body for method, target, body in cluster.requests if target == "/_aliases"]
    assert aliases == [{"actions": [
        {"add": {"index": "candidates-2", "alias": "candidates"}},
        {"remove_index": {"index": "candidates"}},
    ]}]
    assert not [target for method, target, _ in cluster.requests if method == "DELETE"]


def test_the_next_rebuild_takes_the_next_number():
    cluster = serving({"candidates-2": {"aliases": {"candidates": {}}}})
    index = ElasticsearchCandidateIndex(cluster.client())

    index.rebuilt(lambda: fill_with_alice(index))

    created = [target for method, target, _ in cluster.requests if method == "PUT"]
    assert created[0] == "/candidates-3"


def test_a_rebuild_that_fails_deletes_its_new_index_and_leaves_the_alias_alone():
    cluster = serving({"candidates-1": {"aliases": {"candidates": {}}}})
    index = ElasticsearchCandidateIndex(cluster.client())

    def failing() -> int:
        index.upsert([ALICE])
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        index.rebuilt(failing)

    assert ("DELETE", "/candidates-2?ignore_unavailable=true", None) in cluster.requests
    assert not [target for _, target, _ in cluster.requests if target == "/_aliases"]
    cluster.requests.clear()
    index.upsert([ALICE])
    assert cluster.requests[0][2][0] == {"index": {"_index": "candidates", "_id": "1"}}


def test_the_client_carries_the_api_key_the_ca_fingerprint_and_the_timeout():
    settings = Settings.from_environ({
        "ITMJ_ELASTICSEARCH_URL": "https://es.example:9200",
        "ITMJ_ELASTICSEARCH_API_KEY": "aWQ6c2VjcmV0",
        "ITMJ_ELASTICSEARCH_FINGERPRINT": "AB:" * 31 + "CD",
        "ITMJ_ELASTICSEARCH_TIMEOUT": "3",
    })
    cluster = FakeCluster()
    cluster.answer("GET", "/", lambda body: (200, {"version": {"number": "8.15.0"}}))

    cluster.client(settings.elasticsearch_url, **client_options(settings)).info()

    headers, node = cluster.sent[0]
    assert headers["authorization"] == "ApiKey aWQ6c2VjcmV0"
    assert node.ssl_assert_fingerprint == "ab" * 31 + "cd"
    assert (node.scheme, node.host, node.port) == ("https", "es.example", 9200)
    assert client_options(settings)["request_timeout"] == 3.0


def test_basic_auth_rides_in_the_url_and_a_ca_bundle_is_trusted(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    settings = Settings.from_environ({
        "ITMJ_ELASTICSEARCH_URL": "https://elastic:s%40cret@es.example:9200",
        "ITMJ_ELASTICSEARCH_CA_CERTS": str(bundle),
    })
    cluster = FakeCluster()
    cluster.answer("GET", "/", lambda body: (200, {"version": {"number": "8.15.0"}}))

    options = client_options(settings)
    cluster.client(settings.elasticsearch_url, **options).info()

    # From the URL it goes into the node's own headers, which the node sends on every request.
    _headers, node = cluster.sent[0]
    assert node.headers["authorization"] == "Basic ZWxhc3RpYzpzQGNyZXQ="
    assert options["ca_certs"] == str(bundle)
    assert options["request_timeout"] == 10.0
