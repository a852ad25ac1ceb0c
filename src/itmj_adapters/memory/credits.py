"""In-memory credit ledger and contracts."""

from collections.abc import Sequence
from datetime import datetime

from itmj_adapters.memory.store import Transaction
from itmj_domain.credits import Contract, CreditKind, LedgerEntry
from itmj_domain.errors import NoCredits
from itmj_domain.pagination import Page, PageRequest


class MemoryLedger:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def next_id(self) -> int:
        return self._tx.store.next_id("ledger")

    def append(self, entry: LedgerEntry) -> int:
        account = (entry.employer_id, entry.kind)
        balance = self._tx.table("balances").get(account, 0) + entry.amount
        if balance < 0:
            raise NoCredits(f"no {entry.kind.value} credits left")
        self._tx.put("balances", account, balance)
        self._tx.put("ledger", entry.id, entry)
        return balance

    def balances(self, employer_id: int) -> dict[CreditKind, int]:
        balances = self._tx.table("balances")
        return {kind: balances.get((employer_id, kind), 0) for kind in CreditKind}

    def entries(self, employer_id: int) -> Sequence[LedgerEntry]:
        return sorted(
            (e for e in self._tx.table("ledger").values() if e.employer_id == employer_id),
            key=lambda e: e.id,
        )

    def history(self, employer_id: int, page: PageRequest) -> Page[LedgerEntry]:
        newest_first = list(reversed(self.entries(employer_id)))
        return Page(
            newest_first[page.offset : page.offset + page.page_size], len(newest_first), page
        )


class MemoryContracts:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def next_id(self) -> int:
        return self._tx.store.next_id("contracts")

    def add(self, contract: Contract) -> None:
        self._tx.put("contracts", contract.id, contract)

    def list_for_employer(self, employer_id: int) -> Sequence[Contract]:
        return sorted(
            (c for c in self._tx.table("contracts").values() if c.employer_id == employer_id),
            key=lambda c: (c.valid_from, c.id),
            reverse=True,
        )

    def active_for(self, employer_id: int, at: datetime) -> Sequence[Contract]:
        return sorted(
            (
                c
                for c in self._tx.table("contracts").values()
                if c.employer_id == employer_id and c.valid_from <= at < c.valid_until
            ),
            key=lambda c: c.id,
        )
