"""The CandidateRepository and UnlockRepository contracts, on every adapter."""

from datetime import timedelta

import attrs

from itmj_domain.candidates import Candidate
from itmj_domain.unlocks import Unlock
from tests.contract.seed import T0


def _every_field(candidate_id: int) -> Candidate:
    return Candidate(
        candidate_id, "crm-0042", "Ada Lovelace-Byron", "ada@example.com", "+44 20 7946 0000",
        "Head of IT Operations", "Twenty years of service desks.\nITIL v4.",
        ("ITIL", "Azure", "ITIL v4", "Active Directory"), "London", 826,
        frozenset({826, 372, 276}), T0 + timedelta(days=2), hidden=True,
    )


def test_an_added_candidate_reads_back_equal_by_id_and_by_external_id(uow_factory):
    with uow_factory() as uow:
        candidate = _every_field(uow.candidates.next_id())
        uow.candidates.add(candidate)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.candidates.get(candidate.id) == candidate
        assert uow.candidates.find_by_external_id("crm-0042") == candidate
    assert candidate.skills == ("ITIL", "Azure", "ITIL v4", "Active Directory")


def test_unknown_ids_and_external_ids_are_none(uow_factory, seed):
    candidate = seed.candidate("crm-1")
    with uow_factory(read_only=True) as uow:
        assert uow.candidates.get(candidate.id + 1) is None
        assert uow.candidates.find_by_external_id("crm-2") is None
        assert uow.candidates.find_by_external_id("CRM-1") is None


def test_get_many_reads_the_stored_ones_among_the_ids(uow_factory, seed):
    first, hidden = seed.candidate("crm-a"), seed.candidate("crm-b", hidden=True)
    with uow_factory(read_only=True) as uow:
        found = uow.candidates.get_many([hidden.id, hidden.id + 1, first.id, first.id])
        assert sorted(found, key=lambda c: c.id) == [first, hidden]
        assert uow.candidates.get_many([]) == []


def test_ids_are_never_handed_out_twice(uow_factory):
    with uow_factory() as uow:
        ids = [uow.candidates.next_id() for _ in range(3)]
    with uow_factory() as uow:
        ids.append(uow.candidates.next_id())
    assert len(set(ids)) == 4


def test_save_stores_the_changed_candidate(uow_factory, seed):
    candidate = seed.candidate("crm-7")
    changed = attrs.evolve(
        candidate, headline="CIO", skills=("Budgets",), preferred_country_ids=frozenset({840}),
        last_active_at=T0 + timedelta(days=9), hidden=True, phone="+1 555 0100",
    )
    with uow_factory() as uow:
        uow.candidates.save(changed)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.candidates.get(candidate.id) == changed
        assert uow.candidates.find_by_external_id("crm-7") == changed


def test_save_adds_a_candidate_not_stored_yet(uow_factory):
    with uow_factory() as uow:
        candidate = _every_field(uow.candidates.next_id())
        uow.candidates.save(candidate)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.candidates.find_by_external_id(candidate.external_id) == candidate


def _plain(candidate_id: int, external_id: str, **fields: object) -> Candidate:
    return attrs.evolve(_every_field(candidate_id), external_id=external_id, **fields)


def _awkward(candidate_id: int, external_id: str) -> Candidate:
    """Text that a bulk write must carry as it is: what COPY, array literals and JSON each
    escape, and characters beyond the Basic Multilingual Plane."""
    odd = 'tab\there, "quoted", back\\slash \\N {braced, list} NULL \r\n é 𝄞 '
    return _plain(candidate_id, external_id, full_name=odd.strip(), summary=odd * 3,
                  skills=(odd, "NULL", "", "a,b", "{x}", '"'), city="\\N")


def test_next_ids_hands_out_fresh_ids_in_ascending_order(uow_factory):
    with uow_factory() as uow:
        single = uow.candidates.next_id()
        many = list(uow.candidates.next_ids(5))
        assert uow.candidates.next_ids(0) == []
    assert many == sorted(many)
    assert len({single, *many}) == 6


def test_added_many_read_back_equal_by_id_and_by_external_id(uow_factory):
    with uow_factory() as uow:
        first, second = uow.candidates.next_ids(2)
        added = [_awkward(first, "crm-0042"),
                 _plain(second, "crm-0043", phone=None, city=None, country_id=None,
                        skills=(), preferred_country_ids=frozenset(), hidden=False)]
        uow.candidates.add_many(added)
        uow.candidates.add_many([])
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert sorted(uow.candidates.get_many([first, second]), key=lambda c: c.id) == added
        assert uow.candidates.find_by_external_id("crm-0043") == added[1]


