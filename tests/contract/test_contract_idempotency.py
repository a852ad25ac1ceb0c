"""The IdempotencyRepository contract, on every adapter."""

from datetime import timedelta

from itmj_domain.idempotency import IdempotentRequest, StoredResponse
from tests.contract.seed import T0

DAY = timedelta(hours=24)
ANSWER = StoredResponse(201, b'{"id":1}', (("Content-Type", "application/json"),
                                          ("Location", "/api/v1/jobs/1")))


def request_of(seed, key: str = "k", fingerprint: str = "f1") -> IdempotentRequest:
    api_key = seed.key(seed.employer().id)
    return IdempotentRequest(api_key.id, key, fingerprint)


def claim(uow_factory, request, now=T0, *, commit_with=None):
    with uow_factory() as uow:
        found = uow.idempotency.claim(request, now, now - DAY)
        if commit_with is not None:
            uow.idempotency.complete(request, commit_with)
            uow.commit()
    return found


def test_a_new_key_is_claimed_and_its_answer_found_later(uow_factory, seed):
    request = request_of(seed)
    assert claim(uow_factory, request, commit_with=ANSWER) is None
    found = claim(uow_factory, request, T0 + timedelta(hours=1))
    assert found.request == request
    assert found.created_at == T0
    assert found.response == ANSWER


def test_the_stored_fingerprint_is_returned_for_another_request(uow_factory, seed):
    request = request_of(seed)
    claim(uow_factory, request, commit_with=ANSWER)
    other = IdempotentRequest(request.api_key_id, request.key, "f2")
    assert claim(uow_factory, other).request.fingerprint == "f1"


def test_a_record_keeps_the_fingerprint_alone_not_the_raw_one(uow_factory, seed):
    request = IdempotentRequest(request_of(seed).api_key_id, "k", "json:f1", "f1-raw")
    claim(uow_factory, request, commit_with=ANSWER)
    found = claim(uow_factory, request)
    assert (found.request.fingerprint, found.request.raw_fingerprint) == ("json:f1", None)


def test_a_claim_left_without_commit_leaves_nothing(uow_factory, seed):
    request = request_of(seed)
    assert claim(uow_factory, request) is None
    assert claim(uow_factory, request, commit_with=ANSWER) is None
    assert claim(uow_factory, request).response == ANSWER


def test_keys_are_per_api_key(uow_factory, seed):
    mine = request_of(seed)
    theirs = request_of(seed)
    claim(uow_factory, mine, commit_with=ANSWER)
    assert claim(uow_factory, theirs) is None


def test_an_expired_record_is_replaced(uow_factory, seed):
    request = request_of(seed)
    claim(uow_factory, request, commit_with=ANSWER)
    assert claim(uow_factory, request, T0 + DAY - timedelta(microseconds=1)) is not None
    later = StoredResponse(200, b"{}", ())
    assert claim(uow_factory, request, T0 + DAY, commit_with=later) is None
    found = claim(uow_factory, request, T0 + DAY + timedelta(seconds=1))
    assert (found.created_at, found.response) == (T0 + DAY, later)


def test_expired_records_are_deleted_in_batches(uow_factory, seed):
    api_key = seed.key(seed.employer().id)
    for number in range(5):
        claim(uow_factory, IdempotentRequest(api_key.id, f"k{number}", "f"),
              T0 + timedelta(minutes=number), commit_with=ANSWER)
    with uow_factory() as uow:
        assert uow.idempotency.delete_expired(T0 + timedelta(minutes=3), 2) == 2
        uow.commit()
    with uow_factory() as uow:
        assert uow.idempotency.delete_expired(T0 + timedelta(minutes=3), 10) == 2
        uow.commit()
    remaining = claim(uow_factory, IdempotentRequest(api_key.id, "k4", "f"), T0 + DAY)
    assert remaining.response == ANSWER
    assert claim(uow_factory, IdempotentRequest(api_key.id, "k0", "f"), T0 + DAY) is None
