"""Credits by API (SPEC §12): ``GET /api/v1/credits``, and what each paid answer says it cost
and left (``Credits-Charged``, ``Credits-Remaining``), on every backend."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from falcon.testing import TestClient

from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from tests.http.support import JOBS, create_job, new_partner
from tests.use_cases.test_cv_search import load, profile

CREDITS = "/api/v1/credits"
SEARCH = "/api/v1/candidates/search"
CANDIDATES = "/api/v1/candidates"


def _charge(result) -> tuple[str | None, str | None]:
    return result.headers.get("credits-charged"), result.headers.get("credits-remaining")


def test_any_valid_key_reads_the_balance_of_every_kind_free(client, services, clock):
    partner = new_partner(services, credits=3, scopes=frozenset({Scope.CV_SEARCH}))
    services.credits.grant(partner.employer_id, CreditKind.CV_DOWNLOAD, 2)
    result = client.simulate_get(CREDITS, headers=partner.bearer)
    assert result.status_code == 200, result.text
    assert result.json == {
        "balances": [
            {"kind": "JobPosting", "balance": 3, "unlimited": False, "coveredUntil": None},
            {"kind": "CvSearch", "balance": 0, "unlimited": False, "coveredUntil": None},
            {"kind": "CvDownload", "balance": 2, "unlimited": False, "coveredUntil": None},
        ],
        "contracts": [],
    }
    assert result.headers["ratelimit-policy"] == '"self-service";q=60;w=60'
    assert len(services.credits.entries(partner.employer_id)) == 2


def test_the_contracts_in_force_say_which_kinds_are_covered_until_when(client, services, clock):
    partner = new_partner(services)
    now = clock.now()
    services.credits.add_contract(partner.employer_id, frozenset({CreditKind.CV_SEARCH}),
                                  now - timedelta(days=60), now - timedelta(days=30))
    first = services.credits.add_contract(
        partner.employer_id, frozenset({CreditKind.JOB_POSTING, CreditKind.CV_SEARCH}),
        now - timedelta(days=1), now + timedelta(days=10))
    services.credits.add_contract(partner.employer_id, frozenset({CreditKind.JOB_POSTING}),
                                  now, now + timedelta(days=20))
    services.credits.add_contract(partner.employer_id, frozenset({CreditKind.CV_DOWNLOAD}),
                                  now + timedelta(days=1), now + timedelta(days=40))
    body = client.simulate_get(CREDITS, headers=partner.bearer).json
    until = {b["kind"]: (b["unlimited"], b["coveredUntil"]) for b in body["balances"]}
    assert until == {
        "JobPosting": (True, _stamp(now + timedelta(days=20))),
        "CvSearch": (True, _stamp(now + timedelta(days=10))),
        "CvDownload": (False, None),
    }
    assert [c["id"] for c in body["contracts"]] == [first.id, first.id + 1]
    assert body["contracts"][0] == {
        "id": first.id, "kinds": ["JobPosting", "CvSearch"],
        "validFrom": _stamp(now - timedelta(days=1)),
        "validUntil": _stamp(now + timedelta(days=10)),
    }


def test_credits_take_no_query_and_need_a_key(client, services):
    partner = new_partner(services)
    assert client.simulate_get(CREDITS).status_code == 401
    refused = client.simulate_get(CREDITS, headers=partner.bearer, params={"kind": "CvSearch"})
    assert (refused.status_code, refused.json["code"]) == (400, "invalid_request")


def test_one_employer_never_sees_anothers_balance(client, services):
    rich, poor = new_partner(services, credits=9), new_partner(services)
    body = client.simulate_get(CREDITS, headers=poor.bearer).json
    assert [b["balance"] for b in body["balances"]] == [0, 0, 0]
    assert client.simulate_get(CREDITS, headers=rich.bearer).json["balances"][0]["balance"] == 9


def test_a_publish_says_it_cost_one_and_what_it_left(client, services):
    partner = new_partner(services, credits=2)
    api = TestClient(client.app, headers=partner.bearer)
    for left in ("1", "0"):
        published = api.simulate_post(f"{JOBS}/{create_job(api)['id']}/publish")
        assert _charge(published) == ("1", left)
    refused = api.simulate_post(f"{JOBS}/{create_job(api)['id']}/publish")
    assert (refused.status_code, _charge(refused)) == (402, (None, None))


def test_a_retry_under_the_same_idempotency_key_repeats_the_first_charge(client, services):
    partner = new_partner(services, credits=2)
    api = TestClient(client.app, headers=partner.bearer)
    job = create_job(api)
    headers = {"Idempotency-Key": "publish-1"}
    first = api.simulate_post(f"{JOBS}/{job['id']}/publish", headers=headers)
    again = api.simulate_post(f"{JOBS}/{job['id']}/publish", headers=headers)
    assert _charge(first) == _charge(again) == ("1", "1")
    assert services.credits.balance(partner.employer_id).available(CreditKind.JOB_POSTING) == 1


def test_under_a_contract_nothing_is_counted_down_or_reported_remaining(client, services, clock):
    partner = new_partner(services, credits=4)
    services.credits.add_contract(partner.employer_id, frozenset({CreditKind.JOB_POSTING}),
                                  clock.now(), clock.now() + timedelta(days=30))
    api = TestClient(client.app, headers=partner.bearer)
    published = api.simulate_post(f"{JOBS}/{create_job(api)['id']}/publish")
    assert _charge(published) == ("0", None)


def test_concurrent_publishes_each_report_the_balance_their_own_debit_left(client, services):
    partner = new_partner(services, credits=6)
    api = TestClient(client.app, headers=partner.bearer)
    jobs = [create_job(api)["id"] for _ in range(8)]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(
            lambda job_id: api.simulate_post(f"{JOBS}/{job_id}/publish"), jobs
        ))
    remaining = sorted(int(a.headers["credits-remaining"]) for a in answers
                       if a.status_code == 200)
    assert remaining == [0, 1, 2, 3, 4, 5]
    assert sorted(a.status_code for a in answers) == [200] * 6 + [402] * 2


def test_a_search_and_a_first_view_say_what_they_cost_and_a_free_view_says_zero(
    client, services
):
    [candidate_id] = load(services, [profile("c", "Process Engineer", ["HVAC"])])
    partner = new_partner(services, scopes=frozenset({Scope.CV_SEARCH}))
    services.credits.grant(partner.employer_id, CreditKind.CV_SEARCH, 3)
    services.credits.grant(partner.employer_id, CreditKind.CV_DOWNLOAD, 2)
    api = TestClient(client.app, headers=partner.bearer)
    assert _charge(api.simulate_post(SEARCH, json={"query": "HVAC"})) == ("1", "2")
    assert _charge(api.simulate_get(f"{CANDIDATES}/{candidate_id}")) == ("1", "1")
    assert _charge(api.simulate_get(f"{CANDIDATES}/{candidate_id}")) == ("0", "1")
    refused = api.simulate_post(SEARCH, json={"query": "("})
    assert (refused.status_code, _charge(refused)) == (400, (None, None))


def test_a_free_view_under_a_contract_reports_no_remaining(client, services, clock):
    [candidate_id] = load(services, [profile("c", "Process Engineer", ["HVAC"])])
    partner = new_partner(services, scopes=frozenset({Scope.CV_SEARCH}))
    services.credits.add_contract(partner.employer_id, frozenset({CreditKind.CV_DOWNLOAD}),
                                  clock.now(), clock.now() + timedelta(days=30))
    api = TestClient(client.app, headers=partner.bearer)
    assert _charge(api.simulate_get(f"{CANDIDATES}/{candidate_id}")) == ("0", None)
    assert _charge(api.simulate_get(f"{CANDIDATES}/{candidate_id}")) == ("0", None)


def _stamp(instant) -> str:
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")
