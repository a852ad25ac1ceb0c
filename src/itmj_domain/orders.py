"""Credit bundles on offer, and the orders that buy them.

An order records the bundle as it was offered (kind, credits, price), so a later change of the
catalogue never rewrites what someone bought. It waits as Pending until platform staff confirm
it (which grants its credits, once) or reject it; the employer may cancel it while it waits.
"""

import enum
from collections.abc import Sequence
from datetime import datetime

import attrs

from itmj_domain.credits import CreditKind
from itmj_domain.errors import InvalidInput, InvalidState


@attrs.frozen
class Bundle:
    code: str
    kind: CreditKind
    credits: int
    price_pence: int
    currency: str = "GBP"


# Bigger bundles cost less per credit; a job posting is the dearest credit, a search the cheapest.
BUNDLES: Sequence[Bundle] = (
    Bundle("job-posting-5", CreditKind.JOB_POSTING, 5, 49_500),
    Bundle("job-posting-20", CreditKind.JOB_POSTING, 20, 179_000),
    Bundle("job-posting-50", CreditKind.JOB_POSTING, 50, 395_000),
    Bundle("cv-search-25", CreditKind.CV_SEARCH, 25, 12_500),
    Bundle("cv-search-100", CreditKind.CV_SEARCH, 100, 45_000),
    Bundle("cv-search-500", CreditKind.CV_SEARCH, 500, 195_000),
    Bundle("cv-download-10", CreditKind.CV_DOWNLOAD, 10, 15_000),
    Bundle("cv-download-50", CreditKind.CV_DOWNLOAD, 50, 65_000),
    Bundle("cv-download-200", CreditKind.CV_DOWNLOAD, 200, 220_000),
)


def bundle(code: str) -> Bundle:
    for offered in BUNDLES:
        if offered.code == code:
            return offered
    raise InvalidInput(f"no bundle {code!r} is on offer", field="bundle")


class OrderStatus(enum.Enum):
    PENDING = "Pending"
    CONFIRMED = "Confirmed"
    REJECTED = "Rejected"
    CANCELLED = "Cancelled"


@attrs.frozen
class CreditOrder:
    id: int
    employer_id: int
    bundle: Bundle
    ordered_by: int | None
    created_at: datetime
    status: OrderStatus = OrderStatus.PENDING
    decided_at: datetime | None = None
    # The grant that paid the order out: set when, and only when, it is Confirmed.
    ledger_entry_id: int | None = None

    @property
    def reference(self) -> str:
        """What the grant paying out this order names as its source in the ledger."""
        return f"order:{self.id}"

    def confirm(self, now: datetime, ledger_entry_id: int) -> "CreditOrder":
        self._require_pending("confirmed")
        return attrs.evolve(
            self, status=OrderStatus.CONFIRMED, decided_at=now, ledger_entry_id=ledger_entry_id
        )

    def reject(self, now: datetime) -> "CreditOrder":
        self._require_pending("rejected")
        return attrs.evolve(self, status=OrderStatus.REJECTED, decided_at=now)

    def cancel(self, now: datetime) -> "CreditOrder":
        self._require_pending("cancelled")
        return attrs.evolve(self, status=OrderStatus.CANCELLED, decided_at=now)

    def _require_pending(self, change: str) -> None:
        if self.status is not OrderStatus.PENDING:
            raise InvalidState(
                f"order {self.id} is {self.status.value}: only a Pending order can be {change}"
            )
