"""HTML form bodies (``application/x-www-form-urlencoded``), read within a small limit, and,
for the pages that take a file, ``multipart/form-data`` (parsed by Falcon's media handler)."""

from urllib.parse import parse_qs

import attrs
import falcon
from falcon.media.multipart import MultipartForm

# Portal forms are a few short fields; nothing legitimate comes near this.
MAX_FORM_BYTES = 64 * 1024


@attrs.frozen
class Form:
    fields: dict[str, list[str]]
    # The content of each file field for which a file was chosen.
    files: dict[str, bytes] = attrs.field(factory=dict)

    def get(self, name: str) -> str:
        """The field's first value; empty when it was not sent."""
        values = self.fields.get(name)
        return values[0] if values else ""

    def all(self, name: str) -> list[str]:
        return list(self.fields.get(name, ()))

    def file(self, name: str) -> bytes | None:
        """The chosen file's content; None when none was chosen."""
        return self.files.get(name)


def read_form(req: falcon.Request, max_upload_bytes: int = 0) -> Form:
    """The form a POST carries; a multipart one only when the page takes files of up to
    ``max_upload_bytes`` (0: none), so that no other page reads more than a small form."""
    media_type = (req.content_type or "").split(";", 1)[0].strip().lower()
    if media_type == falcon.MEDIA_MULTIPART and max_upload_bytes:
        return _read_multipart(req, MAX_FORM_BYTES + max_upload_bytes)
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


def _read_multipart(req: falcon.Request, limit: int) -> Form:
    if req.content_length is not None and req.content_length > limit:
        raise falcon.HTTPContentTooLarge(description="This form is too large.")
    fields: dict[str, list[str]] = {}
    files: dict[str, bytes] = {}
    parts: MultipartForm = req.get_media()
    read = 0
    for part in parts:
        if part.name is None:
            continue
        if part.filename is None:
            text = part.get_text() or ""
            fields.setdefault(part.name, []).append(text)
            read += len(text)
        else:
            content = part.stream.read(limit - read + 1)
            read += len(content)
            # A file input left empty still sends its part, with no file name and no bytes.
            if part.filename or content:
                files[part.name] = content
        if read > limit:
            raise falcon.HTTPContentTooLarge(description="This form is too large.")
    return Form(fields, files)
