"""The credit ledger: grants, contracts and debits.

The ledger is append-only: a balance is the sum of its entries and is never negative.
A contract covers some kinds for a validity window; usage under it is still written to the
ledger, at zero cost, so the audit trail shows every paid-for action.
"""

import enum
from collections.abc import Iterable
from datetime import datetime

import attrs

from itmj_domain.errors import InvalidInput

MAX_GRANT = 1_000_000


class CreditKind(enum.Enum):
    JOB_POSTING = "JobPosting"
    CV_SEARCH = "CvSearch"
    CV_DOWNLOAD = "CvDownload"


class EntryReason(enum.Enum):
    GRANT = "Grant"
    JOB_PUBLISH = "JobPublish"
    CV_SEARCH = "CvSearch"
    CV_DOWNLOAD = "CvDownload"


@attrs.frozen
class LedgerEntry:
    """One movement of credits. ``amount`` is positive for a grant, -1 or 0 for a use."""

    id: int
    employer_id: int
    kind: CreditKind
    amount: int
    reason: EntryReason
    reference: str | None
    created_at: datetime
    contract_id: int | None = None

    @property
    def is_debit(self) -> bool:
        return self.reason is not EntryReason.GRANT


@attrs.frozen
class Contract:
    id: int
    employer_id: int
    kinds: frozenset[CreditKind]
    valid_from: datetime
    valid_until: datetime

    def __attrs_post_init__(self) -> None:
        if not self.kinds:
            raise InvalidInput("a contract must cover at least one kind", field="kinds")
        if self.valid_until <= self.valid_from:
            raise InvalidInput("valid_until must be after valid_from", field="valid_until")

    def covers(self, kind: CreditKind, at: datetime) -> bool:
        return kind in self.kinds and self.valid_from <= at < self.valid_until


@attrs.frozen
class Balance:
    """Credits left per kind, and the kinds an active contract makes unlimited."""

    credits: dict[CreditKind, int]
    unlimited: frozenset[CreditKind] = frozenset()

    def available(self, kind: CreditKind) -> int:
        return self.credits.get(kind, 0)

    @property
    def has_any(self) -> bool:
        return bool(self.unlimited) or any(n > 0 for n in self.credits.values())


@attrs.frozen
class Charge:
    """What one paid action cost (``charged`` credits, 0 when free) and the balance of its
    kind it left, as of its own transaction. ``remaining`` is None when a contract covers the
    kind: nothing is counted down then, and the balance says nothing about what is left."""

    kind: CreditKind
    charged: int
    remaining: int | None


def grant(entry_id: int, employer_id: int, kind: CreditKind, amount: int, at: datetime,
          reference: str | None = None) -> LedgerEntry:
    if not 1 <= amount <= MAX_GRANT:
        raise InvalidInput(f"amount must be between 1 and {MAX_GRANT}", field="amount")
    return LedgerEntry(entry_id, employer_id, kind, amount, EntryReason.GRANT, reference, at)


def debit(entry_id: int, employer_id: int, kind: CreditKind, reason: EntryReason,
          reference: str, at: datetime, contracts: Iterable[Contract]) -> LedgerEntry:
    """The entry that pays for one use: free under a covering contract, else one credit.

    Whether one credit is left is not decided here: the ledger port refuses an entry that
    would take a balance below zero, atomically with writing it.
    """
    covering = next((c for c in contracts if c.covers(kind, at)), None)
    if covering is not None:
        return LedgerEntry(entry_id, employer_id, kind, 0, reason, reference, at, covering.id)
    return LedgerEntry(entry_id, employer_id, kind, -1, reason, reference, at)


def sum_entries(entries: Iterable[LedgerEntry]) -> dict[CreditKind, int]:
    totals = dict.fromkeys(CreditKind, 0)
    for entry in entries:
        totals[entry.kind] += entry.amount
    return totals


def describe(entry: LedgerEntry) -> str:
    """What the entry paid for, or where granted credits came from, in words for people.

    Debits name the thing paid for in their reference (``job:12``, ``search:…``,
    ``candidate:7``); grants name their source (``order:3``, or free text such as ``demo``).
    """
    thing, _, ident = (entry.reference or "").partition(":")
    if entry.reason is EntryReason.GRANT:
        if thing == "order" and ident:
            text = f"Bundle order #{ident}"
        else:
            text = f"Granted ({entry.reference})" if entry.reference else "Granted"
    elif entry.reason is EntryReason.JOB_PUBLISH:
        text = f"Published job #{ident}" if thing == "job" else "Published a job"
    elif entry.reason is EntryReason.CV_SEARCH:
        text = "CV search"
    else:
        text = f"Unlocked the CV of candidate #{ident}" if thing == "candidate" else "Unlocked a CV"
    if entry.contract_id is not None:
        text += f", under contract #{entry.contract_id}"
    return text
