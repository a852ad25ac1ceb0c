"""An email outbox kept in memory: the notifier when no SMTP server is configured, and the
testing kit's (``itmj_adapters.testing``)."""

import threading

import attrs


@attrs.frozen
class SentEmail:
    to: str
    subject: str
    body: str


class RecordingNotifier:
    """Keeps every email it is asked to send, in order; ``sent`` is a copy."""

    def __init__(self) -> None:
        self._sent: list[SentEmail] = []
        self._lock = threading.Lock()

    def send(self, to: str, subject: str, body: str) -> None:
        with self._lock:
            self._sent.append(SentEmail(to, subject, body))

    @property
    def sent(self) -> list[SentEmail]:
        with self._lock:
            return list(self._sent)
