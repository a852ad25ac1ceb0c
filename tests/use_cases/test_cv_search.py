"""CV search and CV download through the real composition root, on every backend: the SPEC's
example queries, masking, credits, unlock windows; and the import that feeds the index."""

import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import attrs
import pytest
from redis import Redis

from itmj_adapters.clock import ManualClock
from itmj_adapters.composition import Services, build_services
from itmj_adapters.rq_worker import run_worker
from itmj_adapters.settings import Settings
from itmj_domain.api_keys import Scope
from itmj_domain.candidates import CandidateProfile
from itmj_domain.credits import CreditKind, EntryReason
from itmj_domain.errors import InvalidInput, NoCredits, NotFound
from itmj_domain.idempotency import AlreadyAnswered, IdempotentRequest, StoredResponse, fingerprint
from itmj_domain.pagination import PageRequest
from itmj_domain.search import InvalidQuery, parse_query
from itmj_domain.services.candidates import Candidates, ImportLine, Rejection
from itmj_domain.services.cv_search import SearchRequest
from itmj_domain.services.idempotency import Idempotent
from itmj_jobs import runtime
from tests.refusals import refused

UK, UAE, US, BAHAMAS = 826, 784, 840, 44
NOW = datetime(2026, 1, 1, tzinfo=UTC)
SEARCH_SCOPE = frozenset({Scope.CV_SEARCH})
SPEC_EXAMPLES = (
    '"Process Engineer" AND "HVAC"',
    '(("High" OR "Low") AND "voltage") AND "Engineers" AND "Dubai"',
    "kubernetes AND (aws OR gcp) AND NOT junior",
)


def profile(
    external_id: str, headline: str, skills: Sequence[str] = (), **fields
) -> CandidateProfile:
    defaults = {
        "full_name": "Pat Example",
        "email": f"{external_id}@candidates.example",
        "phone": "+44 20 7946 0000",
        "summary": "Experienced professional.",
        "city": "London",
        "country_id": UK,
        "preferred_country_ids": frozenset({UK}),
        "last_active_at": NOW - timedelta(days=3),
    }
    return CandidateProfile(
        external_id=external_id, headline=headline, skills=tuple(skills), **(defaults | fields)
    )


# The candidates the SPEC examples are asked of, each named for what it tests.
PEOPLE = {
    "process_hvac": profile("p1", "Senior Process Engineer", ["HVAC", "AutoCAD"]),
    "process_only": profile("p2", "Process Engineer", ["Piping"]),
    "engineer_process_hvac": profile("p3", "Engineer, process safety", ["HVAC"]),
    "high_voltage_dubai": profile(
        "v1", "High Voltage Engineers team lead", city="Dubai", country_id=UAE
    ),
    "low_voltage_dubai": profile(
        "v2", "Commissioning", summary="Low voltage systems for Engineers", city="Dubai",
        country_id=UAE,
    ),
    "singular_engineer_dubai": profile(
        "v3", "Low voltage engineer", city="Dubai", country_id=UAE
    ),
    "medium_voltage_dubai": profile(
        "v4", "Medium voltage Engineers", city="Dubai", country_id=UAE
    ),
    "high_voltage_abu_dhabi": profile(
        "v5", "High voltage Engineers", city="Abu Dhabi", country_id=UAE
    ),
    "kubernetes_aws": profile("k1", "Platform engineer", ["Kubernetes", "AWS"]),
    "kubernetes_gcp_junior": profile("k2", "Junior DevOps engineer", ["Kubernetes", "GCP"]),
    "kubernetes_azure": profile("k3", "Cloud engineer", ["Kubernetes", "Azure"]),
    "kubernetes_gcp": profile("k4", "SRE", ["kubernetes", "gcp", "terraform"]),
}
EXPECTED = {
    SPEC_EXAMPLES[0]: {"process_hvac"},
    SPEC_EXAMPLES[1]: {"high_voltage_dubai", "low_voltage_dubai"},
    SPEC_EXAMPLES[2]: {"kubernetes_aws", "kubernetes_gcp"},
}


