"""Printing a parsed query and parsing the text again gives the same tree."""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from itmj_domain.search import InvalidQuery, parse_query

WORDS = st.sampled_from([
    "kubernetes", "aws", "Node.js", "C++", "don't", "3.14", "1,000", "e-mail", "CI\\/CD",
    "ΣΟΦΟΣ", "İstanbul", "a\\:b", "x_y", "👍", 'צה\\"ל', "AND\\ OR", "k8s", "Zürich", "_",
    "\\u0041ws", "and", "TO", "ﾊﾝｶｸ", "漢字", "a" * 260, "\\(1\\+1\\)",
])  # fmt: skip
PHRASE_WORDS = st.sampled_from([
    "kubernetes", "Node.js", "C++", "CI/CD", 'say \\"hi\\"', "don't", "ΣΟΦΟΣ", "+++", "a b",
    "\\\\", "x:y",
])  # fmt: skip
PATTERNS = st.sampled_from([
    "kube*", "Node.J*", "c\\+*", "k?be", "*ops", "dev*ops", "K\\*?", "**", "?", "a\\ b*",
    "Ü*", "\\A*",
])  # fmt: skip
REGEXPS = st.sampled_from([
    "/kube.*/", "/[a-z]+/", "/a|b/", "/~(x)/", "/a.*&.*b/", "/<1-10>/", "/a\\/b/", '/"x.y"/',
    "/Kube/", "/#/", "/@/", "/()/", "/a{2,3}/",
])  # fmt: skip
BOUNDS = st.sampled_from(["a", "*", '"Abu Dhabi"', "Z", "10", "TO", '"*"', "x\\]", "é"])
FIELDS = st.sampled_from(["", "headline:", "summary:", "skills:", "city:", "country:", "*:"])
PRESENCE = st.sampled_from(["*", "*:*", "_exists_:city", "skills:*", '_exists_:"summary"'])


@st.composite
def _phrases(draw):
    words = draw(st.lists(PHRASE_WORDS, min_size=1, max_size=4))
    slop = draw(st.sampled_from(["", "~", "~1", "~3", "~2.5"]))
    return '"' + " ".join(words) + '"' + slop


@st.composite
def _ranges(draw):
    opening, closing = draw(st.sampled_from("[{")), draw(st.sampled_from("]}"))
    return f"{opening}{draw(BOUNDS)} TO {draw(BOUNDS)}{closing}"


_FIELD_LEAVES = st.one_of(
    WORDS,
    _phrases(),
    PATTERNS,
    REGEXPS,
    _ranges(),
    st.builds("{}~{}".format, WORDS, st.sampled_from(["", "0", "1", "2", "5"])),
    st.sampled_from([">m", ">=M", "<z", "<=Z", ">*"]),
)
_LEAVES = st.one_of(st.builds("{}{}".format, FIELDS, _FIELD_LEAVES), PRESENCE)


def _combine(children):
    return st.one_of(
        st.builds(
            "{} {} {}".format, children, st.sampled_from(["AND", "OR", "&&", "||"]), children
        ),
        st.builds("{} {}".format, children, children),
        st.builds("({})".format, children),
        st.builds("{}({})".format, FIELDS, children),
        st.builds("{}{}".format, st.sampled_from(["+", "-", "NOT ", "!"]), children),
        st.builds("{}^{}".format, children, st.sampled_from(["2", "0.5", "1.25", "0"])),
    )


QUERIES = st.recursive(_LEAVES, _combine, max_leaves=8)


@settings(max_examples=400, suppress_health_check=[HealthCheck.filter_too_much])
@given(QUERIES)
def test_printing_a_parsed_query_and_parsing_it_again_gives_the_same_tree(text):
    try:
        tree = parse_query(text)
    except InvalidQuery:
        assume(False)

    printed = tree.to_query_string()

    assert parse_query(printed) == tree
