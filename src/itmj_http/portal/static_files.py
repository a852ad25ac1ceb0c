"""The portal's stylesheet and script, read once from the package."""

from importlib import resources

import falcon

from itmj_http.portal.middleware import PortalResource

STATIC_PATH = "/static/portal/{name}"
_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


class StaticFiles(PortalResource):
    def __init__(self) -> None:
        folder = resources.files(__package__) / "static"
        self._files = {
            f.name: (f.read_bytes(), _TYPES[f.name[f.name.rindex("."):]])
            for f in folder.iterdir()
            if f.is_file() and f.name[f.name.rfind("."):] in _TYPES
        }

    def on_get(self, _req: falcon.Request, resp: falcon.Response, name: str) -> None:
        found = self._files.get(name)
        if found is None:
            raise falcon.HTTPNotFound()
        resp.data, resp.content_type = found
        resp.cache_control = ["public", "max-age=3600"]
