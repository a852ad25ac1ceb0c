"""Queries written to make the in-memory index work hard (issue 12), for ``bench/search
--adversarial``: long phrases with high slop, many stop-like words, long lists of skills,
nested fuzzy terms, leading wildcards, regular expressions and ranges, each as long or as wide
as the query limits allow (1,000 characters, 64 clauses, 32 terms in a phrase). Each must
answer within 250 ms at 100,000 candidates, or be refused as too expensive (or, past the
limits, as malformed)."""

STOP = ["on", "with", "and", "in", "of"]
MORE_STOP = ["the", "a", "to", "for", "at", "by", "as", "from", "is", "or", "an", "be"]
LETTERS = "aeioustrnl"
# Skills a recruiter might list, most of them common in the synthetic profiles.
SKILLS = (
    "python", "java", "docker", "aws", "kubernetes", "terraform", "linux", "sql", "react",
    "angular", "spring", "django", "fastapi", "postgresql", "mysql", "mongodb", "redis", "kafka",
    "graphql", "microservices", "kotlin", "swift", "flutter", "selenium", "jenkins", "ansible",
    "helm", "prometheus", "grafana", "azure", "gcp", "bash", "go", "typescript", "javascript",
    "hvac", "autocad", "revit", "etabs", "primavera", "scada", "plc", "etap", "cisco", "juniper",
    "fortinet", "splunk", "vmware", "jira", "scrum", "agile", "pmp", "itil", "sap", "tableau",
    "spark", "airflow", "snowflake", "bigquery", "pandas", "tensorflow", "pytorch", "matlab",
    "oracle",
)  # fmt: skip


def _phrase(words: list[str], slop: int | None = None) -> str:
    return '"' + " ".join(words) + '"' + ("" if slop is None else f"~{slop}")


def _either(clauses: list[str]) -> str:
    return " OR ".join(clauses)


_PAIRS = [f"{first} {second}" for first in STOP for second in STOP if first != second]
_LETTER_PAIRS = [first + second for first in LETTERS[:8] for second in LETTERS[:8]]

ADVERSARIAL = (
    ("phrase", "issue 12 as written: 240 stop words ~1000", _phrase(STOP * 48, 1000)),
    ("phrase", "32 stop words ~1000", _phrase((STOP * 7)[:32], 1000)),
    ("phrase", "32 stop words ~10", _phrase((STOP * 7)[:32], 10)),
    ("phrase", "32 stop words backwards ~2", _phrase((STOP[::-1] * 7)[:32], 2)),
    ("phrase", "32 stop words, exact", _phrase((STOP * 7)[:32])),
    ("phrase", "5 stop words ~1000", _phrase(STOP, 1000)),
    ("phrase", "5 stop words ~3", _phrase(STOP, 3)),
    ("phrase", "'and' 32 times ~1000", _phrase(["and"] * 32, 1000)),
    ("phrase", "two stop words ~100", _phrase(["with", "and"], 100)),
    ("phrase", "20 two-word stop phrases ~5", _either([f'"{pair}"~5' for pair in _PAIRS])),
    ("phrase", "20 two-word stop phrases, exact", _either([f'"{pair}"' for pair in _PAIRS])),
    (
        "phrase",
        "6 stop phrases of 8 words ~50",
        _either([_phrase((STOP * 3)[start : start + 8], 50) for start in range(6)]),
    ),
    ("stop", "64 stop words", " ".join(((STOP + MORE_STOP) * 4)[:64])),
    (
        "stop",
        "64 stop words, boosted 1 to 64",
        " ".join(f"{word}^{rank}" for rank, word in enumerate(((STOP + MORE_STOP) * 4)[:64], 1)),
    ),
    ("stop", "17 stop words required", " ".join(f"+{word}" for word in STOP + MORE_STOP)),
    ("broad", "10 skills", " ".join(SKILLS[:10])),
    ("broad", "35 skills", " ".join(SKILLS[:35])),
    ("broad", "64 skills", " ".join(SKILLS)),
    ("stop", "stop words AND NOT stop words", "(on OR with OR and OR the) AND NOT (in OR of)"),
    (
        "fuzzy",
        "nested fuzzy",
        "((enginer~2 OR developr~2) AND (pyton~2 OR (jva~2 AND (dockr~2 OR (aws~2 AND "
        "gcp~2))))) OR (ab~2 AND (cd~2 OR (ef~2 AND (gh~2 OR (ij~2 AND kl~2)))))",
    ),
    ("fuzzy", "64 two-letter fuzzy terms ~2", _either([f"{pair}~2" for pair in _LETTER_PAIRS])),
    ("fuzzy", "64 fuzzy terms, AUTO", _either([f"{pair}ngineer~" for pair in _LETTER_PAIRS])),
    ("wildcard", "*a* OR *e* OR *i* OR *o* OR *u*", _either([f"*{vowel}*" for vowel in "aeiou"])),
    ("wildcard", "*e*n*g*i*n*e*e*r*", "*e*n*g*i*n*e*e*r*"),
    ("wildcard", "?*?*?*?*?*?*", "?*?*?*?*?*?*"),
    ("wildcard", "*a* twelve times, then *b", "*a" * 12 + "*b"),
    ("wildcard", "64 leading wildcards", _either([f"*{pair}*" for pair in _LETTER_PAIRS])),
    (
        "wildcard",
        "64 leading wildcards, boosted 1 to 64",
        _either([f"*{pair}*^{rank}" for rank, pair in enumerate(_LETTER_PAIRS, start=1)]),
    ),
    ("regexp", "/(.*a){20}/", "/(.*a){20}/"),
    ("regexp", "/.*/", "/.*/"),
    ("regexp", "/(.*a.*e.*i){5}/", "/(.*a.*e.*i){5}/"),
    ("regexp", "/~(a.*)&~(e.*)/", "/~(a.*)&~(e.*)/"),
    ("regexp", "/.{0,20}e.{0,20}/", "/.{0,20}e.{0,20}/"),
    (
        "regexp",
        "48 regular expressions",
        _either([f"/.*{pair[0]}.*{pair[1]}.*/" for pair in _LETTER_PAIRS[:48]]),
    ),
    ("range", "[a TO z] OR {* TO *}", "[a TO z] OR {* TO *}"),
    ("range", "32 ranges", _either([f"[{pair[0]} TO {pair[1]}]" for pair in _LETTER_PAIRS[:32]])),
    (
        "mixed",
        "phrases, fuzzy, wildcards and regexps",
        _phrase((STOP * 7)[:32], 1000) + " AND (*a* OR engineer~2 OR /.*e.*/) AND NOT [a TO c]",
    ),
)
