"""What a portal form does after it is posted: run one use case, then go back to a page with
a message saying how it went (post/redirect/get, so reloading never posts twice).

A rule the use case refuses (bad input, a state that does not allow it) becomes an error
message on the page it came from; something that does not exist, or is another employer's,
is the 404 page.
"""

from collections.abc import Callable
from typing import NoReturn, TypeVar

import falcon

from itmj_domain.errors import InvalidInput, InvalidState, NoCredits, NotFound
from itmj_domain.sessions import FlashLevel
from itmj_http.portal.context import PortalContext

T = TypeVar("T")


def sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def act(req: falcon.Request, back: str, run: Callable[[], T],
        done: Callable[[T], str]) -> NoReturn:
    portal: PortalContext = req.context.portal
    try:
        result = run()
    except NotFound:
        raise falcon.HTTPNotFound() from None
    except (InvalidInput, InvalidState, NoCredits) as refused:
        portal.flash(FlashLevel.ERROR, sentence(refused.message))
        raise falcon.HTTPSeeOther(back) from None
    portal.flash(FlashLevel.SUCCESS, done(result))
    raise falcon.HTTPSeeOther(back)


def page_number(req: falcon.Request) -> int:
    return req.get_param_as_int("page", min_value=1, max_value=100_000, default=1)
