"""Idempotent writes through the real composition root, on every backend: a retry with the same
key gets the first answer and the write happens, and is paid for, once; the same key with
another request is refused; keys are forgotten after 24 hours."""

from datetime import timedelta

import pytest

from itmj_domain.api_keys import Scope
from itmj_domain.credits import CreditKind
from itmj_domain.errors import InvalidInput
from itmj_domain.idempotency import (
    MAX_KEY_LENGTH,
    RETENTION,
    AlreadyAnswered,
    IdempotentRequest,
    StoredResponse,
    fingerprint,
    raw_fingerprint,
)
from itmj_domain.pagination import PageRequest
from itmj_domain.services.idempotency import SWEEP_BATCH, Idempotent
from tests.refusals import refused
from tests.use_cases.test_job_posting import CONTENT

BODY = b'{"title": "IT Manager"}'
JOBS = frozenset({Scope.JOB_POSTING})


def once(key: str, body: bytes = BODY, api_key_id: int = 1) -> Idempotent:
    request = IdempotentRequest(api_key_id, key, fingerprint("POST", "/api/v1/jobs", body))
    return Idempotent(request, lambda job: StoredResponse(201, f'{{"id": {job.id}}}'.encode()))


@pytest.fixture
def employer(services):
    return services.accounts.create_employer("Acme", trusted_partner=True)


@pytest.fixture
def key_ids(services, employer) -> list[int]:
    """Keys belong to an API key, which must exist."""
    return [services.accounts.mint_key(employer.id, name, JOBS).key.id for name in ("a", "b")]


def test_a_retry_gets_the_first_answer_and_writes_nothing(services, employer, key_ids):
    first = services.jobs.create(employer.id, CONTENT, once=once("k-1", api_key_id=key_ids[0]))
    with pytest.raises(AlreadyAnswered) as retried:
        services.jobs.create(employer.id, CONTENT, once=once("k-1", api_key_id=key_ids[0]))
    assert retried.value.response == StoredResponse(201, f'{{"id": {first.id}}}'.encode())
    assert services.jobs.list(employer.id, None, PageRequest()).total == 1


def test_a_publish_retried_is_paid_once(services, employer, key_ids):
    services.credits.grant(employer.id, CreditKind.JOB_POSTING, 2)
    job = services.jobs.create(employer.id, CONTENT)
    publish = once("p-1", b"publish", key_ids[0])
    services.jobs.publish(employer.id, job.id, once=publish)
    with pytest.raises(AlreadyAnswered) as retried:
        services.jobs.publish(employer.id, job.id, once=publish)
    assert retried.value.response == StoredResponse(201, f'{{"id": {job.id}}}'.encode())
    assert services.credits.balance(employer.id).available(CreditKind.JOB_POSTING) == 1


def test_the_same_key_with_another_request_is_refused(services, employer, key_ids):
    services.jobs.create(employer.id, CONTENT, once=once("k-1", api_key_id=key_ids[0]))
    with refused(InvalidInput):
        services.jobs.create(
            employer.id, CONTENT, once=once("k-1", b'{"title": "CTO"}', key_ids[0])
        )
    assert services.jobs.list(employer.id, None, PageRequest()).total == 1


def test_keys_belong_to_the_api_key_that_sent_them(services, employer, key_ids):
    for key_id in key_ids:
        services.jobs.create(employer.id, CONTENT, once=once("k-1", api_key_id=key_id))
    assert services.jobs.list(employer.id, None, PageRequest()).total == 2


def test_keys_are_forgotten_after_24_hours(services, clock, employer, key_ids):
    services.jobs.create(employer.id, CONTENT, once=once("k-1", api_key_id=key_ids[0]))
    clock.advance(timedelta(hours=1))
    services.jobs.create(employer.id, CONTENT, once=once("k-2", api_key_id=key_ids[0]))
    clock.advance(timedelta(hours=23, seconds=1))
    assert services.idempotency_expiry.expire() == 1
    assert services.idempotency_expiry.expire() == 0
    with pytest.raises(AlreadyAnswered):
        services.jobs.create(employer.id, CONTENT, once=once("k-2", api_key_id=key_ids[0]))
    services.jobs.create(employer.id, CONTENT, once=once("k-1", api_key_id=key_ids[0]))
    assert services.jobs.list(employer.id, None, PageRequest()).total == 3


