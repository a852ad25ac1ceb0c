import pytest

from itmj_domain.search import SearchField, parse_query
from itmj_domain.search.tree import (
    Boolean,
    Boost,
    Clause,
    Exists,
    Fuzzy,
    MatchAll,
    MatchNone,
    Occur,
    Phrase,
    Prefix,
    Range,
    Regexp,
    Term,
    Wildcard,
)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        (Term("a:b"), "a\\:b"),
        (Term("and"), "and"),
        (Term("x", SearchField.CITY), "city:x"),
        (Phrase(("say", 'צה"ל')), '"say צה\\"ל"'),
        (Phrase(("abu", "dhabi"), 2, SearchField.CITY), 'city:"abu dhabi"~2'),
        (Prefix("c+"), "c\\+*"),
        (Wildcard("k?be\\*"), "k?be\\*"),
        (Fuzzy("a b", 1), "a\\ b~1"),
        (Fuzzy("not", 0), "not~0"),
        (Regexp("a\\/b"), "/a\\/b/"),
        (Range("abu dhabi", None, False, True), '{"abu dhabi" TO *]'),
        (Range("to", "x]"), '[to TO "x]"]'),
        (Range("a\\b", 'c"d'), '[a\\\\b TO c\\"d]'),
        (Range("a\\ b", 'c"]'), '["a\\\\ b" TO "c\\"]"]'),
        (Exists(), "*"),
        (Exists(SearchField.SKILLS), "_exists_:skills"),
        (MatchAll(), "*:*"),
        (MatchNone(), ""),
        (Boost(Term("a"), 1e-08), "a^0.00000001"),
        (Boost(Boost(Term("a"), 2.0), 3.0), "(a^2.0)^3.0"),
        (
            Boolean([Clause(Occur.MUST, Term("a")),
                     Clause(Occur.MUST_NOT, Boolean([Clause(Occur.SHOULD, Term("b")),
                                                     Clause(Occur.SHOULD, Term("c"))]))]),
            "+a -(b c)",
        ),
    ],
)  # fmt: skip
def test_to_query_string_writes_text_that_parses_back(query, text):
    assert query.to_query_string() == text
    assert parse_query(text) == query


def test_a_boolean_query_sorts_its_clauses_by_occurrence():
    query = parse_query("+a b -c +d")

    assert query.must == (Term("a"), Term("d"))
    assert query.should == (Term("b"),)
    assert query.must_not == (Term("c"),)


def test_a_phrase_has_two_terms_and_a_boolean_query_one_clause():
    with pytest.raises(ValueError):
        Phrase(("one",))
    with pytest.raises(ValueError):
        Boolean([])


def test_a_phrase_escapes_a_backslash_so_its_text_reads_back_unchanged():
    text = Phrase(("c:\\temp", "dir")).to_query_string()

    assert text == '"c:\\\\temp dir"'
    assert parse_query(text) == Phrase(("c", "temp", "dir"))
