"""What platform staff do for employers in the console: list them and set the
trusted-partner flag (instant key approval). Orders and contracts have their own use cases."""

import attrs

from itmj_domain.accounts import Employer
from itmj_domain.errors import NotFound
from itmj_domain.pagination import Page, PageRequest
from itmj_domain.ports import UnitOfWorkFactory


@attrs.frozen
class Console:
    uow: UnitOfWorkFactory

    def employers(self, page: PageRequest) -> Page[Employer]:
        with self.uow(read_only=True) as uow:
            return uow.employers.list(page)

    def set_trusted_partner(self, employer_id: int, trusted: bool) -> Employer:
        with self.uow() as uow:
            employer = uow.employers.get(employer_id)
            if employer is None:
                raise NotFound(f"employer {employer_id} not found")
            changed = attrs.evolve(employer, trusted_partner=trusted)
            uow.employers.save(changed)
            uow.commit()
        return changed