def load(services: Services, profiles: Sequence[CandidateProfile]) -> list[int]:
    """Import the profiles; their candidate ids, in the same order."""
    report = services.candidates.import_profiles(
        ImportLine(number, p) for number, p in enumerate(profiles, start=1)
    )
    assert report.rejected == ()
    with services.uow(read_only=True) as uow:
        return [uow.candidates.find_by_external_id(p.external_id).id for p in profiles]


def load_people(services: Services) -> dict[str, int]:
    return dict(zip(PEOPLE, load(services, list(PEOPLE.values())), strict=True))


def employer_with(services: Services, searches: int = 0, downloads: int = 0) -> int:
    employer = services.accounts.create_employer("Acme Recruitment")
    if searches:
        services.credits.grant(employer.id, CreditKind.CV_SEARCH, searches)
    if downloads:
        services.credits.grant(employer.id, CreditKind.CV_DOWNLOAD, downloads)
    return employer.id


def found(services: Services, employer_id: int, query: str, **options) -> list[int]:
    result = services.cv_search.search(employer_id, SearchRequest(query, **options))
    return [item.id for item in result.items]


def debits(services: Services, employer_id: int) -> list[tuple[EntryReason, int, str | None]]:
    return [(e.reason, e.amount, e.reference)
            for e in services.credits.entries(employer_id) if e.is_debit]


@pytest.mark.parametrize("query", SPEC_EXAMPLES)
def test_the_spec_examples_find_exactly_the_right_candidates(services, query):
    people = load_people(services)
    employer_id = employer_with(services, searches=1)
    wanted = {people[name] for name in EXPECTED[query]}
    assert set(found(services, employer_id, query)) == wanted


def test_a_page_says_the_total_and_pages_follow_each_other(services):
    ids = load(services, [profile(f"c{n}", "Kubernetes engineer") for n in range(5)])
    employer_id = employer_with(services, searches=3)
    pages = [
        services.cv_search.search(employer_id, SearchRequest("kubernetes", page=PageRequest(n, 2)))
        for n in (1, 2, 3)
    ]
    assert [page.total for page in pages] == [5, 5, 5]
    assert sorted(item.id for page in pages for item in page.items) == sorted(ids)


def test_preferred_countries_and_recent_activity_narrow_the_results(services, clock):
    wants_bahamas = profile("b1", "Process Engineer HVAC",
                            preferred_country_ids=frozenset({BAHAMAS, US}))
    stale = profile("b2", "Process Engineer HVAC", preferred_country_ids=frozenset({BAHAMAS}),
                    last_active_at=clock.now() - timedelta(days=91))
    elsewhere = profile("b3", "Process Engineer HVAC")
    ids = load(services, [wants_bahamas, stale, elsewhere])
    employer_id = employer_with(services, searches=4)
    query = SPEC_EXAMPLES[0]
    assert set(found(services, employer_id, query)) == set(ids)
    assert set(found(services, employer_id, query,
                     preferred_country_ids=frozenset({BAHAMAS}))) == set(ids[:2])
    assert set(found(services, employer_id, query, active_within_days=90)) == {ids[0], ids[2]}
    assert found(services, employer_id, query, preferred_country_ids=frozenset({BAHAMAS}),
                 active_within_days=90) == [ids[0]]


def test_search_rows_are_masked(services):
    lovelace = profile("m1", "Kubernetes lead", full_name="Ada Mary Lovelace")
    [candidate_id] = load(services, [lovelace])
    employer_id = employer_with(services, searches=1)
    request = SearchRequest("kubernetes", page=PageRequest(1, 5))
    result = services.cv_search.search(employer_id, request)
    [row] = result.items
    assert (row.id, row.masked_name, row.is_unlocked) == (candidate_id, "A*** M*** L***", False)
    assert not {"email", "phone", "summary", "full_name"} & set(attrs.asdict(row))
    assert (row.headline, row.skills, row.city, row.country_id, row.last_active_at) == (
        lovelace.headline, lovelace.skills, lovelace.city, lovelace.country_id,
        lovelace.last_active_at,
    )
    assert (result.total, result.page) == (1, request.page)


