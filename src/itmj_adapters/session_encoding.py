"""Portal sessions as JSON text, for the stores that keep them outside the process.

Stores key sessions by a hash of the id, so that a look at the store (a dump, a monitor)
shows nothing a browser could present.
"""

import hashlib
import json
from datetime import datetime
from typing import Any

from itmj_domain.handoffs import Handoff
from itmj_domain.principals import Principal, PrincipalKind
from itmj_domain.sessions import Flash, FlashLevel, PortalSession


def stored_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def encode(session: PortalSession) -> str:
    return json.dumps(_fields(session))


def decode(session_id: str, text: str | bytes) -> PortalSession:
    return _session(session_id, json.loads(text))


def _fields(session: PortalSession) -> dict[str, Any]:
    principal = session.principal
    return {
        "csrf": session.csrf_token,
        "created": session.created_at.isoformat(),
        "seen": session.last_seen_at.isoformat(),
        "principal": None if principal is None else [principal.kind.value, principal.id],
        "flashes": [[flash.level.value, flash.message] for flash in session.flashes],
        "credential": session.credential,
        "handoff": None if session.handoff is None else [session.handoff.subject,
                                                         session.handoff.masked],
    }


def _session(session_id: str, data: dict[str, Any]) -> PortalSession:
    principal = data["principal"]
    return PortalSession(
        id=session_id,
        csrf_token=data["csrf"],
        created_at=datetime.fromisoformat(data["created"]),
        last_seen_at=datetime.fromisoformat(data["seen"]),
        principal=None if principal is None else Principal(PrincipalKind(principal[0]),
                                                           principal[1]),
        flashes=tuple(Flash(FlashLevel(level), message) for level, message in data["flashes"]),
        credential=data.get("credential"),
        handoff=None if data.get("handoff") is None else Handoff(*data["handoff"]),
    )
