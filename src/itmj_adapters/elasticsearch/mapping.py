"""The candidate index's settings and mapping.

The five searchable fields are ``text`` with the ``standard`` analyzer, each copied into
``all_text``, the default field of partners' queries. A phrase must never span two values
(skills) or two fields (in ``all_text``), so values sit ``POSITION_GAP`` positions apart: a
proximity search would need that much slop to cross over, where Elasticsearch's default gap of
100 would let ``"a b"~100`` reach into the next value. The filter fields and the id used to
break ties are doc values only: they can be filtered and sorted on, and a ``*:`` query never
expands to them, so ``*:784`` cannot match a country id.
"""

from itmj_domain.search import SearchField

POSITION_GAP = 1_000_000
DEFAULT_FIELD = "all_text"

_TEXT = {"type": "text", "analyzer": "standard", "position_increment_gap": POSITION_GAP}
_DOC_VALUES_ONLY = {"index": False, "doc_values": True}


def index_settings() -> dict:
    # One shard: term statistics, and so scores, do not depend on how documents were spread.
    return {"number_of_shards": 1}


def index_mappings() -> dict:
    searchable = {field.value: {**_TEXT, "copy_to": DEFAULT_FIELD} for field in SearchField}
    return {
        "dynamic": "strict",
        "properties": {
            **searchable,
            DEFAULT_FIELD: _TEXT,
            "id": {"type": "long", **_DOC_VALUES_ONLY},
            "preferred_country_ids": {"type": "integer", **_DOC_VALUES_ONLY},
            # Nanoseconds, so no activity time is rounded across an "active since" bound.
            "last_active_at": {"type": "date_nanos", **_DOC_VALUES_ONLY},
        },
    }
