"""In-memory people who sign in, users and staff alike: a table of each, unique by email."""

from typing import Generic, TypeVar

from itmj_adapters.memory.store import Transaction
from itmj_domain.accounts import User, same_email
from itmj_domain.errors import InvalidInput
from itmj_domain.staff import StaffMember

P = TypeVar("P", User, StaffMember)


class MemoryPeople(Generic[P]):
    """The people of ``table``, with the index ``emails`` of their emails as ``same_email``
    compares them; ``taken`` is the refusal of an email already there."""

    def __init__(self, tx: Transaction, table: str, emails: str, taken: str) -> None:
        self._tx = tx
        self._table = table
        self._emails = emails
        self._taken = taken

    def next_id(self) -> int:
        return self._tx.store.next_id(self._table)

    def add(self, person: P) -> None:
        email = same_email(person.email)
        if email in self._tx.table(self._emails):
            raise InvalidInput(self._taken, field="email")
        self._tx.put(self._table, person.id, person)
        self._tx.put(self._emails, email, person.id)

    def get(self, person_id: int) -> P | None:
        return self._tx.table(self._table).get(person_id)

    def find_by_email(self, email: str) -> P | None:
        person_id = self._tx.table(self._emails).get(same_email(email))
        return None if person_id is None else self.get(person_id)
