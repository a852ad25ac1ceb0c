"""Conditional requests on a job (SPEC §11) in the OpenAPI document: the ``ETag`` of every
answer that carries the job, ``If-Match`` on its writes and ``If-None-Match`` with its 304 on
its read. The 412 of a write is a shared response of ``openapi``, like every error."""

from typing import Any

from itmj_http.conditional import ETAG, IF_MATCH, IF_NONE_MATCH

# A strong entity tag, quoted, as ETag sends it.
_TAG_PATTERN = r'^"[\x21\x23-\x7e]*"$'
_ETAG_HEADER = {
    "description": "The job's current version, a strong entity tag: send it back in If-Match "
                   "to change the job only if nobody has since, or in If-None-Match to read "
                   "it only if it has changed. Every change to the job gives a new one.",
    "required": True,
    "schema": {"type": "string", "pattern": _TAG_PATTERN,
               "examples": ['"5d41402abc4b2a76b9719d911017c592"']},
}
_IF_MATCH = {
    "name": IF_MATCH,
    "in": "header",
    "required": False,
    "description": "Change the job only if its ETag is one of these quoted tags (strong "
                   "comparison: a W/ tag never matches), or if it exists at all (*). "
                   "Otherwise 412 precondition_failed, and nothing is changed or charged. "
                   "The check and the change are one transaction.",
    "schema": {"type": "string", "examples": ['"5d41402abc4b2a76b9719d911017c592"', "*"]},
}
_IF_NONE_MATCH = {
    "name": IF_NONE_MATCH,
    "in": "header",
    "required": False,
    "description": "Answer 304 Not Modified, without a body, if the job's ETag is one of "
                   "these (weak comparison) or for * .",
    "schema": {"type": "string", "examples": ['"5d41402abc4b2a76b9719d911017c592"']},
}
_NOT_MODIFIED = {
    "description": "Not Modified: the job's ETag matches If-None-Match. No body.",
    "headers": {ETAG: _ETAG_HEADER},
}
_TAGGED = ("createJob", "getJob", "updateJob", "deactivateJob", "publishJob")
_CONDITIONAL_WRITES = ("updateJob", "deactivateJob", "publishJob")


def describe_conditional_requests(paths: dict[str, Any]) -> dict[str, Any]:
    """``paths`` with the job's operations described as conditional (changed in place)."""
    for item in paths.values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            operation_id = operation.get("operationId")
            if operation_id in _TAGGED:
                for status, response in operation["responses"].items():
                    if status.startswith("2"):
                        response["headers"] = {**response.get("headers", {}),
                                               ETAG: _ETAG_HEADER}
            if operation_id in _CONDITIONAL_WRITES:
                operation["parameters"] = [*operation.get("parameters", []), _IF_MATCH]
            if operation_id == "getJob":
                operation["parameters"] = [*operation.get("parameters", []), _IF_NONE_MATCH]
                operation["responses"] = dict(sorted(
                    {**operation["responses"], "304": _NOT_MODIFIED}.items()
                ))
    return paths
