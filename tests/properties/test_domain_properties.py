"""Rules that hold for every input, not only the examples (hypothesis, bounded for CI)."""

import itertools
import threading
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from itmj_adapters.clock import ManualClock
from itmj_adapters.memory.unit_of_work import MemoryUnitOfWorkFactory
from itmj_adapters.testing import RecordingNotifier
from itmj_domain import api_keys
from itmj_domain.api_keys import KeyStatus, Scope
from itmj_domain.credits import CreditKind, EntryReason, sum_entries
from itmj_domain.errors import NoCredits
from itmj_domain.services.accounts import Accounts
from itmj_domain.services.credits import Credits, charge
from itmj_domain.unlocks import MASK, mask_name
from itmj_domain.webhooks.deliveries import Delivery, DeliveryStatus
from itmj_domain.webhooks.retry_policy import RetryPolicy

NOW = datetime(2026, 3, 1, tzinfo=UTC)
BOUNDED = settings(max_examples=60, deadline=None)

operations = st.lists(
    st.one_of(
        st.tuples(st.just("grant"), st.sampled_from(CreditKind), st.integers(1, 5)),
        st.tuples(st.just("debit"), st.sampled_from(CreditKind), st.just(1)),
    ),
    max_size=40,
)


@BOUNDED
@given(operations)
def test_the_balance_is_the_sum_of_the_ledger_and_never_negative(ops):
    uow = MemoryUnitOfWorkFactory()
    credits = Credits(uow, ManualClock(NOW))
    employer = Accounts(uow, ManualClock(NOW), RecordingNotifier()).create_employer("Acme")
    for op, kind, amount in ops:
        if op == "grant":
            credits.grant(employer.id, kind, amount)
            continue
        try:
            with uow() as tx:
                charge(tx, employer.id, kind, EntryReason.CV_SEARCH, "search:x", NOW)
                tx.commit()
        except NoCredits:
            pass
        balance = credits.balance(employer.id).credits
        assert balance == sum_entries(credits.entries(employer.id))
        assert all(amount >= 0 for amount in balance.values())


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 12), st.integers(1, 30))
def test_concurrent_debits_never_overdraw(credits_left, attempts):
    uow = MemoryUnitOfWorkFactory()
    employer = Accounts(uow, ManualClock(NOW), RecordingNotifier()).create_employer("Acme")
    if credits_left:
        Credits(uow, ManualClock(NOW)).grant(employer.id, CreditKind.JOB_POSTING, credits_left)
    succeeded = []

    def debit() -> None:
        try:
            with uow() as tx:
                charge(tx, employer.id, CreditKind.JOB_POSTING, EntryReason.JOB_PUBLISH,
                       "job:1", NOW)
                tx.commit()
            succeeded.append(1)
        except NoCredits:
            pass

    threads = [threading.Thread(target=debit) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(succeeded) == min(credits_left, attempts)
    balance = Credits(uow, ManualClock(NOW)).balance(employer.id)
    assert balance.available(CreditKind.JOB_POSTING) == credits_left - len(succeeded)


@BOUNDED
@given(st.text(max_size=80))
def test_a_masked_name_reveals_one_character_per_part(name):
    masked = mask_name(name)
    parts = name.split()
    assert masked.split() == [part[0] + MASK for part in parts]
    revealed = masked.replace(MASK, "").replace(" ", "")
    assert len(revealed) == len(parts)


@BOUNDED
@given(st.lists(st.floats(0.001, 1e6, allow_nan=False), min_size=1, max_size=12))
def test_attempts_strictly_increase_and_the_last_failure_dead_letters(seconds):
    policy = RetryPolicy(tuple(timedelta(seconds=s) for s in seconds))
    delivery, now, attempts = Delivery("d", 1, "e", NOW, NOW), NOW, []
    while delivery.status is DeliveryStatus.PENDING:
        attempts.append(now)
        delivery = delivery.failed(now, "HTTP 500", policy)
        now = delivery.next_attempt_at
    assert len(attempts) == len(seconds) + 1 == policy.max_attempts
    assert all(a < b for a, b in itertools.pairwise(attempts))
    assert delivery.status is DeliveryStatus.DEAD
    assert delivery.attempts == policy.max_attempts


@BOUNDED
@given(
    st.sets(st.sampled_from(Scope), min_size=1).map(frozenset),
    st.booleans(),
    st.booleans(),
)
def test_a_cv_search_key_is_auto_approved_only_for_trusted_partners(scopes, trusted, credit):
    status = api_keys.initial_status(scopes, trusted, credit)
    if Scope.CV_SEARCH in scopes and not trusted:
        assert status is KeyStatus.PENDING_APPROVAL
    if trusted:
        assert status is KeyStatus.ACTIVE


@settings(max_examples=15)
@given(st.lists(operations, min_size=2, max_size=4))
def test_concurrent_grants_and_debits_keep_the_balance_the_sum_of_the_ledger(programs):
    """Each thread runs its own mix of grants and debits; every balance anyone reads on the
    way is never negative, and at the end the ledger holds exactly what succeeded."""
    uow = MemoryUnitOfWorkFactory()
    credits = Credits(uow, ManualClock(NOW))
    employer = Accounts(uow, ManualClock(NOW), RecordingNotifier()).create_employer("Acme")
    granted = dict.fromkeys(CreditKind, 0)
    debited = dict.fromkeys(CreditKind, 0)
    seen: list[dict[CreditKind, int]] = []
    tally = threading.Lock()

    def run(program) -> None:
        for op, kind, amount in program:
            if op == "grant":
                credits.grant(employer.id, kind, amount)
                with tally:
                    granted[kind] += amount
            else:
                try:
                    with uow() as tx:
                        charge(tx, employer.id, kind, EntryReason.CV_SEARCH, "search:x", NOW)
                        tx.commit()
                    with tally:
                        debited[kind] += 1
                except NoCredits:
                    pass
            seen.append(credits.balance(employer.id).credits)

    threads = [threading.Thread(target=run, args=(program,)) for program in programs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(amount >= 0 for balance in seen for amount in balance.values())
    entries = credits.entries(employer.id)
    assert credits.balance(employer.id).credits == sum_entries(entries)
    assert sum_entries(entries) == {kind: granted[kind] - debited[kind] for kind in CreditKind}
    assert sum(entry.is_debit for entry in entries) == sum(debited.values())


@BOUNDED
@given(
    st.sets(st.sampled_from(Scope), min_size=1).map(frozenset),
    st.booleans(),
    st.none() | st.sampled_from(CreditKind),
    st.none() | st.tuples(st.sets(st.sampled_from(CreditKind), min_size=1), st.booleans()),
)
def test_minting_approves_a_cv_search_key_at_once_only_for_a_trusted_partner(
    scopes, trusted, granted, contract
):
    uow, clock = MemoryUnitOfWorkFactory(), ManualClock(NOW)
    accounts = Accounts(uow, clock, RecordingNotifier())
    employer = accounts.create_employer("Acme", trusted_partner=trusted)
    if granted is not None:
        Credits(uow, clock).grant(employer.id, granted, 1)
    if contract is not None:
        kinds, current = contract
        start = NOW - timedelta(days=30) if current else NOW - timedelta(days=60)
        Credits(uow, clock).add_contract(
            employer.id, frozenset(kinds), start, start + timedelta(days=31)
        )
    covered = granted is not None or (contract is not None and contract[1])

    status = accounts.mint_key(employer.id, "ATS", scopes).key.status

    if Scope.CV_SEARCH in scopes and not trusted:
        assert status is KeyStatus.PENDING_APPROVAL
    assert (status is KeyStatus.ACTIVE) == (
        trusted or (Scope.CV_SEARCH not in scopes and covered)
    )
