"""Asking for a password reset and using its link, through the real composition root on
every backend: the request only counts and queues, limits per address and per email, and
one link used (or a password set) voids the others."""

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import attrs
import pytest

from itmj_adapters.clock import ManualClock
from itmj_adapters.memory.rate_limiter import MemoryRateLimiter
from itmj_adapters.testing import RecordingNotifier
from itmj_domain.errors import InvalidInput
from itmj_domain.ports import UnitOfWork
from itmj_domain.principals import Principal, PrincipalKind
from itmj_domain.services.portal_accounts import PortalAccounts, TooManyAttempts
from tests.counting_hasher import CountingHasher
from tests.refusals import refused

# TEST-NET-3 addresses: none is real.
HERE = "203.0.113.7"
ELSEWHERE = "203.0.113.99"
PASSWORD = "correct horse battery"
PAGE = "https://portal.example/account/password/reset"


def _ada(services):
    return services.portal_accounts.sign_up("Acme", "Ada", "ada@acme.example", PASSWORD, HERE)


def _tokens(notifier) -> list[str]:
    tokens = []
    for mail in notifier.sent:
        match = re.search(r"\?token=(\S+)", mail.body)
        assert match, mail.body
        tokens.append(match.group(1))
    return tokens


@attrs.define
class RecordingTaskQueue:
    """Keeps the password-reset tasks it is given instead of running them."""

    resets: list[tuple[str, str]] = attrs.Factory(list)

    def dispatch(self) -> None: ...
    def deliver(self, delivery_ids) -> None: ...
    def index_candidates(self, candidate_ids) -> None: ...

    def send_password_reset(self, email: str, page_url: str) -> None:
        self.resets.append((email, page_url))


class UnopenableStore:
    """A unit of work factory that fails the test if a unit of work is ever opened."""

    def __call__(self, *, read_only: bool = False) -> UnitOfWork:
        raise AssertionError("the request opened a unit of work")


class InterleavingHasher(CountingHasher):
    """Runs ``meanwhile`` (once) while it hashes: what another request does in that time."""

    def __init__(self) -> None:
        super().__init__()
        self.meanwhile: Callable[[], object] | None = None

    def hash(self, password: str) -> str:
        meanwhile, self.meanwhile = self.meanwhile, None
        if meanwhile is not None:
            meanwhile()
        return super().hash(password)


@pytest.fixture
def password_hasher() -> InterleavingHasher:
    """The hasher of every ``services`` here; it interleaves only when a test asks."""
    return InterleavingHasher()


def test_a_request_only_counts_and_queues_the_email_whether_or_not_it_has_an_account():
    """Nothing the request does depends on the account: it opens no unit of work, hashes
    nothing and sends nothing, so its answer and its time are the same either way."""
    tasks, hasher, notifier = RecordingTaskQueue(), CountingHasher(), RecordingNotifier()
    clock = ManualClock()
    accounts = PortalAccounts(UnopenableStore(), clock, notifier, tasks, hasher,
                              MemoryRateLimiter(clock))
    accounts.request_password_reset(" ada@acme.example ", HERE, PAGE)
    accounts.request_password_reset("nobody@acme.example", HERE, PAGE)
    assert tasks.resets == [("ada@acme.example", PAGE), ("nobody@acme.example", PAGE)]
    assert (hasher.hashes, notifier.sent) == (0, [])


def test_the_queued_task_emails_a_link_to_the_page_only_when_the_account_exists(
        services, notifier):
    _ada(services)
    services.portal_accounts.send_password_reset("nobody@acme.example", PAGE)
    assert notifier.sent == []
    services.portal_accounts.send_password_reset("ADA@acme.example", PAGE)
    [mail] = notifier.sent
    assert mail.to == "ada@acme.example"
    [token] = _tokens(notifier)
    assert f"{PAGE}?token={token}\n" in mail.body


def test_an_email_gets_three_reset_requests_an_hour_whether_or_not_it_has_an_account(
        services, notifier, clock):
    _ada(services)
    for email in ("ada@acme.example", "nobody@acme.example"):
        for address in (HERE, ELSEWHERE, HERE):
            services.portal_accounts.request_password_reset(email, address, PAGE)
        with refused(TooManyAttempts, match="too many password reset requests; try again "
                                            "in 60 minutes") as raised:
            services.portal_accounts.request_password_reset(email.upper(), ELSEWHERE, PAGE)
        assert raised.value.retry_after_seconds == 60 * 60
    assert len(notifier.sent) == 3
    services.portal_accounts.request_password_reset("grace@acme.example", HERE, PAGE)
    clock.advance(timedelta(hours=1))
    services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    assert len(notifier.sent) == 4


