"""People who sign in, users and staff alike, in PostgreSQL: a table of each, whose unique
index on ``lower(email)`` keeps one account to an email."""

from collections.abc import Callable
from typing import Generic, TypeVar

from itmj_adapters.postgres.rows import Row
from itmj_adapters.postgres.session import Session, unique_email
from itmj_domain.accounts import User, same_email
from itmj_domain.staff import StaffMember

P = TypeVar("P", User, StaffMember)


class PeopleTable(Generic[P]):
    """The statements one table of people is read and written with, the conversions of its
    rows, and the refusal of an email already taken there."""

    def __init__(self, name: str, columns: str, placeholders: str, row: Callable[[P], Row],
                 person: Callable[[Row], P], taken: str) -> None:
        self.sequence = f"{name}_id_seq"
        self.insert = f"INSERT INTO {name} ({columns}) VALUES ({placeholders})"
        self.select = f"SELECT {columns} FROM {name} WHERE id = %s"
        self.select_by_email = f"SELECT {columns} FROM {name} WHERE lower(email) = %s"
        self.row: Callable[[P], Row] = row
        self.person: Callable[[Row], P] = person
        self.taken = taken


class PostgresPeople(Generic[P]):
    def __init__(self, session: Session, table: PeopleTable[P]) -> None:
        self._session = session
        self._table: PeopleTable[P] = table

    def next_id(self) -> int:
        return self._session.next_id(self._table.sequence)

    def add(self, person: P) -> None:
        with unique_email(self._table.taken):
            self._session.write(self._table.insert, self._table.row(person))

    def get(self, person_id: int) -> P | None:
        row = self._session.one(self._table.select, (person_id,))
        return None if row is None else self._table.person(row)

    def find_by_email(self, email: str) -> P | None:
        row = self._session.one(self._table.select_by_email, (same_email(email),))
        return None if row is None else self._table.person(row)
