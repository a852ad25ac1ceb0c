"""Candidates: platform-wide profiles (unlocks are per employer, elsewhere)."""

from datetime import datetime
from functools import partial

import attrs

from itmj_domain.errors import InvalidInput

MAX_SKILLS = 100


# Validators are partial applications of module-level checks, not closures made by a factory:
# mutation testing can then reach the check, which runs at validation time, whereas a factory
# runs once, at import.
def _at_most(limit: int, _instance: object, attribute: "attrs.Attribute[str | None]",
             value: str | None) -> None:
    if value is not None and len(value) > limit:
        raise InvalidInput(
            f"{attribute.name} must be at most {limit} characters", field=attribute.name
        )


@attrs.frozen
class Candidate:
    id: int
    external_id: str = attrs.field(validator=partial(_at_most, 200))
    full_name: str = attrs.field(validator=partial(_at_most, 200))
    email: str = attrs.field(validator=partial(_at_most, 320))
    phone: str | None = attrs.field(validator=partial(_at_most, 50))
    headline: str = attrs.field(validator=partial(_at_most, 300))
    summary: str = attrs.field(validator=partial(_at_most, 20_000))
    skills: tuple[str, ...]
    city: str | None = attrs.field(validator=partial(_at_most, 100))
    country_id: int | None
    preferred_country_ids: frozenset[int]
    last_active_at: datetime
    hidden: bool = False

    def __attrs_post_init__(self) -> None:
        if not self.full_name.strip():
            raise InvalidInput("full_name must not be blank", field="full_name")
        if len(self.skills) > MAX_SKILLS or any(len(s) > 100 for s in self.skills):
            raise InvalidInput(
                f"skills holds at most {MAX_SKILLS} values of 100 characters", field="skills"
            )


@attrs.frozen
class CandidateProfile:
    """A candidate as a source system sends it (``external_id`` is that system's id): all of
    the candidate but the platform's own id and visibility. Checked when it becomes one."""

    external_id: str
    full_name: str
    email: str
    phone: str | None
    headline: str
    summary: str
    skills: tuple[str, ...]
    city: str | None
    country_id: int | None
    preferred_country_ids: frozenset[int]
    last_active_at: datetime

    def as_candidate(self, candidate_id: int, hidden: bool = False) -> Candidate:
        """The candidate with this profile; raises ``InvalidInput`` if it breaks a rule."""
        return Candidate(
            id=candidate_id,
            hidden=hidden,
            **{a.name: getattr(self, a.name) for a in attrs.fields(CandidateProfile)},
        )
