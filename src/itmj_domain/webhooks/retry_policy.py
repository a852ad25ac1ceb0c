"""When a failed delivery is tried again, and when it is given up.

SPEC §7: the first attempt is immediate; the delays 1m, 5m, 15m, 1h, 6h, 24h, 24h, 24h are
the eight retries; when the last one fails the delivery is dead-lettered. Operators may
replace the delays (``ITMJ_WEBHOOK_RETRY_DELAYS``); the shape of the rule stays the same.
"""

from datetime import timedelta

import attrs

from itmj_domain.errors import InvalidInput

HOUR = 3600
DAY = 24 * HOUR


def _positive(
    _instance: object, _attribute: "attrs.Attribute[tuple[timedelta, ...]]",
    value: tuple[timedelta, ...],
) -> None:
    if any(delay <= timedelta(0) for delay in value):
        raise InvalidInput("retry delays must be positive", field="delays")


@attrs.frozen
class RetryPolicy:
    delays: tuple[timedelta, ...] = attrs.field(
        default=tuple(
            timedelta(seconds=s) for s in (60, 300, 900, HOUR, 6 * HOUR, DAY, DAY, DAY)
        ),
        validator=_positive,
    )

    @property
    def max_attempts(self) -> int:
        return len(self.delays) + 1

    def delay_after(self, failed_attempts: int) -> timedelta | None:
        """The wait before the next attempt after ``failed_attempts`` failures in a row,
        or None when the delivery must be dead-lettered."""
        if failed_attempts < 1:
            raise InvalidInput("a delay follows at least one failed attempt")
        if failed_attempts > len(self.delays):
            return None
        return self.delays[failed_attempts - 1]

    @classmethod
    def from_seconds(cls, text: str) -> "RetryPolicy":
        """Parse ``"60,300,900"``, the operators' override."""
        try:
            seconds = [float(part) for part in text.split(",") if part.strip()]
        except ValueError as error:
            raise InvalidInput(f"retry delays must be numbers of seconds: {text!r}") from error
        return cls(tuple(timedelta(seconds=s) for s in seconds))