def test_a_candidate_hidden_since_the_index_last_saw_it_is_never_shown(services):
    [shown, hidden] = load(services, [profile("h1", "Kubernetes lead"),
                                      profile("h2", "Kubernetes engineer")])
    with services.uow() as uow:
        uow.candidates.save(attrs.evolve(uow.candidates.get(hidden), hidden=True))
        uow.commit()
    employer_id = employer_with(services, searches=1)
    assert found(services, employer_id, "kubernetes") == [shown]


def test_each_search_debits_one_cv_search_credit_naming_the_search(services):
    load_people(services)
    employer_id = employer_with(services, searches=2)
    found(services, employer_id, SPEC_EXAMPLES[0])
    found(services, employer_id, "nothing matches this")
    entries = debits(services, employer_id)
    assert [(reason, amount) for reason, amount, _ in entries] == [(EntryReason.CV_SEARCH, -1)] * 2
    references = [reference for _, _, reference in entries]
    assert all(reference.startswith("search:") for reference in references)
    assert len(set(references)) == 2
    with refused(NoCredits):
        found(services, employer_id, SPEC_EXAMPLES[0])
    assert len(debits(services, employer_id)) == 2


class RecordingIndex:
    """The index the services built, noting every query it is asked."""

    def __init__(self, index) -> None:
        self._index = index
        self.queries = []

    def search(self, query, filters, offset, limit):
        self.queries.append(query)
        return self._index.search(query, filters, offset, limit)


def test_the_index_is_asked_the_query_as_written_and_as_parsed(services):
    load_people(services)
    employer_id = employer_with(services, searches=1)
    index = RecordingIndex(services.cv_search.index)
    search = attrs.evolve(services.cv_search, index=index)
    search.search(employer_id, SearchRequest(SPEC_EXAMPLES[2]))
    [query] = index.queries
    assert (query.text, query.tree) == (SPEC_EXAMPLES[2], parse_query(SPEC_EXAMPLES[2]))


def test_a_search_retried_with_its_idempotency_key_is_answered_again_and_paid_once(services):
    people = load_people(services)
    employer_id = employer_with(services, searches=2)
    api_key = services.accounts.mint_key(employer_id, "ATS", SEARCH_SCOPE).key
    body = SPEC_EXAMPLES[0].encode()

    def once() -> Idempotent:
        request = IdempotentRequest(
            api_key.id, "s-1", fingerprint("POST", "/api/v1/candidates/search", body)
        )
        return Idempotent(request, lambda result: StoredResponse(
            200, ",".join(str(item.id) for item in result.items).encode()
        ))

    first = services.cv_search.search(employer_id, SearchRequest(SPEC_EXAMPLES[0]), once())
    assert [item.id for item in first.items] == [people["process_hvac"]]
    with pytest.raises(AlreadyAnswered) as retried:
        services.cv_search.search(employer_id, SearchRequest(SPEC_EXAMPLES[0]), once())
    assert retried.value.response == StoredResponse(200, str(people["process_hvac"]).encode())
    assert len(debits(services, employer_id)) == 1


def test_a_malformed_query_charges_nothing(services):
    load_people(services)
    employer_id = employer_with(services, searches=1)
    for query in ('"Process Engineer', "kubernetes AND", "(aws OR gcp", "salary:100"):
        with refused(InvalidQuery) as raised:
            found(services, employer_id, query)
        assert f"position {raised.value.position}" in raised.value.message
    assert debits(services, employer_id) == []
    assert services.credits.balance(employer_id).available(CreditKind.CV_SEARCH) == 1


def test_without_a_credit_or_contract_a_search_charges_nothing(services, clock):
    load_people(services)
    employer_id = employer_with(services, downloads=1)
    with refused(NoCredits):
        found(services, employer_id, SPEC_EXAMPLES[2])
    assert debits(services, employer_id) == []
    services.credits.add_contract(employer_id, frozenset({CreditKind.CV_SEARCH}),
                                  clock.now() - timedelta(days=1), clock.now() + timedelta(days=1))
    assert len(found(services, employer_id, SPEC_EXAMPLES[2])) == 2
    [(reason, amount, _)] = debits(services, employer_id)
    assert (reason, amount) == (EntryReason.CV_SEARCH, 0)


