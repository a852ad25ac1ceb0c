"""Employers (the tenants) and their users."""

import enum
from datetime import datetime
from functools import partial

import attrs

from itmj_domain.errors import InvalidInput

MAX_NAME_LENGTH = 200
MAX_EMAIL_LENGTH = 320


class Role(enum.Enum):
    EMPLOYER_ADMIN = "EmployerAdmin"
    RECRUITER = "Recruiter"


# A partial application, not a closure from a factory, so that mutation testing reaches the
# check (see ``candidates._at_most``).
def _non_blank(field: str, max_length: int, _instance: object, _attribute: object,
               value: str) -> None:
    if not value.strip():
        raise InvalidInput(f"{field} must not be blank", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"{field} must be at most {max_length} characters", field=field)


def check_name(name: str) -> None:
    """The rule an employer's or a user's name keeps, for checking a name before the
    employer or user it will belong to is made."""
    _non_blank("name", MAX_NAME_LENGTH, None, None, name)


def check_email(email: str) -> None:
    local, _, domain = email.partition("@")
    if (not local or "." not in domain or "@" in domain or any(c.isspace() for c in email)
            or len(email) > MAX_EMAIL_LENGTH):
        raise InvalidInput("email must be an email address", field="email")


@attrs.frozen
class Employer:
    id: int
    name: str = attrs.field(validator=partial(_non_blank, "name", MAX_NAME_LENGTH))
    trusted_partner: bool
    created_at: datetime


def same_email(email: str) -> str:
    """The form two spellings of one address share: people sign in as ``Ada@Acme.example``
    after signing up as ``ada@acme.example``. Lower case, as the PostgreSQL adapter's unique
    index on ``lower(email)`` has it."""
    return email.strip().lower()


def _optional_name(
    _instance: object, attribute: "attrs.Attribute[str | None]", value: str | None
) -> None:
    if value is not None:
        _non_blank("name", MAX_NAME_LENGTH, _instance, attribute, value)


@attrs.frozen
class User:
    """``name`` is what the portal greets them by; users made before the portal have none."""

    id: int
    employer_id: int
    email: str = attrs.field(validator=partial(_non_blank, "email", MAX_EMAIL_LENGTH))
    role: Role
    created_at: datetime
    name: str | None = attrs.field(default=None, validator=_optional_name)

    def __attrs_post_init__(self) -> None:
        check_email(self.email)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.EMPLOYER_ADMIN
