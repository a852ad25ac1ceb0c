import pytest

from itmj_domain.search import (
    MAX_CLAUSES,
    MAX_PHRASE_TERMS,
    MAX_QUERY_LENGTH,
    InvalidQuery,
    parse_query,
)
from itmj_domain.search.fields import SearchField
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
from tests.refusals import refused

MUST, SHOULD, MUST_NOT = Occur.MUST, Occur.SHOULD, Occur.MUST_NOT


def boolean(*clauses):
    return Boolean(Clause(occur, query) for occur, query in clauses)


def error_of(text):
    with refused(InvalidQuery) as raised:
        parse_query(text)
    return raised.value


def test_words_that_analyze_to_one_term_keep_their_place_among_the_clauses():
    assert parse_query("kubernetes . AND aws") == boolean(
        (MUST, Term("kubernetes")), (MUST, Term("aws"))
    )
    assert parse_query("gcp OR kubernetes .") == boolean(
        (SHOULD, Term("gcp")), (SHOULD, Term("kubernetes"))
    )
    assert parse_query("kubernetes . +aws") == boolean(
        (SHOULD, Term("kubernetes")), (MUST, Term("aws"))
    )


def test_a_bad_escape_among_plain_words_is_placed_where_it_stands():
    assert error_of("aws kube\\u12").position == 8


def test_the_spec_examples():
    assert parse_query('"Process Engineer" AND "HVAC"') == boolean(
        (MUST, Phrase(("process", "engineer"))), (MUST, Term("hvac"))
    )
    assert parse_query('(("High" OR "Low") AND "voltage") AND "Engineers" AND "Dubai"') == boolean(
        (
            MUST,
            boolean((MUST, boolean((SHOULD, Term("high")), (SHOULD, Term("low")))),
                    (MUST, Term("voltage"))),
        ),
        (MUST, Term("engineers")),
        (MUST, Term("dubai")),
    )  # fmt: skip
    assert parse_query("kubernetes AND (aws OR gcp) AND NOT junior") == boolean(
        (MUST, Term("kubernetes")),
        (MUST, boolean((SHOULD, Term("aws")), (SHOULD, Term("gcp")))),
        (MUST_NOT, Term("junior")),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a AND b OR c", "+a +b c"),
        ("a OR b AND c", "a +b +c"),
        ("a AND NOT b OR c", "+a -b c"),
        ("NOT a AND b", "-a +b"),
        ("a && b || !c", "+a +b -c"),
        ("a b AND c", "a +b +c"),
        ("+a -b c", "+a -b c"),
        ("a - b", "a b"),
    ],
)
def test_operators_mark_their_neighbours_without_precedence(text, expected):
    assert parse_query(text) == parse_query(expected)
    assert parse_query(text).to_query_string() == expected


def test_a_purely_negative_query_is_a_boolean_of_prohibited_clauses():
    assert parse_query("NOT junior") == boolean((MUST_NOT, Term("junior")))
    assert parse_query("(-junior)") == boolean((MUST_NOT, Term("junior")))


def test_field_qualified_clauses():
    assert parse_query("skills:Kubernetes") == Term("kubernetes", SearchField.SKILLS)
    assert parse_query('city:"abu dhabi"') == Phrase(("abu", "dhabi"), 0, SearchField.CITY)
    assert parse_query("headline:(junior OR senior)") == boolean(
        (SHOULD, Term("junior", SearchField.HEADLINE)),
        (SHOULD, Term("senior", SearchField.HEADLINE)),
    )
    assert parse_query("*:kubernetes") == Term("kubernetes")


def test_words_are_analyzed_and_a_word_of_several_tokens_is_a_disjunction():
    assert parse_query("Node.js") == Term("node.js")
    assert parse_query("C++") == Term("c")
    assert parse_query('"CI/CD"') == Phrase(("ci", "cd"))
    assert parse_query("ci-cd") == boolean((SHOULD, Term("ci")), (SHOULD, Term("cd")))
    assert parse_query('"Kubernetes"~3') == Term("kubernetes")


