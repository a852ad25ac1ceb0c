from hypothesis import given
from hypothesis import strategies as st

from itmj_adapters.search.levenshtein import LevenshteinAutomaton
from itmj_domain.search.fuzzy import within_edits

texts = st.text(alphabet="abcdé", max_size=8)


def accepts(automaton: LevenshteinAutomaton, term: str) -> bool:
    state = automaton.start
    for char in term:
        state = automaton.step(state, char)
        if automaton.is_dead(state):
            return False
    return automaton.accepts(state)


@given(texts, st.lists(st.text(alphabet="abcdéxy", max_size=10), max_size=20), st.integers(0, 2))
def test_the_automaton_accepts_what_the_edit_distance_allows(text, terms, max_edits):
    automaton = LevenshteinAutomaton(text, max_edits)

    for term in terms:
        assert accepts(automaton, term) == within_edits(text, term, max_edits)


def test_a_transposition_is_one_edit():
    automaton = LevenshteinAutomaton("kubernetes", 1)

    assert accepts(automaton, "kuberentes")
    assert not accepts(automaton, "kubreentes")
