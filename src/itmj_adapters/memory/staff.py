"""In-memory platform staff."""

from itmj_adapters.memory.people import MemoryPeople
from itmj_adapters.memory.store import Transaction
from itmj_domain.staff import StaffMember


class MemoryStaff(MemoryPeople[StaffMember]):
    def __init__(self, tx: Transaction) -> None:
        super().__init__(tx, "staff", "staff_emails",
                         "a staff member with this email already exists")