def test_presence_and_match_all():
    assert parse_query("*") == Exists()
    assert parse_query("city:*") == Exists(SearchField.CITY)
    assert parse_query("_exists_:city") == Exists(SearchField.CITY)
    assert parse_query('_exists_:"skills"') == Exists(SearchField.SKILLS)
    assert parse_query("*:*") == MatchAll()


@pytest.mark.parametrize("text", ["", "   ", "\t\n", '"+++"', "_", '""'])
def test_a_query_without_any_word_matches_nothing(text):
    assert parse_query(text) == MatchNone()


@pytest.mark.parametrize(
    ("text", "edits"),
    [("ab~", 0), ("abc~", 1), ("abcde~", 1), ("abcdef~", 2), ("ab~1", 1), ("ab~3", 2),
     ("ab~0.5", 0), ("ab~0", 0)],
)  # fmt: skip
def test_fuzzy_edits_bare_tilde_is_auto(text, edits):
    assert parse_query(text) == Fuzzy(text.split("~")[0], edits)


def test_multi_term_queries_are_lowercased_but_not_split():
    assert parse_query("Kube*") == Prefix("kube")
    assert parse_query("Node.J*") == Prefix("node.j")
    assert parse_query("K?be\\*") == Wildcard("k?be\\*")
    assert parse_query("C++~") == Fuzzy("c++", 1)
    assert parse_query("[Alpha TO Omega}") == Range("alpha", "omega", True, False)


def test_regular_expressions_are_kept_as_written():
    assert parse_query("/Kube.*/") == Regexp("Kube.*")
    assert parse_query("skills:/k8s|kube/") == Regexp("k8s|kube", SearchField.SKILLS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[* TO b]", Range(None, "b")),
        ('[a TO "*"]', Range("a", None)),
        ("city:>lon", Range("lon", None, False, True, SearchField.CITY)),
        ("city:>=lon", Range("lon", None, True, True, SearchField.CITY)),
        ("city:<lon", Range(None, "lon", True, False, SearchField.CITY)),
        ("city:<=lon", Range(None, "lon", True, True, SearchField.CITY)),
        ('city:["Abu Dhabi" TO Doha]', Range("abu dhabi", "doha", field=SearchField.CITY)),
    ],
)
def test_ranges(text, expected):
    assert parse_query(text) == expected


def test_boosts_are_kept_and_do_not_change_the_query_inside():
    assert parse_query("aws^2") == Boost(Term("aws"), 2.0)
    assert parse_query("(aws gcp)^0.5") == Boost(
        boolean((SHOULD, Term("aws")), (SHOULD, Term("gcp"))), 0.5
    )
    assert parse_query("aws~1^3") == Boost(Fuzzy("aws", 1), 3.0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("aws^2.", Boost(Term("aws"), 2.0)),
        ("aws^2.*", boolean((SHOULD, Boost(Term("aws"), 2.0)), (SHOULD, Prefix(".")))),
        ("aws^2.X*", boolean((SHOULD, Boost(Term("aws"), 2.0)), (SHOULD, Prefix(".x")))),
        ("aws^2.5X", boolean((SHOULD, Boost(Term("aws"), 2.5)), (SHOULD, Term("x")))),
    ],
)
def test_a_boost_takes_a_fraction_only_when_digits_follow_the_point(text, expected):
    # Lucene's <NUMBER: (digit)+ ("." (digit)+)?>: what follows the number starts a new term.
    assert parse_query(text) == expected


def test_backslash_escapes():
    assert parse_query("title\\:foo") == Term("title:foo")
    assert parse_query("\\u0064ubai") == Term("dubai")
    assert parse_query("kube\\*") == Term("kube")


