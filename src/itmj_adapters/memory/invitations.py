"""In-memory team invitations."""

from collections.abc import Sequence
from datetime import datetime

from itmj_adapters.memory.store import Transaction
from itmj_domain.team import Invitation


class MemoryInvitations:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def next_id(self) -> int:
        return self._tx.store.next_id("invitations")

    def add(self, invitation: Invitation) -> None:
        self._tx.put("invitations", invitation.id, invitation)

    def find_by_token_hash(
        self, token_hash: str, *, for_update: bool = False
    ) -> Invitation | None:
        return next(
            (i for i in self._tx.table("invitations").values() if i.token_hash == token_hash),
            None,
        )

    def get(self, invitation_id: int, *, for_update: bool = False) -> Invitation | None:
        return self._tx.table("invitations").get(invitation_id)

    def save(self, invitation: Invitation) -> None:
        self._tx.put("invitations", invitation.id, invitation)

    def open_for_employer(self, employer_id: int, now: datetime) -> Sequence[Invitation]:
        return sorted(
            (
                i for i in self._tx.table("invitations").values()
                if i.employer_id == employer_id and i.is_open(now)
            ),
            key=lambda i: (i.created_at, i.id),
            reverse=True,
        )
