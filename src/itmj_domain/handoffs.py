"""A secret handed from the form that made it to the one page that shows it, without the
secret being stored anywhere.

Post/redirect/get needs the secret to outlive the POST until the GET after the redirect. It
is split with a one-time pad: a random pad as long as the secret, which the browser keeps in
a short-lived cookie, and the secret XOR the pad, which the session keeps on the server (in
Redis or PostgreSQL when those hold sessions). Each half alone is uniformly random and tells
nothing of the secret, whoever reads the session store, a database dump or the cookie jar;
the page that shows the secret joins the halves once and the session's half is dropped, so
a reload finds nothing to join.
"""

import base64
import binascii
import secrets

import attrs


@attrs.frozen
class Handoff:
    """The session's half: ``subject`` names what the secret belongs to (an API key, a
    webhook subscription), so that a pad is joined only on that thing's page."""

    subject: str
    masked: str = attrs.field(repr=False)


@attrs.frozen
class SplitSecret:
    handoff: Handoff
    # The browser's half, base64url.
    pad: str = attrs.field(repr=False)


def split(subject: str, secret: str) -> SplitSecret:
    plain = secret.encode()
    pad = secrets.token_bytes(len(plain))
    masked = bytes(a ^ b for a, b in zip(plain, pad, strict=True))
    return SplitSecret(Handoff(subject, _text(masked)), _text(pad))


def join(handoff: Handoff, pad: str) -> str | None:
    """The secret, or None when ``pad`` is not the other half of ``handoff``'s."""
    try:
        masked, key = _bytes(handoff.masked), _bytes(pad)
    except (binascii.Error, ValueError):
        return None
    if len(masked) != len(key):
        return None
    try:
        return bytes(a ^ b for a, b in zip(masked, key, strict=True)).decode()
    except UnicodeDecodeError:
        return None


def _text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _bytes(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))
