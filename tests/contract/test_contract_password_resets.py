"""The PasswordResetRepository contract, on every adapter."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from itmj_domain import password_resets
from itmj_domain.principals import Principal, PrincipalKind
from tests.contract.seed import T0

HOUR = timedelta(hours=1)


def _issue(uow_factory, holder_id: int = 7, kind: PrincipalKind = PrincipalKind.USER):
    issued = password_resets.issue(Principal(kind, holder_id), T0, HOUR)
    with uow_factory() as uow:
        uow.password_resets.add(issued.reset)
        uow.commit()
    return issued


def test_a_reset_is_consumed_once_and_reads_back_equal(uow_factory):
    issued = _issue(uow_factory, kind=PrincipalKind.STAFF)
    token_hash = password_resets.hash_token(issued.token)
    with uow_factory() as uow:
        assert uow.password_resets.consume(token_hash, T0 + timedelta(minutes=5)) == issued.reset
        uow.commit()
    with uow_factory() as uow:
        assert uow.password_resets.consume(token_hash, T0 + timedelta(minutes=6)) is None


def test_an_expired_or_unknown_reset_cannot_be_consumed(uow_factory):
    issued = _issue(uow_factory)
    with uow_factory() as uow:
        assert uow.password_resets.consume(issued.reset.token_hash, T0 + HOUR) is None
        assert uow.password_resets.consume(password_resets.hash_token("guess"), T0) is None


def test_a_consumption_rolled_back_leaves_the_reset_usable(uow_factory):
    issued = _issue(uow_factory)
    with uow_factory() as uow:
        assert uow.password_resets.consume(issued.reset.token_hash, T0) is not None
    with uow_factory() as uow:
        assert uow.password_resets.consume(issued.reset.token_hash, T0) == issued.reset


def test_simultaneous_consumers_get_it_exactly_once(uow_factory):
    issued = _issue(uow_factory)

    def consume(_: int) -> bool:
        with uow_factory() as uow:
            found = uow.password_resets.consume(issued.reset.token_hash, T0)
            uow.commit()
        return found is not None

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(consume, range(8)))
    assert outcomes.count(True) == 1


def test_an_open_reset_is_found_without_being_used(uow_factory):
    issued = _issue(uow_factory)
    token_hash = issued.reset.token_hash
    with uow_factory(read_only=True) as uow:
        assert uow.password_resets.find_open(token_hash, T0) == issued.reset
        assert uow.password_resets.find_open(token_hash, T0) == issued.reset
        assert uow.password_resets.find_open(token_hash, T0 + HOUR) is None
        assert uow.password_resets.find_open(password_resets.hash_token("guess"), T0) is None
    with uow_factory() as uow:
        uow.password_resets.consume(token_hash, T0)
        uow.commit()
    with uow_factory(read_only=True) as uow:
        assert uow.password_resets.find_open(token_hash, T0) is None


def test_using_a_reset_voids_every_other_open_reset_of_its_holder_only(uow_factory):
    used, other = _issue(uow_factory), _issue(uow_factory)
    same_id_staff = _issue(uow_factory, kind=PrincipalKind.STAFF)
    someone_else = _issue(uow_factory, holder_id=8)
    with uow_factory() as uow:
        assert uow.password_resets.consume(used.reset.token_hash, T0) == used.reset
        uow.commit()
    with uow_factory() as uow:
        assert uow.password_resets.consume(other.reset.token_hash, T0) is None
        for kept in (same_id_staff, someone_else):
            assert uow.password_resets.consume(kept.reset.token_hash, T0) == kept.reset


def test_voiding_a_holders_resets_leaves_other_holders_resets_open(uow_factory):
    first, second = _issue(uow_factory), _issue(uow_factory)
    same_id_staff = _issue(uow_factory, kind=PrincipalKind.STAFF)
    with uow_factory() as uow:
        uow.password_resets.void_all(Principal(PrincipalKind.USER, 7), T0)
        uow.commit()
    with uow_factory() as uow:
        for voided in (first, second):
            assert uow.password_resets.find_open(voided.reset.token_hash, T0) is None
            assert uow.password_resets.consume(voided.reset.token_hash, T0) is None
        assert uow.password_resets.consume(same_id_staff.reset.token_hash, T0) is not None


def test_a_voiding_rolled_back_leaves_the_resets_open(uow_factory):
    issued = _issue(uow_factory)
    with uow_factory() as uow:
        uow.password_resets.void_all(Principal(PrincipalKind.USER, 7), T0)
    with uow_factory() as uow:
        assert uow.password_resets.consume(issued.reset.token_hash, T0) == issued.reset


def test_of_a_holders_links_used_at_once_exactly_one_works(uow_factory):
    links = [_issue(uow_factory) for _ in range(4)]

    def consume(issued) -> bool:
        with uow_factory() as uow:
            found = uow.password_resets.consume(issued.reset.token_hash, T0)
            uow.commit()
        return found is not None

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(consume, links * 2))
    assert outcomes.count(True) == 1
