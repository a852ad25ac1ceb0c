import pytest

from itmj_domain.search import SearchDocument, SearchField, matches, parse_query
from itmj_domain.search.tree import Boolean, Boost, Clause, MatchAll, MatchNone, Occur, Term

DEVOPS = SearchDocument(
    headline="Senior DevOps Engineer",
    summary="Kubernetes and AWS in Abu Dhabi",
    skills=("kubernetes", "aws", "ci/cd"),
    city="Dubai",
    country="United Arab Emirates",
)


def found(text, document=DEVOPS):
    return matches(parse_query(text), document)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('skills:"kubernetes aws"', False),
        ('"kubernetes aws"', False),
        ('skills:"kubernetes aws"~5', False),
        ('"kubernetes aws"~1', True),
        ('skills:"ci cd"', True),
        ('"dubai united"', False),
        ('"engineer kubernetes"~10', False),
        ('summary:"abu dhabi"', True),
        ('city:"abu dhabi"', False),
    ],
)
def test_a_phrase_never_spans_two_values_or_two_fields(text, expected):
    assert found(text) is expected


def test_a_bare_term_searches_every_field_and_a_field_only_itself():
    assert found("emirates")
    assert found("country:emirates")
    assert not found("headline:emirates")


@pytest.mark.parametrize(
    ("document", "city_exists", "skills_exist"),
    [
        (SearchDocument(city="Dubai", skills=("aws",)), True, True),
        (SearchDocument(city="", skills=("",)), True, True),
        (SearchDocument(city=None, skills=()), False, False),
    ],
)
def test_a_field_exists_when_it_has_a_value_even_an_empty_one(document, city_exists, skills_exist):
    assert found("_exists_:city", document) is city_exists
    assert found("city:*", document) is city_exists
    assert found("skills:*", document) is skills_exist


def test_any_field_for_a_bare_star_and_every_document_for_match_all():
    empty = SearchDocument()

    assert found("*")
    assert not found("*", empty)
    assert found("*:*", empty)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kubernetes AND python", False),
        ("kubernetes python", True),
        ("+kubernetes python", True),
        ("python java", False),
        ("NOT python", True),
        ("NOT kubernetes", False),
        ("-python -java", True),
        ("kubernetes -aws", False),
        ("(NOT python) AND kubernetes", True),
        ("kubernetes AND (aws OR gcp) AND NOT junior", True),
    ],
)
def test_boolean_semantics(text, expected):
    assert found(text) is expected


def test_boosts_change_nothing_and_the_constant_queries():
    term = Term("kubernetes", SearchField.SKILLS)

    assert matches(Boost(term, 0.0), DEVOPS)
    assert matches(MatchAll(), DEVOPS)
    assert not matches(MatchNone(), DEVOPS)
    assert matches(Boolean([Clause(Occur.MUST_NOT, Term("python"))]), DEVOPS)


@pytest.mark.parametrize(
    "text",
    ["kube*", "*ops", "d?vops", "kubernets~", "/kube.*/", "[ab TO ac]", "city:>=dubai", "ci-cd"],
)
def test_multi_term_queries_look_at_the_tokens(text):
    assert found(text)
