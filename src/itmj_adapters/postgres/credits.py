"""The credit ledger and contracts in PostgreSQL."""

from collections.abc import Sequence
from datetime import datetime

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.session import Session
from itmj_domain.credits import Contract, CreditKind, LedgerEntry
from itmj_domain.errors import NoCredits
from itmj_domain.pagination import Page, PageRequest

_INSERT_ENTRY = (
    f"INSERT INTO ledger_entries ({rows.LEDGER_ENTRY_COLUMNS})"
    f" VALUES ({rows.LEDGER_ENTRY_PLACEHOLDERS})"
)
_ADD_TO_BALANCE = """
INSERT INTO credit_balances (employer_id, kind, balance) VALUES (%s, %s, %s)
ON CONFLICT (employer_id, kind) DO UPDATE SET balance = credit_balances.balance + excluded.balance
RETURNING balance
"""
# The guard and the change are one statement on one row: a concurrent debit waits for the
# row lock, then re-evaluates the guard against the balance the other one committed.
_TAKE_FROM_BALANCE = """
UPDATE credit_balances SET balance = balance + %s
WHERE employer_id = %s AND kind = %s AND balance + %s >= 0
RETURNING balance
"""
_SELECT_BALANCES = "SELECT kind, balance FROM credit_balances WHERE employer_id = %s"
_SELECT_ENTRIES = (
    f"SELECT {rows.LEDGER_ENTRY_COLUMNS} FROM ledger_entries WHERE employer_id = %s ORDER BY id"
)
_HISTORY = f"""
SELECT count(*) OVER (), {rows.LEDGER_ENTRY_COLUMNS} FROM ledger_entries WHERE employer_id = %s
ORDER BY id DESC LIMIT %s OFFSET %s
"""
_COUNT_ENTRIES = "SELECT count(*) FROM ledger_entries WHERE employer_id = %s"


class PostgresLedger:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("ledger_entries_id_seq")

    def append(self, entry: LedgerEntry) -> int:
        kind = entry.kind.value
        if entry.amount < 0:
            balance = self._session.write_all(
                _TAKE_FROM_BALANCE, (entry.amount, entry.employer_id, kind, entry.amount)
            )
            if not balance:
                raise NoCredits(f"no {entry.kind.value} credits left")
        else:
            balance = self._session.write_all(
                _ADD_TO_BALANCE, (entry.employer_id, kind, entry.amount)
            )
        self._session.write(_INSERT_ENTRY, rows.ledger_entry_row(entry))
        return int(balance[0][0])

    def balances(self, employer_id: int) -> dict[CreditKind, int]:
        stored = dict(self._session.all(_SELECT_BALANCES, (employer_id,)))
        return {kind: stored.get(kind.value, 0) for kind in CreditKind}

    def entries(self, employer_id: int) -> Sequence[LedgerEntry]:
        found = self._session.all(_SELECT_ENTRIES, (employer_id,))
        return [rows.ledger_entry(row) for row in found]

    def history(self, employer_id: int, page: PageRequest) -> Page[LedgerEntry]:
        found, total = self._session.page(
            _HISTORY, _COUNT_ENTRIES, (employer_id,), page.page_size, page.offset
        )
        return Page([rows.ledger_entry(row) for row in found], total, page)


_INSERT_CONTRACT = (
    f"INSERT INTO contracts ({rows.CONTRACT_COLUMNS}) VALUES ({rows.CONTRACT_PLACEHOLDERS})"
)
_SELECT_ACTIVE_CONTRACTS = f"""
SELECT {rows.CONTRACT_COLUMNS} FROM contracts
WHERE employer_id = %s AND valid_from <= %s AND %s < valid_until
ORDER BY id
"""


_SELECT_EMPLOYER_CONTRACTS = f"""
SELECT {rows.CONTRACT_COLUMNS} FROM contracts WHERE employer_id = %s
ORDER BY valid_from DESC, id DESC
"""


class PostgresContracts:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_id(self) -> int:
        return self._session.next_id("contracts_id_seq")

    def add(self, contract: Contract) -> None:
        self._session.write(_INSERT_CONTRACT, rows.contract_row(contract))

    def list_for_employer(self, employer_id: int) -> Sequence[Contract]:
        found = self._session.all(_SELECT_EMPLOYER_CONTRACTS, (employer_id,))
        return [rows.contract(row) for row in found]

    def active_for(self, employer_id: int, at: datetime) -> Sequence[Contract]:
        found = self._session.all(_SELECT_ACTIVE_CONTRACTS, (employer_id, at, at))
        return [rows.contract(row) for row in found]
