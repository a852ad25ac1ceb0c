"""The demo's outbox: the emails a demo sends (invitations, password resets, staff
invitations) kept in memory, for the demo-only page ``/demo/mail``, and written whole to the
server's log, so that a newcomer can follow their links without an SMTP server.

Only ``ITMJ_MODE=demo`` (``itmj serve --demo``) without ``ITMJ_SMTP_URL`` uses it: the log
then holds invitation and reset links, which is what the demo is for and why no other mode
does so. The page shows what the process serving it sent; with several gunicorn workers
(``itmj serve --workers 2 --demo`` on PostgreSQL) each has its own, and the log has them all.
"""

import logging

from itmj_adapters.recording_notifier import RecordingNotifier

log = logging.getLogger("itmj.demo.mail")
# The serving process logs warnings and worse; the demo's mail is meant to be read.
log.setLevel(logging.INFO)


class DemoMailbox(RecordingNotifier):
    """Keeps every email, as the recording notifier does, and logs it whole."""

    def send(self, to: str, subject: str, body: str) -> None:
        super().send(to, subject, body)
        log.info("demo mail (also on /demo/mail)\nTo: %s\nSubject: %s\n\n%s", to, subject,
                 body)
