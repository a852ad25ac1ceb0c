"""The StaffRepository contract, on every adapter."""

import pytest

from itmj_domain.errors import InvalidInput
from itmj_domain.staff import StaffMember
from tests.contract.seed import T0


def _add(uow_factory, email: str) -> StaffMember:
    with uow_factory() as uow:
        member = StaffMember(uow.staff.next_id(), email, T0)
        uow.staff.add(member)
        uow.commit()
    return member


def test_an_added_member_reads_back_by_id_and_by_email_in_any_case(uow_factory):
    member = _add(uow_factory, "Grace@Platform.example")
    with uow_factory(read_only=True) as uow:
        assert uow.staff.get(member.id) == member
        assert uow.staff.get(member.id + 1) is None
        assert uow.staff.find_by_email("grace@platform.EXAMPLE") == member
        assert uow.staff.find_by_email(" grace@platform.example ") == member
        assert uow.staff.find_by_email("other@platform.example") is None


def test_a_taken_email_is_refused_and_nothing_is_written(uow_factory):
    first = _add(uow_factory, "grace@platform.example")
    with uow_factory() as uow, pytest.raises(InvalidInput) as refused:
        uow.staff.add(StaffMember(uow.staff.next_id(), "GRACE@platform.example", T0))
    assert refused.value.field == "email"
    with uow_factory(read_only=True) as uow:
        assert uow.staff.find_by_email("grace@platform.example") == first