def test_the_first_view_in_a_window_pays_and_later_views_are_free(services, clock):
    people = load_people(services)
    candidate_id = people["kubernetes_aws"]
    employer_id = employer_with(services, searches=3, downloads=2)
    first_view = clock.now()
    unlocked = services.cv_search.view(employer_id, candidate_id)
    assert unlocked.candidate.email == "k1@candidates.example"
    assert unlocked.unlocked_until == clock.now() + timedelta(days=30)
    assert services.cv_search.view(employer_id, candidate_id).unlocked_until == (
        unlocked.unlocked_until
    )
    clock.advance(timedelta(days=29, hours=23))
    services.cv_search.view(employer_id, candidate_id)
    download = (EntryReason.CV_DOWNLOAD, -1, f"candidate:{candidate_id}")
    assert [d for d in debits(services, employer_id) if d[0] is EntryReason.CV_DOWNLOAD] == [
        download
    ]
    assert _unlocked_rows(services, employer_id) == {candidate_id}

    clock.advance(timedelta(hours=1))
    assert _unlocked_rows(services, employer_id) == set()
    again = services.cv_search.view(employer_id, candidate_id)
    assert again.unlocked_until == clock.now() + timedelta(days=30)
    assert [d for d in debits(services, employer_id) if d[0] is EntryReason.CV_DOWNLOAD] == [
        download, download
    ]
    paid_at = [e.created_at for e in services.credits.entries(employer_id)
               if e.reason is EntryReason.CV_DOWNLOAD]
    assert paid_at == [first_view, clock.now()]
    assert _unlocked_rows(services, employer_id) == {candidate_id}


def test_unlocks_belong_to_one_employer(services):
    people = load_people(services)
    candidate_id = people["kubernetes_gcp"]
    first = employer_with(services, searches=1, downloads=1)
    second = employer_with(services, searches=1, downloads=1)
    services.cv_search.view(first, candidate_id)
    assert _unlocked_rows(services, first) == {candidate_id}
    assert _unlocked_rows(services, second) == set()
    services.cv_search.view(second, candidate_id)
    assert len(debits(services, second)) == 2


def test_a_view_without_download_credit_unlocks_nothing(services):
    people = load_people(services)
    employer_id = employer_with(services, searches=2)
    with refused(NoCredits):
        services.cv_search.view(employer_id, people["process_hvac"])
    assert _unlocked_rows(services, employer_id) == set()
    assert [reason for reason, _, _ in debits(services, employer_id)] == [EntryReason.CV_SEARCH]


def test_a_hidden_candidate_is_not_found_and_leaves_the_results(services):
    people = load_people(services)
    hidden = people["kubernetes_aws"]
    employer_id = employer_with(services, searches=2, downloads=2)
    services.candidates.set_hidden(hidden, True)
    with refused(NotFound) as missing:
        services.cv_search.view(employer_id, hidden)
    with refused(NotFound) as never_existed:
        services.cv_search.view(employer_id, 999_999)
    assert str(missing.value) == f"candidate {hidden} not found"
    assert str(never_existed.value) == "candidate 999999 not found"
    assert found(services, employer_id, SPEC_EXAMPLES[2]) == [people["kubernetes_gcp"]]
    services.candidates.set_hidden(hidden, False)
    assert set(found(services, employer_id, SPEC_EXAMPLES[2])) == {
        hidden, people["kubernetes_gcp"]
    }
    assert [reason for reason, _, _ in debits(services, employer_id)] == [EntryReason.CV_SEARCH] * 2


