"""Conditional requests on a job (SPEC §11): its ``ETag``, writes on ``If-Match`` and reads on
``If-None-Match``.

The tag is strong (``itmj_domain.job_versions``), sent on every answer that carries the job.
``If-Match`` compares strongly, as RFC 9110 says: a weak tag never matches, and ``*`` matches
any job that exists. ``If-None-Match`` compares weakly and answers 304 with the tag and no
body. What a header holds besides quoted tags (and ``*``) matches nothing: a write on it is
412, a read 200, as for a tag of another version.
"""

import functools
import re

import falcon

from itmj_domain.job_versions import IfMatch, entity_tag
from itmj_domain.jobs import JobPost

ETAG = "ETag"
IF_MATCH = "If-Match"
IF_NONE_MATCH = "If-None-Match"
# One entity-tag of a list: an optional W/, then a quoted run of visible characters but '"'.
_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"')


# Both backends hand every read of an unchanged job the same JobPost, so its tag, a digest of
# the whole job, is computed once for it rather than on every read.
@functools.lru_cache(maxsize=1024)
def etag(job: JobPost) -> str:
    return f'"{entity_tag(job)}"'


def tag(resp: falcon.Response, job: JobPost) -> None:
    resp.set_header(ETAG, etag(job))


def if_match(req: falcon.Request) -> IfMatch | None:
    """The version a write is conditional on, if the request names one."""
    raw = req.get_header(IF_MATCH)
    if raw is None:
        return None
    if raw.strip() == "*":
        return IfMatch.any()
    return IfMatch(frozenset(value for weak, value in _tags(raw) if not weak))


def not_modified(req: falcon.Request, resp: falcon.Response, job: JobPost) -> bool:
    """Answer 304 when the caller already has this version of the job (and say so)."""
    raw = req.get_header(IF_NONE_MATCH)
    if raw is None:
        return False
    if raw.strip() != "*" and etag(job)[1:-1] not in {v for _, v in _tags(raw)}:
        return False
    resp.status = falcon.HTTP_304
    resp.data = None
    tag(resp, job)
    return True


def _tags(raw: str) -> list[tuple[bool, str]]:
    """(weak, value) of each quoted tag the header lists. What is not a quoted tag names no
    version of any job, so it never matches: a write on it fails as a stale one would."""
    return [(weak == "W/", value) for weak, value in _TAG.findall(raw)]
