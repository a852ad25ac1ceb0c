"""Portal sessions: expiry on the Clock port, rotation at sign-in, form tokens."""

from datetime import timedelta

import pytest

from itmj_adapters.clock import ManualClock
from itmj_adapters.memory.sessions import MemorySessionStore
from itmj_domain.principals import Principal, PrincipalKind
from itmj_domain.services.portal_sessions import PortalSessions
from itmj_domain.sessions import Flash, FlashLevel, SessionPolicy

ADA = Principal(PrincipalKind.USER, 1)
POLICY = SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=12),
                       touch_every=timedelta(minutes=1))


@pytest.fixture
def sessions(clock: ManualClock) -> PortalSessions:
    return PortalSessions(MemorySessionStore(), clock, POLICY)


def test_a_signed_in_session_ends_after_thirty_idle_minutes(sessions, clock):
    session = sessions.sign_in(None, ADA)
    clock.advance(timedelta(minutes=29, seconds=59))
    resumed = sessions.resume(session.id)
    assert resumed is not None
    assert resumed.principal == ADA
    clock.advance(timedelta(minutes=29, seconds=59))
    assert sessions.resume(session.id) is not None
    clock.advance(timedelta(minutes=30))
    assert sessions.resume(session.id) is None


def test_being_seen_keeps_a_session_alive_but_not_past_its_absolute_end(sessions, clock):
    session = sessions.sign_in(None, ADA)
    for _ in range(12 * 3):
        clock.advance(timedelta(minutes=20))
        resumed = sessions.resume(session.id)
        if resumed is None:
            break
        sessions.save(resumed)
    assert clock.now() - session.created_at == timedelta(hours=12)
    assert sessions.resume(session.id) is None


def test_an_ended_session_stays_ended(sessions, clock):
    session = sessions.sign_in(None, ADA)
    clock.advance(timedelta(hours=1))
    assert sessions.resume(session.id) is None
    clock.set(session.created_at)
    assert sessions.resume(session.id) is None


def test_last_seen_moves_only_every_touch_interval(sessions, clock):
    session = sessions.sign_in(None, ADA)
    clock.advance(timedelta(seconds=59))
    assert sessions.resume(session.id) == session
    clock.advance(timedelta(seconds=1))
    assert sessions.resume(session.id).last_seen_at == clock.now()


def test_sign_in_gives_a_new_id_and_token_and_ends_the_old_session(sessions):
    anonymous = sessions.start().with_flash(FlashLevel.SUCCESS, "Password set")
    assert anonymous.flashes == (Flash(FlashLevel.SUCCESS, "Password set"),)
    sessions.save(anonymous)
    signed_in = sessions.sign_in(anonymous, ADA)
    assert signed_in.id != anonymous.id
    assert signed_in.csrf_token != anonymous.csrf_token
    assert signed_in.flashes == anonymous.flashes
    assert signed_in.without_flashes().flashes == ()
    assert signed_in.without_flashes().id == signed_in.id
    assert sessions.resume(anonymous.id) is None
    assert sessions.resume(signed_in.id) == signed_in


def test_sign_out_ends_the_session(sessions):
    session = sessions.sign_in(None, ADA)
    sessions.sign_out(session)
    assert sessions.resume(session.id) is None


def test_unknown_and_missing_ids_resume_nothing(sessions):
    assert sessions.resume(None) is None
    assert sessions.resume("") is None
    assert sessions.resume("made-up") is None


def test_a_session_accepts_only_its_own_form_token(sessions):
    session, other = sessions.start(), sessions.start()
    assert session.accepts(session.csrf_token)
    assert not session.accepts(other.csrf_token)
    assert not session.accepts("")
    assert not session.accepts(None)
    assert not session.accepts(session.csrf_token[:-1])


class RecordingStore(MemorySessionStore):
    """The memory store, noting for how long each session was stored."""

    def __init__(self) -> None:
        super().__init__()
        self.ttls: list[timedelta] = []

    def put(self, session, ttl: timedelta) -> None:
        self.ttls.append(ttl)
        super().put(session, ttl)


def test_a_session_is_stored_for_as_long_as_it_has_left_and_an_ended_one_is_dropped(clock):
    store = RecordingStore()
    sessions = PortalSessions(store, clock, POLICY)
    session = sessions.sign_in(None, ADA, credential="fingerprint")
    assert (session.principal, session.credential) == (ADA, "fingerprint")
    assert store.get(session.id) == session
    clock.advance(POLICY.idle - timedelta(milliseconds=500))
    sessions.save(session)
    assert store.ttls == [POLICY.idle, timedelta(milliseconds=500)]
    clock.advance(timedelta(milliseconds=500))
    sessions.save(session)
    assert store.get(session.id) is None
    assert len(store.ttls) == 2
