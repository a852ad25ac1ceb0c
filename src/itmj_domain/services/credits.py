"""Grants, contracts and balances; ``charge`` is what paid actions call inside their own
unit of work, so the debit commits with the effect it pays for or not at all."""

from collections.abc import Sequence
from datetime import datetime

import attrs

from itmj_domain import credits
from itmj_domain.clock import Clock
from itmj_domain.credits import (
    Balance,
    Charge,
    Contract,
    CreditKind,
    EntryReason,
    LedgerEntry,
)
from itmj_domain.errors import NoCredits, NotFound
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.ports import NO_METRICS, Metrics, UnitOfWork, UnitOfWorkFactory

RECENT_ENTRIES = 5


def employer_balance(uow: UnitOfWork, employer_id: int, now: datetime) -> Balance:
    unlimited = frozenset(
        kind for contract in uow.contracts.active_for(employer_id, now) for kind in contract.kinds
    )
    return Balance(uow.ledger.balances(employer_id), unlimited)


def charge(
    uow: UnitOfWork,
    employer_id: int,
    kind: CreditKind,
    reason: EntryReason,
    reference: str,
    now: datetime,
    metrics: Metrics = NO_METRICS,
) -> Charge:
    """Write the entry paying for one use; raises ``NoCredits`` when nothing covers it, and
    counts that refusal. The caller counts the debit once its unit of work commits."""
    try:
        entry = credits.debit(
            uow.ledger.next_id(), employer_id, kind, reason, reference, now,
            uow.contracts.active_for(employer_id, now),
        )
        remaining = uow.ledger.append(entry)
    except NoCredits:
        metrics.payment_refused(kind)
        raise
    return Charge(kind, -entry.amount, None if entry.contract_id is not None else remaining)


def free_use(uow: UnitOfWork, employer_id: int, kind: CreditKind, now: datetime) -> Charge:
    """What a use that costs nothing (a view within an unlock window) reports: the balance
    it leaves as the same unit of work reads it."""
    if any(c.covers(kind, now) for c in uow.contracts.active_for(employer_id, now)):
        return Charge(kind, 0, None)
    return Charge(kind, 0, uow.ledger.balances(employer_id)[kind])


@attrs.frozen
class AccountOverview:
    """What an employer's overview shows: balances, the contracts in force, the latest
    ledger entries (newest first)."""

    balance: Balance
    contracts: Sequence[Contract]
    recent: Sequence[LedgerEntry]


@attrs.frozen
class CreditStanding:
    """What ``GET /api/v1/credits`` reports: the balance of each kind and the contracts in
    force now."""

    balance: Balance
    contracts: Sequence[Contract]

    def covered_until(self, kind: CreditKind) -> datetime | None:
        """When the last contract in force that covers ``kind`` ends; None when none does.
        A contract that only starts later is not counted."""
        return max((c.valid_until for c in self.contracts if kind in c.kinds), default=None)


@attrs.frozen
class Credits:
    uow: UnitOfWorkFactory
    clock: Clock

    def grant(self, employer_id: int, kind: CreditKind, amount: int,
              reference: str | None = None) -> LedgerEntry:
        with self.uow() as uow:
            _require_employer(uow, employer_id)
            entry = credits.grant(
                uow.ledger.next_id(), employer_id, kind, amount, self.clock.now(), reference
            )
            uow.ledger.append(entry)
            uow.commit()
        return entry

    def add_contract(self, employer_id: int, kinds: frozenset[CreditKind],
                     valid_from: datetime, valid_until: datetime) -> Contract:
        with self.uow() as uow:
            _require_employer(uow, employer_id)
            contract = Contract(
                uow.contracts.next_id(), employer_id, kinds, valid_from, valid_until
            )
            uow.contracts.add(contract)
            uow.commit()
        return contract

    def balance(self, employer_id: int) -> Balance:
        with self.uow(read_only=True) as uow:
            _require_employer(uow, employer_id)
            return employer_balance(uow, employer_id, self.clock.now())

    def standing(self, employer_id: int) -> CreditStanding:
        now = self.clock.now()
        with self.uow(read_only=True) as uow:
            _require_employer(uow, employer_id)
            contracts = uow.contracts.active_for(employer_id, now)
            unlimited = frozenset(kind for contract in contracts for kind in contract.kinds)
            return CreditStanding(Balance(uow.ledger.balances(employer_id), unlimited), contracts)

    def entries(self, employer_id: int) -> Sequence[LedgerEntry]:
        with self.uow(read_only=True) as uow:
            _require_employer(uow, employer_id)
            return uow.ledger.entries(employer_id)

    def history(self, employer_id: int, page: PageRequest) -> Page[LedgerEntry]:
        """Every grant and debit, newest first."""
        with self.uow(read_only=True) as uow:
            _require_employer(uow, employer_id)
            return uow.ledger.history(employer_id, page)

    def contracts(self, employer_id: int) -> Sequence[Contract]:
        with self.uow(read_only=True) as uow:
            _require_employer(uow, employer_id)
            return uow.contracts.list_for_employer(employer_id)

    def overview(self, employer_id: int) -> AccountOverview:
        now = self.clock.now()
        with self.uow(read_only=True) as uow:
            _require_employer(uow, employer_id)
            return AccountOverview(
                employer_balance(uow, employer_id, now),
                uow.contracts.active_for(employer_id, now),
                uow.ledger.history(employer_id, PageRequest(1, RECENT_ENTRIES)).items,
            )


def _require_employer(uow: UnitOfWork, employer_id: int) -> None:
    if uow.employers.get(employer_id) is None:
        raise NotFound(f"employer {employer_id} not found")