@pytest.mark.parametrize(
    ("text", "position", "expected"),
    [
        ("kubernetes AND", 14, "expected a term, a phrase, a range or '(' after 'AND'"),
        ("AND kubernetes", 0, "found the operator AND"),
        ('"unterminated', 13, "expected a closing '\"' for the phrase opened at position 0"),
        ("(kubernetes OR aws", 18, "expected ')' to close the '(' at position 0"),
        ("kubernetes)", 10, "expected the end of the query"),
        ("/", 1, "expected a closing '/' for the regular expression opened at position 0"),
        ("skills:", 7, "expected a term, a phrase, a range or '(' after 'skills:'"),
        ("title:foo", 0, "found the unknown field 'title'"),
        ("Skills:foo", 0, "expected a field among headline, summary, skills, city, country"),
        ("_exists_:title", 9, "expected a field name after '_exists_:'"),
        ("_exists_:city*", 9, "found a prefix term"),
        ("kubernetes^", 11, "expected a number after '^'"),
        ("kubernetes^ 2", 11, "found a space"),
        ("kubernetes^x", 11, "found 'x'"),
        ("kubernetes^X", 11, "found 'X'"),
        ("kubernetes^", 11, "(a boost such as ^2 or ^0.5), found the end of the query"),
        ("[a TO b", 7, "expected ']' or '}' to close the range opened at position 0"),
        ("/ku(be/", 6, "expected ')' to close the group in the regular expression"),
        ("aws~1.5", 3, "expected a whole number of edits after '~' (0, 1 or 2), found '~1.5'"),
        ("aws~-1", 3, "expected a number of edits that is not negative, found '~-1'"),
        ("_exists_:title", 9, "found 'title'"),
        ("_exists_:ci*y", 9, "expected a field name after '_exists_:' (headline, summary, "
                             "skills, city, country), found a wildcard"),
        ("_exists_:city~", 9, "found a fuzzy term"),
        ("foo\\", 3, "expected a character after the escaping '\\'"),
    ],
)
def test_a_malformed_query_says_where_and_what_was_expected(text, position, expected):
    error = error_of(text)

    assert error.position == position
    assert error.message.startswith(f"Invalid query at position {position}: expected ")
    assert expected in error.message


def test_at_most_1000_characters():
    longest = '"' + "a " * 31 + " " * 935 + 'a"'

    assert parse_query(longest) == Phrase(("a",) * 32)
    error = error_of(longest + "a")
    assert error.position == MAX_QUERY_LENGTH
    assert "expected at most 1,000 characters, found 1,001" in error.message


def test_at_most_64_clauses_counting_every_term_a_word_becomes():
    assert parse_query(" OR ".join(["aws"] * MAX_CLAUSES))
    too_many = " OR ".join(["aws"] * (MAX_CLAUSES + 1))
    assert error_of(too_many).position == too_many.rindex("aws")
    split_words = " ".join(["a-b"] * (MAX_CLAUSES // 2)) + " c"
    assert error_of(split_words).position == split_words.index("a-b")


def test_at_most_32_terms_in_a_phrase_counted_after_analysis():
    longest = '"' + " ".join(["on"] * MAX_PHRASE_TERMS) + '"~1000'
    assert parse_query(longest) == Phrase(("on",) * MAX_PHRASE_TERMS, 1000)
    assert parse_query('summary:"' + "node.js-c++ " * 16 + '"') == Phrase(
        ("node.js", "c") * 16, 0, SearchField.SUMMARY
    )

    too_long = 'kubernetes AND "' + " ".join(["on", "with", "and", "in", "of"] * 48) + '"~1000'
    error = error_of(too_long)
    assert error.position == too_long.index('"')
    assert error.message == (
        f"Invalid query at position {error.position}: expected at most 32 terms in a phrase "
        "(after analysis), found 240"
    )
    assert "found 33" in error_of('"' + "node.js-c++ " * 16 + 'aws"').message


@pytest.mark.parametrize("last", ["k?be", "*", "kube~1"])
def test_the_clause_over_the_limit_is_blamed_whatever_its_kind(last):
    too_many = " OR ".join(["aws"] * MAX_CLAUSES) + " OR " + last

    assert error_of(too_many).position == too_many.rindex(last)


def test_at_most_32_nested_parentheses():
    assert parse_query("(" * 32 + "aws" + ")" * 32) == Term("aws")
    assert error_of("(" * 33 + "aws" + ")" * 33).position == 32


def test_a_deeply_nested_regular_expression_is_refused():
    assert parse_query("/" + "(" * 32 + "a" + ")" * 32 + "/") == Regexp("(" * 32 + "a" + ")" * 32)
    assert error_of("/" + "(" * 33 + "a" + ")" * 33 + "/").position == 33
