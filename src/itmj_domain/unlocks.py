"""Unlock windows: an employer that paid to see a candidate's profile sees it free for 30 days.

Search results are masked: no contact detail, and the name reduced to the first letter of
each part (``"Pat Example"`` → ``"P*** E***"``).
"""

from datetime import datetime, timedelta

import attrs

UNLOCK_WINDOW = timedelta(days=30)
MASK = "***"


@attrs.frozen
class Unlock:
    employer_id: int
    candidate_id: int
    unlocked_at: datetime

    @property
    def until(self) -> datetime:
        return self.unlocked_at + UNLOCK_WINDOW

    def is_active(self, now: datetime) -> bool:
        return self.unlocked_at <= now < self.until


def mask_name(full_name: str) -> str:
    """Keep only the first character of each whitespace-separated part."""
    return " ".join(part[0] + MASK for part in full_name.split())
