"""Email through an SMTP relay named by ``ITMJ_SMTP_URL``.

``smtp://user:password@host:port/?from=noreply@example.com`` for plain SMTP upgraded with
STARTTLS when the server offers it; ``smtps://`` for implicit TLS.
"""

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_SENDER = "no-reply@itmanagerjobs.example"
TIMEOUT_SECONDS = 10


class SmtpNotifier:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("ITMJ_SMTP_URL must look like smtp://host:port or smtps://host")
        self._implicit_tls = parts.scheme == "smtps"
        self._host = parts.hostname
        self._port = parts.port or (465 if self._implicit_tls else 25)
        self._username = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self._sender = parse_qs(parts.query).get("from", [DEFAULT_SENDER])[0]

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with self._connect() as smtp:
            if self._username is not None:
                smtp.login(self._username, self._password or "")
            smtp.send_message(message)

    def _connect(self) -> smtplib.SMTP:
        if self._implicit_tls:
            return smtplib.SMTP_SSL(
                self._host, self._port, timeout=TIMEOUT_SECONDS,
                context=ssl.create_default_context(),
            )
        smtp = smtplib.SMTP(self._host, self._port, timeout=TIMEOUT_SECONDS)
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        return smtp