def test_the_sweep_counts_every_batch_it_deletes(services, clock, key_ids):
    answer = StoredResponse(201, b"{}")
    with services.uow() as uow:
        for n in range(SWEEP_BATCH + 1):
            request = once(f"k-{n}", api_key_id=key_ids[0]).request
            assert uow.idempotency.claim(request, clock.now(), clock.now() - RETENTION) is None
            uow.idempotency.complete(request, answer)
        uow.commit()
    clock.advance(RETENTION)
    assert services.idempotency_expiry.expire() == SWEEP_BATCH + 1
    assert services.idempotency_expiry.expire() == 0


@pytest.mark.parametrize("key", ["", "k" * (MAX_KEY_LENGTH + 1)])
def test_a_key_is_1_to_255_characters(key):
    with refused(InvalidInput):
        once(key)
    assert once("k" * MAX_KEY_LENGTH).request.key == "k" * MAX_KEY_LENGTH


def test_the_fingerprint_covers_method_target_and_body_by_meaning():
    base = fingerprint("POST", "/api/v1/jobs", BODY)
    assert base == fingerprint("POST", "/api/v1/jobs", BODY)
    assert len({
        base,
        fingerprint("PUT", "/api/v1/jobs", BODY),
        fingerprint("POST", "/api/v1/jobs/1", BODY),
        fingerprint("POST", "/api/v1/jobs", b'{"title": "IT manager"}'),
        fingerprint("POST", "/api/v1/jobs", b'{"title": ["IT Manager"]}'),
        fingerprint("POST", "/api/v1/jobs", b""),
    }) == 6


@pytest.mark.parametrize("same", [
    b'{"title":"IT Manager"}',
    b' {\n  "title" :\t"IT Manager"\r\n} ',
    b'{"title": "IT \\u004danager"}',
])
def test_the_same_json_spelt_another_way_has_the_same_fingerprint(same):
    assert fingerprint("POST", "/api/v1/jobs", same) == fingerprint("POST", "/api/v1/jobs", BODY)


def test_keys_in_any_order_and_numbers_in_any_spelling_are_the_same_json():
    first = b'{"salaryMin": 50000, "title": "T\\u00e9", "tags": [1, {"b": 2, "a": 1}]}'
    again = '{"tags":[1.0,{"a":1,"b":2e0}],"title":"T\u00e9","salaryMin":5e4}'.encode()
    assert fingerprint("POST", "/x", first) == fingerprint("POST", "/x", again)
    assert fingerprint("POST", "/x", b'{"n": 1}') != fingerprint("POST", "/x", b'{"n": 1.5}')
    assert fingerprint("POST", "/x", b'{"n": 1}') != fingerprint("POST", "/x", b'{"n": "1"}')
    assert fingerprint("POST", "/x", b'[1, 2]') != fingerprint("POST", "/x", b'[2, 1]')


def test_a_record_fingerprinted_by_bytes_before_the_upgrade_still_matches_those_bytes():
    spaced = b'{"title":  "IT Manager"}'
    earlier = IdempotentRequest(1, "k", raw_fingerprint("POST", "/api/v1/jobs", spaced))
    retry = IdempotentRequest(1, "k", fingerprint("POST", "/api/v1/jobs", spaced),
                              raw_fingerprint("POST", "/api/v1/jobs", spaced))
    reordered = IdempotentRequest(1, "k", fingerprint("POST", "/api/v1/jobs", BODY),
                                  raw_fingerprint("POST", "/api/v1/jobs", BODY))
    assert retry.asks_as(earlier)
    assert not reordered.asks_as(earlier)
    assert reordered.asks_as(retry) and retry.asks_as(reordered)