def test_search_requests_refuse_bad_filters_and_pages_too_deep():
    with refused(InvalidInput, match="active_within_days"):
        SearchRequest("x", active_within_days=0)
    with refused(InvalidInput, match="page_number times page_size"):
        SearchRequest("x", page=PageRequest(101, 100))
    assert SearchRequest("x", page=PageRequest(100, 100)).page.offset == 9_900


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"active_within_days": 0}, "active_within_days"),
        ({"active_within_days": 36_501}, "active_within_days"),
        ({"preferred_country_ids": frozenset(range(1, 302))}, "preferred_country_ids"),
        ({"page": PageRequest(10_001, 1)}, "page_number"),
    ],
)
def test_a_search_request_past_a_bound_names_the_field(options, field):
    with refused(InvalidInput) as raised:
        SearchRequest("x", **options)
    assert raised.value.field == field


def test_hiding_an_unknown_candidate_is_not_found(services):
    with refused(NotFound):
        services.candidates.set_hidden(404, True)


@pytest.mark.parametrize("country_id", [0, 1000])
def test_a_preferred_country_outside_iso_3166_names_the_field(country_id):
    with refused(InvalidInput, field="preferred_country_ids"):
        SearchRequest("x", preferred_country_ids=frozenset({826, country_id}))


def test_a_search_request_at_its_bounds_is_accepted():
    for days in (1, 36_500):
        assert SearchRequest("x", active_within_days=days).active_within_days == days
    for countries in (frozenset(range(1, 301)), frozenset({1, 999})):
        request = SearchRequest("x", preferred_country_ids=countries)
        assert request.preferred_country_ids == countries
    assert SearchRequest("x", page=PageRequest(10_000, 1)).page.offset == 9_999


def test_an_import_upserts_by_external_id_and_the_index_follows(services):
    employer_id = employer_with(services, searches=3)
    first = services.candidates.import_profiles([
        ImportLine(1, profile("u1", "Kubernetes engineer")),
        ImportLine(2, profile("u2", "Kubernetes architect")),
    ])
    assert (first.imported, first.updated, first.rejected) == (2, 0, ())
    [u1, u2] = sorted(found(services, employer_id, "kubernetes"))
    second = services.candidates.import_profiles([
        ImportLine(1, profile("u1", "Terraform engineer", city="Leeds")),
        ImportLine(2, profile("u3", "Kubernetes operator")),
    ])
    assert (second.imported, second.updated) == (1, 1)
    assert u1 not in found(services, employer_id, "kubernetes")
    assert found(services, employer_id, "terraform AND city:leeds") == [u1]
    with services.uow(read_only=True) as uow:
        assert uow.candidates.get(u1).headline == "Terraform engineer"
        assert uow.candidates.get(u2).headline == "Kubernetes architect"


def test_a_reimport_counts_every_known_profile_as_updated_across_batches(services):
    profiles = [profile(f"r{n}", "Kubernetes engineer") for n in range(5)]
    assert load(services, profiles)
    candidates = attrs.evolve(services.candidates, batch_size=2)
    changed = [attrs.evolve(p, city="Leeds") for p in profiles[:3]]
    report = candidates.import_profiles(
        ImportLine(number, p) for number, p in enumerate(changed + profiles[3:], start=1)
    )
    assert (report.imported, report.updated, report.rejected) == (0, 5, ())


def test_a_reimported_hidden_candidate_stays_hidden(services):
    [hidden] = load(services, [profile("s1", "Kubernetes engineer")])
    services.candidates.set_hidden(hidden, True)
    load(services, [profile("s1", "Kubernetes lead")])
    with services.uow(read_only=True) as uow:
        stored = uow.candidates.get(hidden)
    assert (stored.headline, stored.hidden) == ("Kubernetes lead", True)
    assert found(services, employer_with(services, searches=1), "kubernetes") == []


