"""``/demo/mail``: in demo mode only, the emails this process sent (invitations, password
resets, staff invitations), newest first, with their links clickable, so that a newcomer
without an SMTP server can finish the journeys that start with an email. Outside demo mode
the page is not routed (404). The demo's outbox (``DemoMailbox``) also writes each email to
the server's log, which is where to look when several workers serve the demo: each worker
keeps its own, and this page shows the one that answered.
"""

import re

import attrs
import falcon

from itmj_adapters.recording_notifier import RecordingNotifier
from itmj_domain.ports.messaging import Notifier
from itmj_http.portal.middleware import PortalResource
from itmj_http.portal.pages import Pages

DEMO_MAIL_PATH = "/demo/mail"
_LINK = re.compile(r"https?://[^\s<>\"]+")


@attrs.frozen
class _Segment:
    text: str
    link: bool


@attrs.frozen
class _Mail:
    to: str
    subject: str
    segments: list[_Segment]


def _segments(body: str) -> list[_Segment]:
    """The body as text and links, in order."""
    found, at = [], 0
    for match in _LINK.finditer(body):
        found.append(_Segment(body[at:match.start()], False))
        found.append(_Segment(match.group(0), True))
        at = match.end()
    found.append(_Segment(body[at:], False))
    return [segment for segment in found if segment.text]


class DemoMail(PortalResource):
    def __init__(self, notifier: Notifier, pages: Pages) -> None:
        self._notifier = notifier
        self._pages = pages

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        kept = isinstance(self._notifier, RecordingNotifier)
        sent = self._notifier.sent if isinstance(self._notifier, RecordingNotifier) else []
        mails = [_Mail(mail.to, mail.subject, _segments(mail.body)) for mail in reversed(sent)]
        self._pages.render(req, resp, "demo/mail.html", mails=mails, kept=kept)
