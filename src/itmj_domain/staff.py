"""Platform staff: the people who review keys and run the platform console.

They belong to no employer, and sign in separately from employer users.
"""

from datetime import datetime

import attrs

from itmj_domain.accounts import check_email


@attrs.frozen
class StaffMember:
    id: int
    email: str = attrs.field(validator=lambda _i, _a, value: check_email(value))
    created_at: datetime
