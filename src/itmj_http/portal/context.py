"""What one portal request knows of its visitor: the session, and who signed in."""

from collections.abc import Callable

import attrs

from itmj_domain.accounts import Employer, User
from itmj_domain.handoffs import Handoff
from itmj_domain.principals import Principal
from itmj_domain.services.portal_sessions import PortalSessions
from itmj_domain.sessions import Flash, FlashLevel, PortalSession
from itmj_domain.staff import StaffMember
from itmj_http.portal.forms import Form


@attrs.define
class PortalContext:
    """``loaded`` is the session as the request found it; ``session`` what it is now, saved
    at the end of the request when the two differ. A visitor without a session gets one
    the first time something needs it (a form's token, a message for the next page)."""

    sessions: PortalSessions
    loaded: PortalSession | None
    session: PortalSession | None
    # The fingerprint of a principal's current password (``PortalAccounts.credential``).
    credential_of: Callable[[Principal], str | None]
    user: User | None = None
    employer: Employer | None = None
    staff: StaffMember | None = None
    form: Form = attrs.field(factory=lambda: Form({}))
    # Whether cookies are sent ``Secure`` (everywhere but development and demo).
    secure_cookies: bool = False

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.is_admin

    def csrf_token(self) -> str:
        return self._ensure_session().csrf_token

    def flash(self, level: FlashLevel, message: str) -> None:
        self.session = self._ensure_session().with_flash(level, message)

    def take_flashes(self) -> tuple[Flash, ...]:
        if self.session is None or not self.session.flashes:
            return ()
        flashes = self.session.flashes
        self.session = self.session.without_flashes()
        return flashes

    def hand_off(self, handoff: Handoff) -> None:
        self.session = self._ensure_session().with_handoff(handoff)

    def take_handoff(self, subject: str) -> Handoff | None:
        """The session's half of the secret about ``subject``, dropped from the session as it
        is taken; a handoff about something else stays for its own page."""
        if self.session is None or self.session.handoff is None:
            return None
        handoff = self.session.handoff
        if handoff.subject != subject:
            return None
        self.session = self.session.with_handoff(None)
        return handoff

    def sign_in(self, principal: Principal) -> None:
        self.session = self.sessions.sign_in(self.session, principal,
                                             self.credential_of(principal))
        self.loaded = None

    def sign_out(self) -> None:
        if self.session is not None:
            self.sessions.sign_out(self.session)
        self.session = None
        self.user = self.employer = self.staff = None

    def _ensure_session(self) -> PortalSession:
        if self.session is None:
            self.session = self.sessions.start()
        return self.session
