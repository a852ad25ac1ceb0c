"""The ApiKeyRepository contract, on every adapter."""

from datetime import timedelta

from itmj_domain import api_keys
from itmj_domain.api_keys import KeyStatus, Scope
from tests.contract.seed import T0


def test_an_added_key_reads_back_equal_by_id_and_by_hash(uow_factory, seed):
    employer = seed.employer()
    admin = seed.user(employer.id)
    with uow_factory() as uow:
        key = api_keys.mint(
            uow.api_keys.next_id(), employer.id, "Bullhorn",
            frozenset({Scope.JOB_POSTING, Scope.CV_SEARCH}), admin.id, T0,
            KeyStatus.PENDING_APPROVAL, expires_at=T0 + timedelta(days=365),
        ).key
        uow.api_keys.add(key)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.api_keys.get(key.id) == key
        assert uow.api_keys.find_by_hash(key.key_hash) == key


def test_every_scope_is_stored_and_read_back(uow_factory, seed):
    employer = seed.employer()
    with uow_factory() as uow:
        keys = [
            api_keys.mint(uow.api_keys.next_id(), employer.id, scope.value, frozenset({scope}),
                          None, T0, KeyStatus.ACTIVE).key
            for scope in Scope
        ]
        every = api_keys.mint(uow.api_keys.next_id(), employer.id, "all", frozenset(Scope),
                              None, T0, KeyStatus.ACTIVE).key
        for key in (*keys, every):
            uow.api_keys.add(key)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert [uow.api_keys.get(key.id) for key in (*keys, every)] == [*keys, every]


def test_unknown_ids_and_hashes_are_none(uow_factory, seed):
    key = seed.key(seed.employer().id)
    with uow_factory(read_only=True) as uow:
        assert uow.api_keys.get(key.id + 1) is None
        assert uow.api_keys.find_by_hash(api_keys.hash_key(api_keys.new_plaintext())) is None


def test_list_for_employer_holds_only_its_keys_in_id_order(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    first = seed.key(acme.id, "first")
    seed.key(other.id, "theirs")
    second = seed.key(acme.id, "second", KeyStatus.REVOKED)
    with uow_factory(read_only=True) as uow:
        assert list(uow.api_keys.list_for_employer(acme.id)) == [first, second]
        assert list(uow.api_keys.list_for_employer(other.id + 1)) == []


def test_save_stores_a_status_change(uow_factory, seed):
    key = seed.key(seed.employer().id, status=KeyStatus.PENDING_APPROVAL)
    approved = key.approve(T0 + timedelta(hours=3))
    with uow_factory() as uow:
        uow.api_keys.save(approved)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.api_keys.find_by_hash(key.key_hash) == approved
        assert uow.api_keys.get(key.id).approved_at == T0 + timedelta(hours=3)


def test_save_keeps_the_stored_last_use(uow_factory, seed):
    key = seed.key(seed.employer().id)
    used_at = T0 + timedelta(minutes=5)
    with uow_factory() as uow:
        uow.api_keys.touch(key.id, used_at)
        uow.commit()
    with uow_factory() as uow:
        uow.api_keys.save(key.revoke())
        uow.commit()
    with uow_factory(read_only=True) as uow:
        stored = uow.api_keys.get(key.id)
    assert stored.status is KeyStatus.REVOKED
    assert stored.last_used_at == used_at


def test_touch_only_moves_the_last_use_forward(uow_factory, seed):
    key = seed.key(seed.employer().id)
    later, earlier = T0 + timedelta(seconds=10), T0 + timedelta(seconds=3)

    def touch_and_read(at):
        with uow_factory() as uow:
            uow.api_keys.touch(key.id, at)
            uow.commit()
        with uow_factory(read_only=True) as uow:
            return uow.api_keys.get(key.id).last_used_at

    assert touch_and_read(later) == later
    assert touch_and_read(earlier) == later
    assert touch_and_read(later + timedelta(microseconds=1)) == later + timedelta(microseconds=1)


def test_touching_an_unknown_key_changes_nothing(uow_factory, seed):
    key = seed.key(seed.employer().id)
    with uow_factory() as uow:
        uow.api_keys.touch(key.id + 1, T0)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.api_keys.get(key.id + 1) is None
        assert uow.api_keys.get(key.id) == key


def test_touch_is_undone_with_its_unit_of_work(uow_factory, seed):
    key = seed.key(seed.employer().id)
    with uow_factory() as uow:
        uow.api_keys.touch(key.id, T0 + timedelta(seconds=1))
    with uow_factory(read_only=True) as uow:
        assert uow.api_keys.get(key.id).last_used_at is None


def test_touch_many_moves_each_key_forward_in_one_call(uow_factory, seed):
    employer = seed.employer()
    first, second = seed.key(employer.id), seed.key(employer.id)
    with uow_factory() as uow:
        uow.api_keys.touch(second.id, T0 + timedelta(seconds=30))
        uow.commit()
    with uow_factory() as uow:
        uow.api_keys.touch_many({
            first.id: T0 + timedelta(seconds=10),
            second.id: T0 + timedelta(seconds=20),
            second.id + 1: T0,
        })
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.api_keys.get(first.id).last_used_at == T0 + timedelta(seconds=10)
        assert uow.api_keys.get(second.id).last_used_at == T0 + timedelta(seconds=30)
        assert uow.api_keys.get(second.id + 1) is None


def test_pending_lists_every_employers_waiting_keys_oldest_first(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    later = seed.key(acme.id, "later", KeyStatus.PENDING_APPROVAL)
    seed.key(acme.id, "active", KeyStatus.ACTIVE)
    seed.key(other.id, "rejected", KeyStatus.REJECTED)
    with uow_factory() as uow:
        earlier = api_keys.mint(
            uow.api_keys.next_id(), other.id, "earlier", frozenset({Scope.CV_SEARCH}), None,
            T0 - timedelta(hours=1), KeyStatus.PENDING_APPROVAL,
        ).key
        uow.api_keys.add(earlier)
        uow.commit()
    same_time = seed.key(other.id, "same time", KeyStatus.PENDING_APPROVAL)
    with uow_factory(read_only=True) as uow:
        assert list(uow.api_keys.pending(10)) == [earlier, later, same_time]
        assert list(uow.api_keys.pending(1)) == [earlier]


def test_a_key_found_with_a_job_brings_only_its_own_employers_job(uow_factory, seed):
    acme, other = seed.employer("Acme"), seed.employer("Other")
    key = seed.key(acme.id)
    revoked = seed.key(acme.id, "old", KeyStatus.REVOKED)
    ours, theirs = seed.job(acme.id), seed.job(other.id)
    unknown = api_keys.hash_key(api_keys.new_plaintext())
    with uow_factory(read_only=True) as uow:
        find = uow.api_keys.find_by_hash_with_job
        assert find(key.key_hash, ours.id) == (key, ours)
        assert find(revoked.key_hash, ours.id) == (revoked, ours)
        assert find(key.key_hash, theirs.id) == (key, None)
        assert find(key.key_hash, theirs.id + 1) == (key, None)
        assert find(unknown, ours.id) == (None, None)
