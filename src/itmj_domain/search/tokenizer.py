"""Elasticsearch's ``standard`` tokenizer: UAX #29 word segmentation as Lucene 8 implements it.

Lucene's tokenizer is a JFlex scanner: at each position it takes the longest text any of its rules
matches (letters and numbers joined by the UAX #29 rules, emoji sequences, runs of South-East
Asian letters, single ideographs, single hiragana) and skips one character when none does. The
rules are written here as ``re`` patterns over the text's class string (see ``word_break``).
``re`` alternation is not longest-match, so where that matters (Hebrew quotes, emoji joined by
zero-width joiners) the longest end is searched explicitly. A token is at most 255 UTF-16 units
long: a longer word is cut into pieces, as Lucene's bounded buffer does.

Plain ASCII text and text made only of letters, digits and the usual separators take shortcuts
with the same results; the rest of the module is the general, exact path.
"""

import re

from itmj_domain.search.word_break import ClassTable

MAX_TOKEN_LENGTH = 255

_EXT = "xzvfctTs"
_ENL = f"E[E{_EXT}]*"
_LETTERS = f"[AHW][AHW{_EXT}]*"
_NUMBERS = f"N[N{_EXT}]*"
_KATAKANA = f"K[K{_EXT}]*"
_BLOCK = (
    f"(?:{_KATAKANA}(?:{_ENL}{_KATAKANA})*"
    f"|(?:H[{_EXT}]*(?:Q[{_EXT}]*|D[{_EXT}]*H[{_EXT}]*)"
    f"|{_NUMBERS}(?:(?:{_ENL}|[MBQ][{_EXT}]*){_NUMBERS})*"
    f"|{_LETTERS}(?:(?:{_ENL}|[LBQ][{_EXT}]*){_LETTERS})*)+)"
)
_WORD = f"(?:{_ENL})?{_BLOCK}(?:{_ENL}{_BLOCK})*(?:{_ENL})?"
_NO_PRESENTATION = "[xzctTs]*"
_EMOJI_SEQUENCE = f"(?:(?:z*Y{_NO_PRESENTATION})?O{_NO_PRESENTATION}|z*[PYW]{_NO_PRESENTATION}f?)"
_EMOJI = (
    f"{_EMOJI_SEQUENCE}(?:(?:z{_EMOJI_SEQUENCE})*|t+T)"
    f"|k{_NO_PRESENTATION}f?c{_NO_PRESENTATION}"
    f"|G[{_EXT}]*G[{_EXT}]*"
)
_TOKEN = re.compile(f"{_WORD}|{_EMOJI}|[Ss][Ss{_EXT}]*|I[{_EXT}]*|R[{_EXT}]*")
_RUN = re.compile(r"[^.]+")
# Only Hebrew letters (a quote may end or continue a word) and zero-width joiners (emoji
# sequences) can make a longer match than the greedy one.
_AMBIGUOUS = re.compile("[Hz]")

# The grammar restricted to letters, digits, underscores and the separators between them,
# written so that ``re`` runs it fast: a separator joins two letters (: . ') or two digits
# (, ; . ').
_SIMPLE_CLASSES = re.compile(r"[ANELMBQD.]*")
_SIMPLE_TOKEN = re.compile(r"E*[AN][ANE]*(?:(?:(?<=A)[LBQ](?=A)|(?<=N)[MBQ](?=N))[ANE]+)*")
_ASCII_TOKEN = re.compile(
    r"_*[A-Za-z0-9][A-Za-z0-9_]*"
    r"(?:(?:(?<=[A-Za-z])[:.'](?=[A-Za-z])|(?<=[0-9])[,;.'](?=[0-9]))[A-Za-z0-9_]+)*"
)

_CLASSES = ClassTable()


def ascii_tokens(text: str) -> list[str]:
    """The tokens of an ASCII ``text``."""
    tokens = _ASCII_TOKEN.findall(text)
    if max(map(len, tokens), default=0) > MAX_TOKEN_LENGTH:
        return [text[start:end] for start, end in token_spans(text)]
    return tokens


def token_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the tokens of ``text``, in order."""
    classes = text.translate(_CLASSES)
    if _SIMPLE_CLASSES.fullmatch(classes):
        spans = [match.span() for match in _SIMPLE_TOKEN.finditer(classes)]
    elif not _AMBIGUOUS.search(classes):
        spans = [match.span() for match in _TOKEN.finditer(classes)]
    else:
        return _longest_spans(text, classes)
    if all(end - start <= MAX_TOKEN_LENGTH // 2 for start, end in spans):
        return spans
    return _longest_spans(text, classes)


def _longest_spans(text: str, classes: str) -> list[tuple[int, int]]:
    spans = []
    for run in _RUN.finditer(classes):
        start, end = run.span()
        while start < end:
            limit = _window_end(text, start, end)
            token_end = _longest_match(classes, start, limit)
            if token_end is None:
                start += 1
            else:
                spans.append((start, token_end))
                start = token_end
    return spans


def _longest_match(classes: str, start: int, limit: int) -> int | None:
    first = _TOKEN.match(classes, start, limit)
    if first is None:
        return None
    if not _AMBIGUOUS.search(classes, start, limit):
        return first.end()
    for end in range(limit, first.end(), -1):
        if _TOKEN.fullmatch(classes, start, end):
            return end
    return first.end()


def _window_end(text: str, start: int, end: int) -> int:
    """Where the token starting at ``start`` must end at the latest: 255 UTF-16 units on."""
    if end - start <= MAX_TOKEN_LENGTH // 2:
        return end
    units = 0
    for index in range(start, end):
        units += 2 if ord(text[index]) > 0xFFFF else 1
        if units > MAX_TOKEN_LENGTH:
            return index
    return end
