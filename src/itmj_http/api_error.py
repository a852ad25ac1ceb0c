"""The error the API answers with in its envelope, raised anywhere at the edge and written
by ``itmj_http.errors``. A module of its own so that what reads a request (its body, its
parameters, its headers) can raise it without importing the error handlers."""

import falcon


class ApiError(falcon.HTTPError):
    """An answer in the envelope, with the code a partner's client switches on (one of
    ``itmj_http.errors.ERROR_CODES``). Falcon declares its own ``code`` an int, a number to
    quote to support; the SPEC's codes are words, so they travel as ``error_code``."""

    def __init__(
        self, status: int, error_code: str, description: str,
        headers: dict[str, str] | None = None, field: str | None = None,
    ) -> None:
        super().__init__(status, description=description, headers=headers)
        self.error_code = error_code
        # The request field at fault (SPEC §11), as the partner names it, when there is one.
        self.field = field
