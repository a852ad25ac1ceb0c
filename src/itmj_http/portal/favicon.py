"""The site's icon at ``/favicon.ico``, where browsers look for it whatever the page links:
served from memory, and cacheable for a day since it changes with a release at most."""

from importlib import resources

import falcon

FAVICON_PATH = "/favicon.ico"
MEDIA_TYPE = "image/vnd.microsoft.icon"
MAX_AGE_SECONDS = 86_400


class Favicon:
    scope = None

    def __init__(self) -> None:
        self._icon = (resources.files("itmj_http.portal") / "static" / "favicon.ico").read_bytes()

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = MEDIA_TYPE
        resp.cache_control = ["public", f"max-age={MAX_AGE_SECONDS}"]
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.data = self._icon
