"""The PasswordResetRepository contract, on every adapter."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from itmj_domain import password_resets
from itmj_domain.password_resets import HolderKind
from tests.contract.seed import T0

HOUR = timedelta(hours=1)


def _issue(uow_factory, holder_id: int = 7, kind: HolderKind = HolderKind.USER):
    issued = password_resets.issue(kind, holder_id, T0, HOUR)
    with uow_factory() as uow:
        uow.password_resets.add(issued.reset)
        uow.commit()
    return issued


def test_a_reset_is_consumed_once_and_reads_back_equal(uow_factory):
    issued = _issue(uow_factory, kind=HolderKind.STAFF)
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
