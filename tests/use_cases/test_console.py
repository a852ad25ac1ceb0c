"""The platform console's employer list and trusted-partner flag, on every backend."""


from itmj_domain.api_keys import KeyStatus, Scope
from itmj_domain.errors import NotFound
from itmj_domain.pagination import PageRequest
from tests.refusals import refused

SEARCH = frozenset({Scope.CV_SEARCH})


def test_staff_list_employers_and_trusting_one_approves_its_keys_at_once(services):
    acme = services.accounts.create_employer("Acme")
    rival = services.accounts.create_employer("Rival")
    assert services.accounts.mint_key(acme.id, "before", SEARCH).key.status is (
        KeyStatus.PENDING_APPROVAL
    )
    trusted = services.console.set_trusted_partner(acme.id, True)
    assert trusted.trusted_partner
    listed = services.console.employers(PageRequest())
    assert (list(listed.items), listed.total) == ([trusted, rival], 2)
    assert services.accounts.mint_key(acme.id, "after", SEARCH).key.status is KeyStatus.ACTIVE
    services.console.set_trusted_partner(acme.id, False)
    assert services.accounts.mint_key(acme.id, "later", SEARCH).key.status is (
        KeyStatus.PENDING_APPROVAL
    )


def test_an_unknown_employer_cannot_be_trusted(services):
    with refused(NotFound):
        services.console.set_trusted_partner(99, True)
