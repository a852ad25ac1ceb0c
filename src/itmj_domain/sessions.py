"""Portal sessions: who a browser is signed in as, kept on the server.

The browser holds only a random session id. Each session carries the synchronizer token its
forms must send back (CSRF), the messages to show on the next page and, between a form and
the page after it, the session's half of a secret shown once (``handoffs``). A session ends when it
has been idle too long or has lived too long, whichever comes first; both are measured on the
Clock port.
"""

import enum
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Protocol

import attrs

from itmj_domain.handoffs import Handoff
from itmj_domain.principals import Principal

_ID_BYTES = 32


class FlashLevel(enum.Enum):
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


@attrs.frozen
class Flash:
    level: FlashLevel
    message: str


@attrs.frozen
class SessionPolicy:
    """How long a session lives. A session's last-seen time is written again only when it is
    ``touch_every`` old, so reading pages does not write the store on every request."""

    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    touch_every: timedelta = timedelta(minutes=1)


@attrs.frozen
class PortalSession:
    id: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    principal: Principal | None = None
    flashes: tuple[Flash, ...] = ()
    # The fingerprint of the principal's password when they signed in (``passwords``).
    credential: str | None = None
    handoff: Handoff | None = None

    def expires_at(self, policy: SessionPolicy) -> datetime:
        return min(self.last_seen_at + policy.idle, self.created_at + policy.absolute)

    def is_live(self, now: datetime, policy: SessionPolicy) -> bool:
        return now < self.expires_at(policy)

    def accepts(self, csrf_token: str | None) -> bool:
        """Whether a form sent with ``csrf_token`` came from a page of this session."""
        if not csrf_token:
            return False
        return hmac.compare_digest(self.csrf_token.encode(), csrf_token.encode())

    def with_flash(self, level: FlashLevel, message: str) -> "PortalSession":
        return attrs.evolve(self, flashes=(*self.flashes, Flash(level, message)))

    def without_flashes(self) -> "PortalSession":
        return attrs.evolve(self, flashes=())

    def with_handoff(self, handoff: Handoff | None) -> "PortalSession":
        return attrs.evolve(self, handoff=handoff)


def new_session(now: datetime, principal: Principal | None = None,
                credential: str | None = None) -> PortalSession:
    return PortalSession(
        id=secrets.token_urlsafe(_ID_BYTES),
        csrf_token=secrets.token_urlsafe(_ID_BYTES),
        created_at=now,
        last_seen_at=now,
        principal=principal,
        credential=credential,
    )


class SessionStore(Protocol):
    """Where sessions live between requests: shared by every server process when it is a
    shared store. The store may forget a session once its ``ttl`` has passed."""

    def get(self, session_id: str) -> PortalSession | None: ...
    def put(self, session: PortalSession, ttl: timedelta) -> None: ...
    def delete(self, session_id: str) -> None: ...