@pytest.mark.parametrize("batch_size", [500, 2], ids=["one batch", "across batches"])
def test_the_last_line_of_an_external_id_wins(services, batch_size):
    """Lines of one external id count as upserted one after another, in one batch or not."""
    candidates = attrs.evolve(services.candidates, batch_size=batch_size)
    lines = [profile("d1", "First"), profile("d2", "Kept"), profile("d1", "Second"),
             profile("d1", "Third", city="Leeds"), profile("d1", "Third", city="Leeds"),
             profile("d3", "Stored", country_id=1000), profile("d3", "Only")]
    report = candidates.import_profiles(
        ImportLine(number, p) for number, p in enumerate(lines, start=1)
    )
    assert (report.imported, report.updated) == (3, 3)
    assert [r.line for r in report.rejected] == [6]
    with services.uow(read_only=True) as uow:
        stored = uow.candidates.find_by_external_ids(["d1", "d2", "d3"])
    assert sorted((c.external_id, c.headline, c.city) for c in stored) == [
        ("d1", "Third", "Leeds"), ("d2", "Kept", "London"), ("d3", "Only", "London")
    ]
    employer_id = employer_with(services, searches=2)
    assert found(services, employer_id, "first OR second") == []
    assert len(found(services, employer_id, "third")) == 1


def test_a_reimport_rewrites_and_reindexes_only_the_changed_candidates(services):
    profiles = [profile(f"w{n}", "Kubernetes engineer") for n in range(4)]
    [_, changed_id, *_] = load(services, profiles)
    tasks = RecordingTasks(CountingSource(0))
    candidates = Candidates(services.uow, services.countries, tasks)
    with services.uow(read_only=True) as uow:
        before = {c.id: c for c in uow.candidates.find_by_external_ids(["w0", "w1", "w2", "w3"])}
    report = candidates.import_profiles(ImportLine(n, p) for n, p in enumerate(
        [profiles[0], attrs.evolve(profiles[1], city="Leeds"), *profiles[2:]], start=1
    ))
    assert (report.imported, report.updated) == (0, 4)
    assert tasks.indexed == [(1, 0)]
    with services.uow(read_only=True) as uow:
        after = {c.id: c for c in uow.candidates.get_many(list(before))}
    assert {cid for cid in before if after[cid] != before[cid]} == {changed_id}
    assert candidates.import_profiles(ImportLine(n, p) for n, p in enumerate(
        [profiles[0], attrs.evolve(profiles[1], city="Leeds")], start=1
    )).updated == 2
    assert tasks.indexed == [(1, 0)]


def test_an_import_rejects_bad_profiles_by_line_and_loads_the_rest(services):
    report = services.candidates.import_profiles([
        ImportLine(1, profile("r1", "Good")),
        Rejection(2, "malformed JSON"),
        ImportLine(3, profile("r3", "Unknown country", country_id=1000)),
        ImportLine(4, profile("r4", "Unknown wish", preferred_country_ids=frozenset({UK, 999}))),
        ImportLine(5, profile("r5", "Blank name", full_name="  ")),
        ImportLine(6, profile("r6", "x" * 301)),
        ImportLine(7, profile("r7", "Also good", country_id=None, city=None, phone=None)),
    ])
    assert (report.imported, report.updated) == (2, 0)
    assert [(r.line, r.reason) for r in report.rejected] == [
        (2, "malformed JSON"),
        (3, "country_id: unknown country 1000"),
        (4, "preferred_country_ids: unknown countries 999"),
        (5, "full_name must not be blank"),
        (6, "headline must be at most 300 characters"),
    ]
    with services.uow(read_only=True) as uow:
        assert uow.candidates.find_by_external_id("r3") is None
        assert uow.candidates.find_by_external_id("r7").country_id is None


class RecordingTasks:
    """A task queue that records which index tasks were asked for, and how far the import
    had read its source by then."""

    def __init__(self, source: "CountingSource") -> None:
        self.source = source
        self.indexed: list[tuple[int, int]] = []

    def dispatch(self) -> None: ...
    def deliver(self, delivery_ids: Sequence[str]) -> None: ...
    def index_candidates(self, candidate_ids: Sequence[int]) -> None:
        self.indexed.append((len(candidate_ids), self.source.read))


class CountingSource:
    def __init__(self, count: int) -> None:
        self.count = count
        self.read = 0

    def __iter__(self) -> Iterator[ImportLine]:
        for number in range(1, self.count + 1):
            self.read += 1
            yield ImportLine(number, profile(f"s{number}", "Streamed"))


