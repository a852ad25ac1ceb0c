import re

from hypothesis import given
from hypothesis import strategies as st

from itmj_adapters.search.levenshtein import LevenshteinAutomaton
from itmj_adapters.search.term_dictionary import FIRST_TERM_ID, Expansion, TermDictionary
from itmj_domain.search.fuzzy import within_edits
from itmj_domain.search.lucene_regexp import compile_regexp
from itmj_domain.search.wildcard import wildcard_matcher

terms = st.text(alphabet="abcdeé.", min_size=1, max_size=6)


def dictionary_of(kept: list[str], dropped: list[str]) -> TermDictionary:
    """Terms in ``kept`` are in use; those only in ``dropped`` came and went."""
    dictionary = TermDictionary()
    for term in sorted(set(kept + dropped)):
        dictionary.use(dictionary.intern(term))
    dictionary.refresh([])
    gone = [dictionary.ids[term] for term in set(dropped) - set(kept)]
    for term_id in gone:
        dictionary.unuse(term_id)
    dictionary.refresh(gone)
    return dictionary


@given(st.lists(terms), st.lists(terms), terms)
def test_enumerations_find_exactly_the_live_terms_that_qualify(kept, dropped, probe):
    dictionary = dictionary_of(kept, dropped)
    live = sorted(set(kept))

    assert dictionary.with_prefix(probe[:2]).terms == tuple(
        t for t in live if t.startswith(probe[:2])
    )
    assert dictionary.between(probe[:1], probe, True, False).terms == tuple(
        t for t in live if probe[:1] <= t < probe
    )
    pattern = probe[:1] + "*" + probe[2:] + "?"
    assert dictionary.matching_wildcard(pattern).terms == tuple(
        t for t in live if wildcard_matcher(pattern)(t)
    )
    assert dictionary.accepted_by(LevenshteinAutomaton(probe, 2)).terms == tuple(
        t for t in live if within_edits(probe, t, 2)
    )
    assert dictionary.accepted_by(compile_regexp("[a-c].*e")).terms == tuple(
        t for t in live if re.fullmatch("[a-c].*e", t)
    )


def test_ids_of_dead_terms_are_given_again_and_name_the_new_term():
    dictionary = dictionary_of(["a", "b"], ["c"])

    reused = dictionary.intern("zz")

    assert reused >= FIRST_TERM_ID
    assert dictionary.term(reused) == "zz"
    assert dictionary.id_of("c") is None
    assert len(dictionary) == 3


def test_an_expansion_is_recomputed_once_a_term_arrives():
    dictionary = dictionary_of(["kube", "kubectl"], [])
    expanded = dictionary.expansion("kube*", lambda d, limit: d.with_prefix("kube", limit))
    assert expanded.terms == ("kube", "kubectl")

    dictionary.use(dictionary.intern("kubelet"))
    dictionary.refresh([])

    assert dictionary.expansion("kube*", lambda d, limit: d.with_prefix("kube", limit)).terms == (
        "kube",
        "kubectl",
        "kubelet",
    )


def test_an_enumeration_stops_past_its_limit_and_is_not_remembered():
    dictionary = dictionary_of([f"kube{n:03}" for n in range(300)], [])
    walks = []

    def fuzzy(terms: TermDictionary, limit: int | None) -> Expansion:
        walks.append(limit)
        return terms.accepted_by(LevenshteinAutomaton("kube150", 1), limit)

    cut_short = dictionary.expansion("kube150~1", fuzzy, 100)
    assert cut_short.terms == ()
    assert 100 < cut_short.examined <= 100 + len("kube000") + 1
    assert dictionary.with_prefix("kube", 299) == Expansion((), 300)
    assert dictionary.between("a", "z", True, True, 10) == Expansion((), 300)
    assert dictionary.matching_wildcard("*1*", 10) == Expansion((), 300)

    whole = dictionary.expansion("kube150~1", fuzzy, 10_000)
    assert whole.terms == tuple(
        term for term in sorted(dictionary.ids) if within_edits("kube150", term, 1)
    )
    assert dictionary.expansion("kube150~1", fuzzy, 0) == whole
    assert walks == [100, 10_000]
