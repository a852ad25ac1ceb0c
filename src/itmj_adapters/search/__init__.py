"""The in-memory search engine behind ``MemoryCandidateIndex``.

An inverted index per field over sets of candidate ids held as Python integers (bit ``i`` is
candidate ``i``), a sorted term dictionary that serves prefix, wildcard, range, regular
expression and fuzzy terms, BM25 scoring and an exact top-k that ranks classes of equally
scored candidates rather than every candidate. The query tree and its meaning come from
``itmj_domain.search``; this package only makes evaluating it fast.
"""
