"""``Strict-Transport-Security`` on every response in production.

Once a browser has seen it over HTTPS, it will not reach this host over plain HTTP for two
years, nor its subdomains: nobody on the way can strip TLS from the portal's sign-in or
read its session cookie. Development and demo serve plain HTTP and send nothing.
"""

import falcon

# Two years, the figure the HSTS preload list asks for; not "preload", which commits the
# whole registrable domain and is the operator's decision, not the application's.
HSTS = "max-age=63072000; includeSubDomains"


class StrictTransportSecurity:
    def process_response(self, _req: falcon.Request, resp: falcon.Response, _resource: object,
                         _succeeded: bool) -> None:
        resp.set_header("Strict-Transport-Security", HSTS)
