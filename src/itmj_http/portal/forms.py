"""HTML form bodies (``application/x-www-form-urlencoded``), read within a small limit."""

from urllib.parse import parse_qs

import attrs
import falcon

# Portal forms are a few short fields; nothing legitimate comes near this.
MAX_FORM_BYTES = 64 * 1024


@attrs.frozen
class Form:
    fields: dict[str, list[str]]

    def get(self, name: str) -> str:
        """The field's first value; empty when it was not sent."""
        values = self.fields.get(name)
        return values[0] if values else ""

    def all(self, name: str) -> list[str]:
        return list(self.fields.get(name, ()))


def read_form(req: falcon.Request) -> Form:
    media_type = (req.content_type or "").split(";", 1)[0].strip().lower()
    if media_type != falcon.MEDIA_URLENCODED:
        return Form({})
    if req.content_length is not None and req.content_length > MAX_FORM_BYTES:
        raise falcon.HTTPPayloadTooLarge(description="This form is too large.")
    raw = req.bounded_stream.read(MAX_FORM_BYTES + 1)
    if len(raw) > MAX_FORM_BYTES:
        raise falcon.HTTPPayloadTooLarge(description="This form is too large.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise falcon.HTTPBadRequest(description="This form was not sent as UTF-8.") from None
    return Form(parse_qs(text, keep_blank_values=True))
