"""Rendering pages: Jinja2 templates shipped with the package, autoescaped."""

from datetime import datetime
from typing import Any, TypeVar

import falcon
import jinja2
import markupsafe

from itmj_domain.pagination import Page
from itmj_http.portal.context import PortalContext
from itmj_http.portal.navigation import EMPLOYER_NAV, PLATFORM_NAV

_ERROR_TITLES = {
    400: "That did not work",
    403: "You cannot open this page",
    404: "Page not found",
    405: "That did not work",
    413: "That form is too large",
}


_ERROR_DESCRIPTIONS = {
    404: "There is nothing at this address. Check the link, or start again from your start "
    "page.",
    405: "This page cannot be used that way.",
}


T = TypeVar("T")


def paging(found: Page[T]) -> dict[str, int]:
    """What the pager of a list shows (``_macros.html``): how many items there are, which
    page this is and how many pages there are, one at least."""
    return {
        "total": found.total,
        "page": found.request.page,
        "pages": max(1, -(-found.total // found.request.page_size)),
    }


def _when(value: datetime | None) -> str:
    """A time as pages show it; the date never breaks at its hyphens in a narrow cell."""
    if value is None:
        return "—"
    return markupsafe.Markup('<span class="nowrap">{}</span> {}').format(
        value.strftime("%Y-%m-%d"), value.strftime("%H:%M UTC")
    )


class Pages:
    def __init__(self) -> None:
        self._env = jinja2.Environment(
            loader=jinja2.PackageLoader("itmj_http.portal", "templates"),
            autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["when"] = _when

    def render(self, req: falcon.Request, resp: falcon.Response, template: str,
               status: int = 200, **values: Any) -> None:
        portal: PortalContext = req.context.portal
        nav = PLATFORM_NAV if portal.staff is not None else EMPLOYER_NAV
        resp.status = status
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self._env.get_template(template).render(
            portal=portal,
            csrf_field=lambda: markupsafe.Markup(
                '<input type="hidden" name="csrf_token" value="{}">'
            ).format(portal.csrf_token()),
            flashes=portal.take_flashes(),
            nav=[item for item in nav if portal.is_admin or not item.admin_only],
            path=req.path,
            **values,
        )

    def render_error(self, req: falcon.Request, resp: falcon.Response,
                     error: falcon.HTTPError) -> None:
        status = error.status_code
        if status >= 500:
            title, description = "Something went wrong", "Please try again in a moment."
        else:
            title = _ERROR_TITLES.get(status, "That did not work")
            description = error.description or _ERROR_DESCRIPTIONS.get(
                status, "Please go back and try again."
            )
        self.render(req, resp, "error.html", status=status, code=status, title=title,
                    description=description)
