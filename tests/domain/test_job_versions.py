from datetime import timedelta, timezone

import pytest

from itmj_domain.errors import PreconditionFailed
from itmj_domain.job_versions import IfMatch, entity_tag
from tests.domain.test_jobs import NOW, draft


def test_the_tag_is_the_same_for_the_same_job_whatever_the_zone_of_its_times():
    job = draft()
    elsewhere = job.edit({}, NOW.astimezone(timezone(timedelta(hours=4))))
    assert entity_tag(job) == entity_tag(draft()) == entity_tag(elsewhere)


def test_every_change_gives_a_new_tag_even_at_the_same_instant():
    job = draft()
    tags = {
        entity_tag(job),
        entity_tag(job.edit({"city": "York"}, NOW)),
        entity_tag(job.edit({"city": "Hull"}, NOW)),
        entity_tag(job.edit({}, NOW + timedelta(microseconds=1))),
        entity_tag(job.publish(NOW)),
        entity_tag(job.deactivate(NOW)),
    }
    assert len(tags) == 6


def test_if_match_lets_a_write_through_on_a_named_tag_or_on_any():
    job = draft()
    IfMatch(frozenset({"nope", entity_tag(job)})).check(job)
    IfMatch.any().check(job)
    for stale in (IfMatch(frozenset()), IfMatch(frozenset({entity_tag(job.publish(NOW))}))):
        with pytest.raises(PreconditionFailed, match=f"job {job.id} has changed"):
            stale.check(job)


def test_the_tag_of_a_version_stays_what_partners_were_given():
    # Partners keep tags across our upgrades: a faster derivation must spell the same state.
    job = draft()
    assert entity_tag(job) == "7fcce12bef347d745274e8b632cf41b4"
    assert entity_tag(job.publish(NOW)) == "36fa39643da217be1cf3737d566c1108"
