"""Texts written as term characters (see ``documents``), new terms given ids as they come.

Analyzing every text from scratch is most of what indexing a text costs, and the words of
CVs repeat: ASCII text (nearly all of it) is written word by word, each word's characters
remembered (``analyzer.ascii_words`` says why that gives the text's tokens), and whole values
of the fields that repeat (titles, skills, places) are remembered too. What is remembered
names terms by id, and an id is reused once its term dies: ``forget`` after any dies.
"""

from collections.abc import Sequence

from itmj_adapters.search.term_dictionary import TermDictionary
from itmj_domain.search.analyzer import analyze, ascii_words

# Entries each memory holds at most; it is emptied when full.
REMEMBERED = 1 << 16


class _Words(dict[str, str]):
    """Word → its term characters; a word not seen yet is analyzed (interning its terms)."""

    def __init__(self, terms: TermDictionary) -> None:
        super().__init__()
        self._terms = terms

    def __missing__(self, word: str) -> str:
        encoded = self._terms.encode(analyze(word))
        if len(self) >= REMEMBERED:
            self.clear()
        self[word] = encoded
        return encoded


class TermEncoder:
    def __init__(self, terms: TermDictionary) -> None:
        self._terms = terms
        self._words = _Words(terms)
        self._values: dict[str, str] = {}

    def encode(self, texts: Sequence[str], repeating: bool) -> list[str]:
        """Each text as term characters; ``repeating`` texts are remembered whole."""
        if not repeating:
            return list(map(self._encode, texts))
        known = self._values
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if missing:
            if len(known) + len(missing) > REMEMBERED:
                known.clear()
            known.update(zip(missing, map(self._encode, missing), strict=True))
        return list(map(known.__getitem__, texts))

    def forget(self) -> None:
        """Drop what is remembered: some term died, and its id may come to name another."""
        self._words.clear()
        self._values.clear()

    def _encode(self, text: str) -> str:
        words = ascii_words(text)
        if words is None:
            return self._terms.encode(analyze(text))
        return "".join(map(self._words.__getitem__, words))
