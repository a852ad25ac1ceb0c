"""Sessions of the portal and the console: resuming, signing in and out, expiry."""

import attrs

from itmj_domain.clock import Clock
from itmj_domain.principals import Principal
from itmj_domain.sessions import PortalSession, SessionPolicy, SessionStore, new_session


@attrs.frozen
class PortalSessions:
    store: SessionStore
    clock: Clock
    policy: SessionPolicy = attrs.field(factory=SessionPolicy)

    def resume(self, session_id: str | None) -> PortalSession | None:
        """The live session with that id, seen now (and stored so, every ``touch_every``);
        None when there is none or it ended."""
        if not session_id:
            return None
        session = self.store.get(session_id)
        if session is None:
            return None
        now = self.clock.now()
        if not session.is_live(now, self.policy):
            self.store.delete(session.id)
            return None
        if now - session.last_seen_at >= self.policy.touch_every:
            session = attrs.evolve(session, last_seen_at=now)
            self.save(session)
        return session

    def start(self) -> PortalSession:
        """A session for a visitor who has none yet (to carry a form's token), not stored
        until ``save``."""
        return new_session(self.clock.now())

    def save(self, session: PortalSession) -> None:
        ttl = session.expires_at(self.policy) - self.clock.now()
        if ttl.total_seconds() <= 0:
            self.store.delete(session.id)
            return
        self.store.put(session, ttl)

    def sign_in(self, previous: PortalSession | None, principal: Principal,
                credential: str | None = None) -> PortalSession:
        """A new session for ``principal``, who proved ``credential`` (the fingerprint of
        their password): a new id and a new form token, so that an id or a token somebody
        planted or saw before the sign-in is worth nothing after it."""
        if previous is not None:
            self.store.delete(previous.id)
        session = new_session(self.clock.now(), principal, credential)
        if previous is not None:
            session = attrs.evolve(session, flashes=previous.flashes)
        self.save(session)
        return session

    def sign_out(self, session: PortalSession) -> None:
        self.store.delete(session.id)