def test_find_by_external_ids_reads_the_stored_ones_among_them(uow_factory, seed):
    first, hidden = seed.candidate("crm-a"), seed.candidate("crm-b", hidden=True)
    with uow_factory(read_only=True) as uow:
        found = uow.candidates.find_by_external_ids(["crm-b", "crm-z", "CRM-A", "crm-a", "crm-a"])
        assert sorted(found, key=lambda c: c.id) == [first, hidden]
        assert uow.candidates.find_by_external_ids([]) == []


def test_find_by_external_ids_sees_what_its_unit_of_work_added(uow_factory):
    with uow_factory() as uow:
        [candidate_id] = uow.candidates.next_ids(1)
        uow.candidates.add_many([_plain(candidate_id, "crm-new")])
        assert [c.id for c in uow.candidates.find_by_external_ids(["crm-new"])] == [candidate_id]


def test_save_many_stores_each_changed_candidate_and_adds_unknown_ones(uow_factory, seed):
    first, second, untouched = seed.candidate("crm-1"), seed.candidate("crm-2"), seed.candidate()
    with uow_factory() as uow:
        [new_id] = uow.candidates.next_ids(1)
        saved = [attrs.evolve(first, headline="CIO", skills=("Budgets",), hidden=True),
                 attrs.evolve(second, city="Leeds", preferred_country_ids=frozenset({826})),
                 _awkward(new_id, "crm-3")]
        uow.candidates.save_many(saved)
        uow.candidates.save_many([])
        uow.commit()
    with uow_factory(read_only=True) as uow:
        found = uow.candidates.get_many([first.id, second.id, new_id, untouched.id])
        assert sorted(found, key=lambda c: c.id) == sorted([*saved, untouched], key=lambda c: c.id)


def test_bulk_writes_left_uncommitted_are_not_kept(uow_factory, seed):
    stored = seed.candidate("crm-kept")
    with uow_factory() as uow:
        [new_id] = uow.candidates.next_ids(1)
        uow.candidates.add_many([_plain(new_id, "crm-dropped")])
        uow.candidates.save_many([attrs.evolve(stored, headline="CTO")])
    with uow_factory(read_only=True) as uow:
        assert uow.candidates.find_by_external_ids(["crm-kept", "crm-dropped"]) == [stored]


def test_latest_holds_the_employers_unlocks_of_the_asked_candidates(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    first, second, never = seed.candidate(), seed.candidate(), seed.candidate()
    mine = Unlock(acme.id, first.id, T0)
    also_mine = Unlock(acme.id, second.id, T0 + timedelta(hours=1))
    theirs = Unlock(other.id, never.id, T0)
    with uow_factory() as uow:
        for unlock in (mine, also_mine, theirs):
            uow.unlocks.open_window(unlock)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.unlocks.latest(acme.id, [first.id, second.id, never.id]) == {
            first.id: mine, second.id: also_mine,
        }
        assert uow.unlocks.latest(acme.id, [second.id]) == {second.id: also_mine}
        assert uow.unlocks.latest(other.id, [first.id, second.id]) == {}
        assert uow.unlocks.latest(acme.id, []) == {}


def test_a_window_opens_only_when_none_is_active(uow_factory, seed):
    employer = seed.employer()
    candidate = seed.candidate()
    first = Unlock(employer.id, candidate.id, T0)
    inside = Unlock(employer.id, candidate.id, T0 + timedelta(days=30) - timedelta(seconds=1))
    after = Unlock(employer.id, candidate.id, T0 + timedelta(days=30))
    for attempt, in_force, opened in (
        (first, first, True), (first, first, False), (inside, first, False),
        (after, after, True), (inside, after, False),
    ):
        with uow_factory() as uow:
            assert uow.unlocks.open_window(attempt) == (in_force, opened)
            uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.unlocks.latest(employer.id, [candidate.id]) == {candidate.id: after}


def test_an_unlock_left_uncommitted_is_not_kept(uow_factory, seed):
    employer = seed.employer()
    candidate = seed.candidate()
    with uow_factory() as uow:
        uow.unlocks.open_window(Unlock(employer.id, candidate.id, T0))
    with uow_factory(read_only=True) as uow:
        assert uow.unlocks.latest(employer.id, [candidate.id]) == {}


def test_find_by_email_ignores_letter_case_and_takes_the_lowest_id(uow_factory, seed):
    first = seed.candidate()
    second = seed.candidate()
    with uow_factory(read_only=True) as uow:
        assert uow.candidates.find_by_email(" PAT@Example.com ") == first
        assert uow.candidates.find_by_email("someone@example.com") is None
    assert second.email == first.email
