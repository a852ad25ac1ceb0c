"""``GET /api/v1/credits`` and the ``Credits-Charged`` / ``Credits-Remaining`` fields of every
paid answer (SPEC §12).

The balance of each kind and the contracts in force are free to read for any valid key,
whatever its scopes: a connector plans its publishes and searches from them. A paid answer
says what it cost and the balance of its kind it left, as the paying transaction wrote it, so
two concurrent calls never both report the balance from before the other. Under a contract
nothing is counted down: ``Credits-Charged: 0`` and no ``Credits-Remaining`` (the contract's
end is in ``GET /api/v1/credits``).
"""

import falcon

from itmj_adapters.json_style import format_timestamp
from itmj_domain.credits import Charge, Contract, CreditKind
from itmj_domain.rate_limits import LimitedFamily
from itmj_domain.services.credits import Credits, CreditStanding
from itmj_http.auth import ANY_KEY, employer_id
from itmj_http.params import no_params
from itmj_http.responses import send_json

CREDITS_PATH = "/api/v1/credits"
CHARGED = "Credits-Charged"
REMAINING = "Credits-Remaining"
BALANCE_FIELDS = ("kind", "balance", "unlimited", "coveredUntil")
CONTRACT_FIELDS = ("id", "kinds", "validFrom", "validUntil")


def charge_headers(charge: Charge) -> tuple[tuple[str, str], ...]:
    charged = ((CHARGED, str(charge.charged)),)
    if charge.remaining is None:
        return charged
    return (*charged, (REMAINING, str(charge.remaining)))


def set_charge_headers(resp: falcon.Response, charge: Charge) -> None:
    for name, value in charge_headers(charge):
        resp.set_header(name, value)


def standing_json(standing: CreditStanding) -> dict[str, object]:
    return {
        "balances": [_balance(standing, kind) for kind in CreditKind],
        "contracts": [_contract(contract) for contract in standing.contracts],
    }


def _balance(standing: CreditStanding, kind: CreditKind) -> dict[str, object]:
    until = standing.covered_until(kind)
    return {
        "kind": kind.value,
        "balance": standing.balance.available(kind),
        "unlimited": until is not None,
        "coveredUntil": None if until is None else format_timestamp(until),
    }


def _contract(contract: Contract) -> dict[str, object]:
    return {
        "id": contract.id,
        "kinds": [kind.value for kind in CreditKind if kind in contract.kinds],
        "validFrom": format_timestamp(contract.valid_from),
        "validUntil": format_timestamp(contract.valid_until),
    }


class CreditsResource:
    scope = ANY_KEY
    rate_limited = LimitedFamily.SELF_SERVICE

    def __init__(self, credits: Credits) -> None:
        self._credits = credits

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        no_params(req)
        send_json(resp, standing_json(self._credits.standing(employer_id(req))))