def test_an_address_gets_twenty_reset_requests_an_hour(services):
    for n in range(20):
        services.portal_accounts.request_password_reset(f"guess{n}@acme.example", HERE, PAGE)
    with refused(TooManyAttempts):
        services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    services.portal_accounts.request_password_reset("ada@acme.example", ELSEWHERE, PAGE)


def test_a_request_for_something_not_an_email_is_refused_and_not_counted(services, notifier):
    _ada(services)
    for _ in range(5):
        with refused(InvalidInput, field="email"):
            services.portal_accounts.request_password_reset("ada at acme", HERE, PAGE)
    services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    assert len(notifier.sent) == 1


def test_an_address_gets_twenty_attempts_at_choosing_a_password_an_hour(services, notifier):
    _ada(services)
    services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    [token] = _tokens(notifier)
    for n in range(20):
        with refused(InvalidInput, field="token"):
            services.portal_accounts.reset_password(f"guess{n}", "a brand new phrase", HERE)
    with refused(TooManyAttempts, match="too many password resets"):
        services.portal_accounts.reset_password(token, "a brand new phrase", HERE)
    services.portal_accounts.reset_password(token, "a brand new phrase", ELSEWHERE)
    assert services.portal_accounts.sign_in("ada@acme.example", "a brand new phrase", HERE)


def test_using_one_link_voids_every_other_open_link_of_the_account(services, notifier):
    admin = _ada(services).admin
    for _ in range(3):
        services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    first, second, third = _tokens(notifier)
    assert services.portal_accounts.reset_password(second, "the second phrase", HERE) == (
        Principal(PrincipalKind.USER, admin.id)
    )
    for voided in (first, third):
        with refused(InvalidInput, field="token"):
            services.portal_accounts.reset_password(voided, "an older phrase", HERE)
    assert services.portal_accounts.sign_in("ada@acme.example", "the second phrase", HERE)


def test_a_password_set_otherwise_voids_the_open_links(services, notifier):
    admin = _ada(services).admin
    services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    member, setup_token = services.portal_accounts.add_staff("grace@platform.example")
    services.portal_accounts.set_password(Principal(PrincipalKind.USER, admin.id),
                                          "set by the seed")
    services.portal_accounts.set_password(Principal(PrincipalKind.STAFF, member.id),
                                          "set by the seed")
    for token in (*_tokens(notifier), setup_token):
        with refused(InvalidInput, field="token"):
            services.portal_accounts.reset_password(token, "a brand new phrase", HERE)
    assert services.portal_accounts.sign_in("ada@acme.example", "set by the seed", HERE)


def test_another_accounts_links_stay_open(services, notifier):
    _ada(services)
    services.portal_accounts.sign_up("Globex", "Hank", "hank@globex.example", PASSWORD, HERE)
    services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    services.portal_accounts.request_password_reset("hank@globex.example", HERE, PAGE)
    ada_token, hank_token = _tokens(notifier)
    services.portal_accounts.reset_password(ada_token, "ada's new phrase", HERE)
    services.portal_accounts.reset_password(hank_token, "hank's new phrase", HERE)
    assert services.portal_accounts.sign_in("hank@globex.example", "hank's new phrase", HERE)


def test_of_links_used_at_once_one_sets_the_password(services, notifier):
    _ada(services)
    for _ in range(3):
        services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    attempts = [(token, f"phrase number {n}") for n, token in enumerate(_tokens(notifier) * 2)]

    def use(attempt: tuple[str, str]) -> str | None:
        try:
            services.portal_accounts.reset_password(*attempt, HERE)
        except InvalidInput:
            return None
        return attempt[1]

    with ThreadPoolExecutor(3) as threads:
        chosen = [phrase for phrase in threads.map(use, attempts) if phrase is not None]
    assert len(chosen) == 1
    assert services.portal_accounts.sign_in("ada@acme.example", chosen[0], HERE)


def test_a_link_voided_while_its_password_was_hashed_sets_nothing(services, notifier,
                                                                  password_hasher):
    _ada(services)
    for _ in range(2):
        services.portal_accounts.request_password_reset("ada@acme.example", HERE, PAGE)
    slow, quick = _tokens(notifier)
    password_hasher.meanwhile = lambda: services.portal_accounts.reset_password(
        quick, "the quick phrase", HERE
    )
    with refused(InvalidInput, field="token", match="^this link is invalid"):
        services.portal_accounts.reset_password(slow, "the slow phrase", HERE)
    assert services.portal_accounts.sign_in("ada@acme.example", "the quick phrase", HERE)


@pytest.mark.parametrize("seconds", [1, 59 * 60])
def test_a_refusal_names_what_was_tried_too_often(seconds):
    refusal = TooManyAttempts(seconds, "password reset requests")
    assert refusal.message.startswith("too many password reset requests; try again in ")
    assert refusal.retry_after_seconds == seconds
