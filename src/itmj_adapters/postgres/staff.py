"""Platform staff in PostgreSQL."""

from itmj_adapters.postgres import rows
from itmj_adapters.postgres.people import PeopleTable, PostgresPeople
from itmj_adapters.postgres.session import Session
from itmj_domain.staff import StaffMember

_STAFF = PeopleTable(
    "staff", rows.STAFF_COLUMNS, rows.STAFF_PLACEHOLDERS, rows.staff_row, rows.staff,
    "a staff member with this email already exists",
)


class PostgresStaff(PostgresPeople[StaffMember]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, _STAFF)
