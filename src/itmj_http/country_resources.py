"""``GET /api/v1/countries``: the ISO 3166-1 list, free, for any valid key (SPEC §6)."""

import falcon

from itmj_domain.ports import CountryDirectory
from itmj_http.auth import ANY_KEY
from itmj_http.params import no_params
from itmj_http.responses import send_json

COUNTRIES_PATH = "/api/v1/countries"


class CountriesResource:
    scope = ANY_KEY

    def __init__(self, countries: CountryDirectory) -> None:
        self._countries = countries

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        no_params(req)
        send_json(resp, [{"id": c.id, "name": c.name} for c in self._countries.all()])
