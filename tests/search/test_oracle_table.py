"""Parser, evaluator and analyzer against real Lucene's answers, recorded in oracle_table.json.

The table comes from ../shared/tools/lucene-oracle in Elasticsearch mode (see
regenerate_oracle_table.py); no Java is needed here.
"""

import json
import re
from pathlib import Path

import pytest

from itmj_domain.search import InvalidQuery, SearchDocument, matches, parse_query
from itmj_domain.search.analyzer import analyze
from tests.refusals import refused
from tests.search.lucene_notation import lucene_notation

TABLE = json.loads((Path(__file__).parent / "oracle_table.json").read_text(encoding="utf-8"))
DOCUMENTS = {
    identifier: SearchDocument(**fields) for identifier, fields in TABLE["documents"].items()
}
ACCEPTED = [case for case in TABLE["cases"] if "error" not in case]
REJECTED = [case for case in TABLE["cases"] if "error" in case]
# Same matches, another shape: a boolean query of one optional clause is that clause.
SHAPE_DIFFERENCES = {"+(_ OR kubernetes)": "+text:kubernetes"}
_LUCENE_COLUMN = re.compile(r"Encountered .* at line 1, column (\d+)")


def _ids(cases: list[dict]) -> list[str]:
    return [case["query"] for case in cases]


def _lucene(case: dict) -> str:
    if case["query"] in SHAPE_DIFFERENCES:
        return SHAPE_DIFFERENCES[case["query"]]
    return "" if case["lucene"].startswith("MatchNoDocsQuery") else case["lucene"]


@pytest.mark.parametrize("case", ACCEPTED, ids=_ids(ACCEPTED))
def test_a_query_parses_into_the_query_lucene_builds(case):
    assert lucene_notation(parse_query(case["query"])) == _lucene(case)


@pytest.mark.parametrize("case", ACCEPTED, ids=_ids(ACCEPTED))
def test_a_query_matches_the_documents_lucene_matches(case):
    query = parse_query(case["query"])

    found = [identifier for identifier, document in DOCUMENTS.items() if matches(query, document)]

    assert found == case["matches"]


@pytest.mark.parametrize("case", REJECTED, ids=_ids(REJECTED))
def test_a_query_lucene_rejects_is_invalid(case):
    with refused(InvalidQuery) as raised:
        parse_query(case["query"])

    column = _LUCENE_COLUMN.search(case["error"])
    if column:
        assert raised.value.position == int(column.group(1))


@pytest.mark.parametrize(
    "entry", TABLE["analysis"], ids=[e["text"][:30] for e in TABLE["analysis"]]
)
def test_text_is_analyzed_into_the_tokens_lucene_produces(entry):
    assert list(analyze(entry["text"])) == entry["tokens"]


def test_the_spec_examples_are_in_the_table():
    cases = {case["query"]: case for case in ACCEPTED}

    assert cases['"Process Engineer" AND "HVAC"']["matches"] == ["d1"]
    assert cases['(("High" OR "Low") AND "voltage") AND "Engineers" AND "Dubai"']["matches"] == [
        "d4",
        "d9",
    ]
    assert cases["kubernetes AND (aws OR gcp) AND NOT junior"]["matches"] == ["d3"]
