"""Single-use, expiring links that let someone set a password: "forgot my password" for
employer users, and the first password of a new staff member.

Only a hash of the token is stored, so whoever reads the database cannot use a live link.
A holder's links stand or fall together: using one, or a new password set any other way,
voids every other link still open for them.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlencode

import attrs

from itmj_domain.principals import Principal

RESET_VALID_FOR = timedelta(hours=1)
# A new staff member may not read their email the hour the account is made.
STAFF_SETUP_VALID_FOR = timedelta(days=3)
_TOKEN_BYTES = 32


@attrs.frozen
class PasswordReset:
    token_hash: str
    holder: Principal
    created_at: datetime
    expires_at: datetime


@attrs.frozen
class IssuedReset:
    """A new reset and its token, which exists only in this value and in the link sent."""

    reset: PasswordReset
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(holder: Principal, now: datetime, valid_for: timedelta) -> IssuedReset:
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    reset = PasswordReset(hash_token(token), holder, now, now + valid_for)
    return IssuedReset(reset, token)


def link(page_url: str, token: str) -> str:
    """The link sent for ``token``: the page where a password is chosen (the portal's, as
    the HTTP edge serves it), which reads the token from its ``token`` parameter."""
    return f"{page_url}?{urlencode({'token': token})}"