def test_an_import_streams_its_source_in_batches(services):
    source = CountingSource(1_250)
    tasks = RecordingTasks(source)
    candidates = Candidates(services.uow, services.countries, tasks, batch_size=500)
    report = candidates.import_profiles(source)
    assert report.imported == 1_250
    # Each batch is written and handed to the index before the next is read.
    assert tasks.indexed == [(500, 500), (500, 1_000), (250, 1_250)]


def test_a_rebuild_in_small_batches_counts_every_visible_candidate(services):
    people = load_people(services)
    services.candidates.set_hidden(people["process_only"], True)
    indexing = attrs.evolve(services.candidate_indexing, batch_size=2)
    assert indexing.rebuild() == len(PEOPLE) - 1


def test_a_candidate_is_found_by_the_name_of_their_country(services):
    [leeds, dubai] = load(services, [profile("c1", "Engineer"),
                                     profile("c2", "Engineer", city="Dubai", country_id=UAE)])
    employer_id = employer_with(services, searches=2)
    assert found(services, employer_id, 'country:"united kingdom"') == [leeds]
    assert found(services, employer_id, "country:emirates") == [dubai]


def test_the_total_counts_only_visible_candidates(services):
    [shown, hidden] = load(services, [profile("t1", "Kubernetes lead"),
                                      profile("t2", "Kubernetes engineer")])
    services.candidates.set_hidden(hidden, True)
    employer_id = employer_with(services, searches=1)
    result = services.cv_search.search(employer_id, SearchRequest("kubernetes"))
    assert (result.total, [row.id for row in result.items]) == (1, [shown])


def test_a_rebuild_indexes_every_visible_candidate(services):
    people = load_people(services)
    services.candidates.set_hidden(people["process_only"], True)
    assert services.candidate_indexing.rebuild() == len(PEOPLE) - 1
    employer_id = employer_with(services, searches=1)
    assert set(found(services, employer_id, SPEC_EXAMPLES[2])) == {
        people["kubernetes_aws"], people["kubernetes_gcp"]
    }


@pytest.mark.postgres
def test_a_memory_index_over_postgres_fills_itself_from_the_database(clean_database):
    """Another process (a new server worker) finds what an import committed before it
    started, and what it imports itself afterwards."""
    settings = Settings(database_url=clean_database, db_pool_size=2)
    clock = ManualClock()
    importer = build_services(settings, clock=clock)
    server = build_services(settings, clock=clock)
    try:
        people = load_people(importer)
        employer_id = employer_with(server, searches=2)
        server.warm_up()
        assert set(found(server, employer_id, SPEC_EXAMPLES[0])) == {people["process_hvac"]}
        [late] = load(server, [profile("late", "Process Engineer", ["HVAC"])])
        assert set(found(server, employer_id, SPEC_EXAMPLES[0])) == {
            people["process_hvac"], late
        }
    finally:
        importer.close()
        server.close()


@pytest.mark.redis
def test_with_a_queue_a_worker_brings_the_index_in_line(clock):
    redis_url = os.environ.get("ITMJ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    redis = Redis.from_url(redis_url)
    redis.flushdb()
    redis.close()
    services = build_services(Settings(redis_url=redis_url), clock=clock)
    runtime.install(services)
    try:
        employer_id = employer_with(services, searches=3)
        [candidate_id] = load(services, [profile("queued", "Kubernetes engineer")])
        assert found(services, employer_id, "kubernetes") == []
        run_worker(redis_url, burst=True)
        assert found(services, employer_id, "kubernetes") == [candidate_id]
        services.candidates.set_hidden(candidate_id, True)
        run_worker(redis_url, burst=True)
        assert found(services, employer_id, "kubernetes") == []
    finally:
        services.close()


def _unlocked_rows(services: Services, employer_id: int) -> set[int]:
    services.credits.grant(employer_id, CreditKind.CV_SEARCH, 1)
    result = services.cv_search.search(employer_id, SearchRequest("*", page=PageRequest(1, 100)))
    return {item.id for item in result.items if item.is_unlocked}
