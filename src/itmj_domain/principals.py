"""Who signs in and holds a password: an employer's user or a member of platform staff.

One kind for both, wherever one of them is named by id: a portal session, a password-reset
link, a stored password hash.
"""

import enum

import attrs


class PrincipalKind(enum.Enum):
    USER = "user"
    STAFF = "staff"

    @property
    def noun(self) -> str:
        """What a message calls one of this kind."""
        return "user" if self is PrincipalKind.USER else "staff member"


@attrs.frozen
class Principal:
    """An employer's user or a member of platform staff, by id."""

    kind: PrincipalKind
    id: int
