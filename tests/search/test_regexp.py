import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itmj_domain.search.lucene_regexp import RegexpSyntaxError, compile_regexp


def matching(pattern, terms):
    matcher = compile_regexp(pattern)
    return [term for term in terms if matcher.matches(term)]


TERMS = ["", "a", "b", "ab", "abc", "kubernetes", "kube", "x", "xy", "7", "07", "42", "0042", "100"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("kube.*", ["kubernetes", "kube"]),
        ("a|b", ["a", "b"]),
        ("ab?c?", ["a", "ab", "abc"]),
        ("[a-c]+", ["a", "b", "ab", "abc"]),
        ("[^a-z]+", ["7", "07", "42", "0042", "100"]),
        ("[^b]", ["a", "x", "7"]),
        ("[^a-xb-c]", ["7"]),
        ("[aX]", ["a"]),
        ("[a-a]", ["a"]),
        ("a{1,2}b?", ["a", "ab"]),
        ("x{2,1}", []),
        (
            "~(a|b)",
            ["", "ab", "abc", "kubernetes", "kube", "x", "xy", "7", "07", "42", "0042", "100"],
        ),
        (".+&~(kube.*)", ["a", "b", "ab", "abc", "x", "xy", "7", "07", "42", "0042", "100"]),
        ("~(~(abc))", ["abc"]),
        ("#", []),
        ("@", TERMS),
        ("()", [""]),
        ('"kube"', ["kube"]),
        ("<1-100>", ["7", "07", "42", "0042", "100"]),
        ("<01-99>", ["07", "42"]),
        ("<0040-0050>", ["0042"]),
        ("\\d", []),
        ("*b", []),
        ("a]", []),
    ],
)
def test_lucene_regular_expressions_match_whole_terms(pattern, expected):
    assert matching(pattern, TERMS) == expected


def test_a_numeric_range_includes_both_ends_at_their_width():
    assert matching("<0040-0050>", ["0039", "0040", "0050", "0051", "40", "50"]) == ["0040", "0050"]
    assert matching("<01-99>", ["00", "01", "99", "100", "1"]) == ["01", "99"]


def test_numeric_ranges_reach_the_largest_int_and_stand_side_by_side():
    assert matching("<0-2147483647>", ["2147483647", "2147483648"]) == ["2147483647"]
    assert matching("<1-5><6-9>", ["16", "59", "61", "5"]) == ["16", "59"]


def test_a_repetition_count_may_be_the_largest_int():
    assert matching("a{2147483647}", ["a", "aa"]) == []
    assert matching("a{1,2147483647}", ["", "a", "aaaa"]) == ["a", "aaaa"]


def test_a_numeric_range_takes_digits_only():
    assert matching("<1-100>", ["X", "1X", "X1", "1e2", "1.0"]) == []


def test_an_escaped_character_is_plain():
    assert matching("node\\.js", ["node.js", "nodexjs"]) == ["node.js"]
    assert matching("a\\/b", ["a/b"]) == ["a/b"]
    assert matching("\\\\", ["\\"]) == ["\\"]


@pytest.mark.parametrize(
    ("pattern", "offset", "expected"),
    [
        ("ku(be", 5, "')' to close the group"),
        ("[z-a]", 4, "a character range whose start is not after its end"),
        ("a|", 2, "a character"),
        ("[^]", 3, "']' to close the character class"),
        ("a{2", 3, "'}' to close the repetition"),
        ("a{x}", 2, "a repetition count"),
        ("a{99999999999}", 13, "a repetition count below 2,147,483,648"),
        ("<foo>", 5, "an interval such as <1-100> (named automata do not exist)"),
        ("<1-100", 6, "'>' to close the interval"),
        ("a<1-x>", 6, "an interval such as <1-100>"),
        ("<x-1>", 5, "an interval such as <1-100>"),
        ("<0-2147483648>", 14, "an interval such as <1-100>"),
        ('"abc', 4, "'\"' to close the string"),
        ("\\", 1, "a character"),
        ("(" * 33 + "a" + ")" * 33, 32, "at most 32 nested groups"),
    ],
)
def test_invalid_regular_expressions_say_where(pattern, offset, expected):
    with pytest.raises(RegexpSyntaxError) as raised:
        compile_regexp(pattern)

    assert (raised.value.offset, raised.value.expected) == (offset, expected)


@pytest.mark.parametrize(
    ("pattern", "term", "expected"),
    [
        (".", "\x00", True),
        (".", "\U0010ffff", True),
        ("[^a]", "\x00", True),
        ("[^\x00-\U0010fffe]", "\U0010ffff", True),
        ("[^\x00-\U0010fffe]", "a", False),
    ],
)
def test_any_character_spans_every_code_point_from_zero(pattern, term, expected):
    assert compile_regexp(pattern).matches(term) is expected


def test_a_group_may_start_with_any_character():
    assert compile_regexp("(X)").matches("X")
    assert not compile_regexp("(X)").matches("")


def test_the_nesting_limit_counts_only_the_groups_still_open():
    assert compile_regexp("(a)" * 40).matches("a" * 40)
    assert compile_regexp("(a)" + "(" * 32 + "b" + ")" * 32).matches("ab")
    with pytest.raises(RegexpSyntaxError) as raised:
        compile_regexp("(a)" + "(" * 33 + "b" + ")" * 33)

    assert raised.value.offset == 3 + 32


@pytest.mark.parametrize(
    ("pattern", "prefix"), [("<10-20>", "3"), ("<20-29>", "1"), ("<20-29>", "19")]
)
def test_a_numeric_range_of_fixed_width_rules_out_a_prefix_that_cannot_reach_it(pattern, prefix):
    matcher = compile_regexp(pattern)
    state = matcher.start
    for char in prefix:
        state = matcher.step(state, char)

    assert matcher.is_dead(state)


def test_an_expression_that_can_match_nothing_is_dead_from_the_start():
    matcher = compile_regexp("a[^\x00-\U0010ffff]")

    assert matcher.is_dead(matcher.start)


def test_a_double_complement_is_dead_where_the_expression_inside_is():
    matcher = compile_regexp("~(~(abc))")

    assert matcher.is_dead(matcher.step(matcher.start, "x"))
    assert not matcher.is_dead(matcher.step(matcher.start, "a"))


def test_the_matcher_steps_state_by_state_and_knows_dead_ends():
    matcher = compile_regexp("ku.e")
    state = matcher.step(matcher.start, "k")

    assert not matcher.accepts(state)
    assert matcher.is_dead(matcher.step(state, "x"))
    assert matcher.accepts(matcher.step(matcher.step(matcher.step(state, "u"), "b"), "e"))


# Expressions both syntaxes share, written for each: (Lucene, Python re).
_ATOMS = st.sampled_from([("a", "a"), ("b", "b"), (".", "."), ("[ab]", "[ab]"), ("[^a]", "[^a]")])


def _compose(children):
    return st.one_of(
        st.builds(lambda x, y: (x[0] + y[0], x[1] + y[1]), children, children),
        st.builds(lambda x, y: (f"({x[0]}|{y[0]})", f"(?:{x[1]}|{y[1]})"), children, children),
        st.builds(lambda x, op: (f"({x[0]}){op}", f"(?:{x[1]}){op}"), children,
                  st.sampled_from(["*", "+", "?", "{2}", "{1,2}", "{0,}"])),
    )  # fmt: skip


EXPRESSIONS = st.recursive(_ATOMS, _compose, max_leaves=6)
STRINGS = st.text(alphabet="abc", max_size=6)


@given(EXPRESSIONS, st.lists(STRINGS, max_size=10))
def test_agrees_with_python_re_where_the_syntaxes_meet(expression, strings):
    lucene, python = expression
    matcher = compile_regexp(lucene)

    assert [matcher.matches(s) for s in strings] == [
        bool(re.fullmatch(python, s, re.DOTALL)) for s in strings
    ]


@given(EXPRESSIONS, EXPRESSIONS, st.lists(STRINGS, max_size=10))
def test_complement_and_intersection_are_set_operations(first, second, strings):
    both = compile_regexp(f"({first[0]})&({second[0]})")
    neither = compile_regexp(f"~({first[0]}|{second[0]})")

    for s in strings:
        in_first = bool(re.fullmatch(first[1], s, re.DOTALL))
        in_second = bool(re.fullmatch(second[1], s, re.DOTALL))
        assert both.matches(s) == (in_first and in_second)
        assert neither.matches(s) == (not in_first and not in_second)
