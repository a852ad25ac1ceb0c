"""Word-break classes of characters, as Lucene 8's standard tokenizer sees them.

Python's ``unicodedata`` has no Word_Break property, so each character's class is derived from
its general category and a few explicit tables, following UAX #29 (Unicode 9.0, the version the
tokenizer of Elasticsearch 7 / Lucene 8 was generated from) and the Unicode 11 emoji data that
tokenizer uses. Each class is one ASCII letter, so that a text maps to a "class string" of the same
length which the tokenizer's grammar (plain ``re`` patterns) runs over.
"""

import unicodedata

ALETTER = "A"
HEBREW_LETTER = "H"
NUMERIC = "N"
KATAKANA = "K"
EXTEND_NUM_LET = "E"
MID_LETTER = "L"
MID_NUM = "M"
MID_NUM_LET = "B"
SINGLE_QUOTE = "Q"
DOUBLE_QUOTE = "D"
EXTEND = "x"
ZWJ = "z"
TEXT_PRESENTATION = "v"
EMOJI_PRESENTATION = "f"
KEYCAP = "c"
TAG_SPEC = "t"
TAG_TERM = "T"
HAN = "I"
HIRAGANA = "R"
COMPLEX_CONTEXT = "S"
COMPLEX_CONTEXT_EXTEND = "s"
PICTOGRAPHIC = "P"
PICTOGRAPHIC_LETTER = "W"
EMOJI_MODIFIER_BASE = "Y"
EMOJI_MODIFIER = "O"
REGIONAL_INDICATOR = "G"
KEYCAP_BASE = "k"
OTHER = "."

# fmt: off
_SINGLE = {
    0x0022: DOUBLE_QUOTE, 0x0027: SINGLE_QUOTE, 0x0023: KEYCAP_BASE, 0x002A: KEYCAP_BASE,
    0x200B: OTHER, 0x200C: EXTEND, 0x200D: ZWJ, 0x20E3: KEYCAP, 0xFE0E: TEXT_PRESENTATION,
    0xFE0F: EMOJI_PRESENTATION, 0xE007F: TAG_TERM, 0xFF9E: EXTEND, 0xFF9F: EXTEND,
    0x066B: NUMERIC, 0x05F3: ALETTER,
    # Script=Han yet Word_Break=ALetter, or neither Han nor a letter.
    0x3005: ALETTER, 0x303B: ALETTER, 0x3006: OTHER,
    **dict.fromkeys(
        (0x003A, 0x00B7, 0x02D7, 0x0387, 0x05F4, 0x2027, 0xFE13, 0xFE55, 0xFF1A), MID_LETTER),
    **dict.fromkeys(
        (0x002C, 0x003B, 0x037E, 0x0589, 0x060C, 0x060D, 0x066C, 0x07F8, 0x2044, 0xFE10, 0xFE14,
         0xFE50, 0xFE54, 0xFF0C, 0xFF1B), MID_NUM),
    **dict.fromkeys((0x002E, 0x2018, 0x2019, 0x2024, 0xFE52, 0xFF07, 0xFF0E), MID_NUM_LET),
    **dict.fromkeys(
        (0x005F, 0x202F, 0x203F, 0x2040, 0x2054, 0xFE33, 0xFE34, 0xFE4D, 0xFE4E, 0xFE4F, 0xFF3F),
        EXTEND_NUM_LET),
    # Word_Break=Katakana outside the Katakana script.
    **dict.fromkeys(
        (0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x309B, 0x309C, 0x30A0, 0x30FC, 0xFF70),
        KATAKANA),
}

# (first, last, class): scripts and emoji properties unicodedata does not expose, checked in
# order. Characters assigned after Unicode 9 are unknown to Lucene 8: the big blocks of them are
# OTHER here; smaller additions (about 1,700 letters of rare scripts) are not singled out.
_RANGES = (
    (0x1F1E6, 0x1F1FF, REGIONAL_INDICATOR), (0x1F3FB, 0x1F3FF, EMOJI_MODIFIER),
    (0xE0020, 0xE007E, TAG_SPEC),
    (0x05D0, 0x05EA, HEBREW_LETTER), (0x05EB, 0x05EF, OTHER), (0x05F0, 0x05F2, HEBREW_LETTER),
    (0xFB1D, 0xFB4F, HEBREW_LETTER),
    (0x3041, 0x309F, HIRAGANA), (0x1B001, 0x1B001, HIRAGANA), (0x1F200, 0x1F200, HIRAGANA),
    (0x30A0, 0x30FF, KATAKANA), (0x31F0, 0x31FF, KATAKANA), (0x32D0, 0x32FE, KATAKANA),
    (0x3300, 0x3357, KATAKANA), (0xFF66, 0xFF9D, KATAKANA), (0x1B000, 0x1B000, KATAKANA),
    # Tangut, Khitan and Nushu are ideographic, so not ALetter, yet not Han either.
    (0x17000, 0x18CFF, OTHER), (0x1B002, 0x1B2FF, OTHER),
    (0x2E80, 0x2FDF, HAN), (0x3007, 0x3007, HAN), (0x3021, 0x3029, HAN), (0x3038, 0x303A, HAN),
    (0x3400, 0x4DB5, HAN), (0x4DB6, 0x4DBF, OTHER), (0x4E00, 0x9FD5, HAN), (0x9FD6, 0x9FFF, OTHER),
    (0xF900, 0xFAFF, HAN), (0x20000, 0x2A6D6, HAN), (0x2A6D7, 0x2A6FF, OTHER),
    (0x2A700, 0x2B734, HAN), (0x2B735, 0x2B73F, OTHER), (0x2B740, 0x2CEA1, HAN),
    (0x2CEA2, 0x2F7FF, OTHER), (0x2F800, 0x2FA1F, HAN), (0x30000, 0x3FFFF, OTHER),
    (0x0E01, 0x0E4E, COMPLEX_CONTEXT), (0x0E81, 0x0EDF, COMPLEX_CONTEXT),
    (0x1000, 0x109F, COMPLEX_CONTEXT), (0x1780, 0x17DD, COMPLEX_CONTEXT),
    (0x1950, 0x19DF, COMPLEX_CONTEXT), (0x1A20, 0x1AAD, COMPLEX_CONTEXT),
    (0xA9E0, 0xA9FE, COMPLEX_CONTEXT), (0xAA60, 0xAADF, COMPLEX_CONTEXT),
    (0x11700, 0x1173F, COMPLEX_CONTEXT),
)
# Line_Break=Complex_Context symbols and digits: they join the South-East Asian runs.
_COMPLEX_CONTEXT_SYMBOLS = (
    (0x109E, 0x109F), (0x19DA, 0x19DA), (0x19DE, 0x19DF), (0x1AA0, 0x1AAD), (0xAA77, 0xAA79),
    (0xAADE, 0xAADF),
)
_EMOJI_MODIFIER_BASES = (
    (0x261D, 0x261D), (0x26F9, 0x26F9), (0x270A, 0x270D), (0x1F385, 0x1F385),
    (0x1F3C2, 0x1F3C4), (0x1F3C7, 0x1F3C7), (0x1F3CA, 0x1F3CC), (0x1F442, 0x1F443),
    (0x1F446, 0x1F450), (0x1F466, 0x1F469), (0x1F46E, 0x1F46E), (0x1F470, 0x1F478),
    (0x1F47C, 0x1F47C), (0x1F481, 0x1F483), (0x1F485, 0x1F487), (0x1F4AA, 0x1F4AA),
    (0x1F574, 0x1F575), (0x1F57A, 0x1F57A), (0x1F590, 0x1F590), (0x1F595, 0x1F596),
    (0x1F645, 0x1F647), (0x1F64B, 0x1F64F), (0x1F6A3, 0x1F6A3), (0x1F6B4, 0x1F6B6),
    (0x1F6C0, 0x1F6C0), (0x1F6CC, 0x1F6CC), (0x1F918, 0x1F91C), (0x1F91E, 0x1F91F),
    (0x1F926, 0x1F926), (0x1F930, 0x1F939), (0x1F93D, 0x1F93E), (0x1F9B5, 0x1F9B6),
    (0x1F9B8, 0x1F9B9), (0x1F9D1, 0x1F9DD),
)
_EXTENDED_PICTOGRAPHIC = (
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049), (0x2122, 0x2122),
    (0x2139, 0x2139), (0x2194, 0x2199), (0x21A9, 0x21AA), (0x231A, 0x231B), (0x2328, 0x2328),
    (0x2388, 0x2388), (0x23CF, 0x23CF), (0x23E9, 0x23F3), (0x23F8, 0x23FA), (0x24C2, 0x24C2),
    (0x25AA, 0x25AB), (0x25B6, 0x25B6), (0x25C0, 0x25C0), (0x25FB, 0x25FE), (0x2600, 0x2605),
    (0x2607, 0x2612), (0x2614, 0x2685), (0x2690, 0x2705), (0x2708, 0x2712), (0x2714, 0x2714),
    (0x2716, 0x2716), (0x271D, 0x271D), (0x2721, 0x2721), (0x2728, 0x2728), (0x2733, 0x2734),
    (0x2744, 0x2744), (0x2747, 0x2747), (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755),
    (0x2757, 0x2757), (0x2763, 0x2767), (0x2795, 0x2797), (0x27A1, 0x27A1), (0x27B0, 0x27B0),
    (0x27BF, 0x27BF), (0x2934, 0x2935), (0x2B05, 0x2B07), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50),
    (0x2B55, 0x2B55), (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3297), (0x3299, 0x3299),
    (0x1F000, 0x1F0FF), (0x1F10D, 0x1F10F), (0x1F12F, 0x1F12F), (0x1F16C, 0x1F171),
    (0x1F17E, 0x1F17F), (0x1F18E, 0x1F18E), (0x1F191, 0x1F19A), (0x1F1AD, 0x1F1E5),
    (0x1F201, 0x1F20F), (0x1F21A, 0x1F21A), (0x1F22F, 0x1F22F), (0x1F232, 0x1F23A),
    (0x1F23C, 0x1F23F), (0x1F249, 0x1F3FA), (0x1F400, 0x1F53D), (0x1F546, 0x1F64F),
    (0x1F680, 0x1F6FF), (0x1F774, 0x1F77F), (0x1F7D5, 0x1F7FF), (0x1F80C, 0x1F80F),
    (0x1F848, 0x1F84F), (0x1F85A, 0x1F85F), (0x1F888, 0x1F88F), (0x1F8AE, 0x1F8FF),
    (0x1F90C, 0x1F93A), (0x1F93C, 0x1F945), (0x1F947, 0x1FFFD),
)
# Other_Alphabetic symbols (circled and squared Latin letters) are ALetter too.
_ALPHABETIC_SYMBOLS = ((0x24B6, 0x24E9), (0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189))
# fmt: on

_LETTER_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nl"})
_MARK_CATEGORIES = frozenset({"Mn", "Mc", "Me"})


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(first <= code <= last for first, last in ranges)


def word_break_class(char: str) -> str:
    """The class letter of one character (see the module constants)."""
    code = ord(char)
    single = _SINGLE.get(code)
    if single is not None:
        return single
    category = unicodedata.category(char)
    for first, last, cls in _RANGES:
        if first <= code <= last:
            return _script_class(code, cls, category)
    if _within(code, _EMOJI_MODIFIER_BASES):
        return EMOJI_MODIFIER_BASE
    letter = category in _LETTER_CATEGORIES or _within(code, _ALPHABETIC_SYMBOLS)
    if _within(code, _EXTENDED_PICTOGRAPHIC):
        return PICTOGRAPHIC_LETTER if letter else PICTOGRAPHIC
    if category in _MARK_CATEGORIES or category == "Cf":
        return EXTEND
    if category == "Nd":
        return NUMERIC
    return ALETTER if letter else OTHER


def _script_class(code: int, cls: str, category: str) -> str:
    """A script range's class, refined by the character's category."""
    if category in ("Cn", "Co", "Cs"):
        return OTHER
    if cls == COMPLEX_CONTEXT:
        if _within(code, _COMPLEX_CONTEXT_SYMBOLS):
            return COMPLEX_CONTEXT
        if category == "Nd":
            return NUMERIC
        if category in _MARK_CATEGORIES:
            return COMPLEX_CONTEXT_EXTEND
        return COMPLEX_CONTEXT if category in _LETTER_CATEGORIES else OTHER
    if cls in (HEBREW_LETTER, HAN, HIRAGANA, KATAKANA):
        if category in _MARK_CATEGORIES or category == "Cf":
            return EXTEND
        if category == "Nd":
            return NUMERIC
        if cls == HEBREW_LETTER and category != "Lo":
            return OTHER
        if cls == HAN and category not in _LETTER_CATEGORIES and category != "So":
            return OTHER
        return cls if category not in ("Po", "Ps", "Pe", "Pd", "Zs", "Sm", "Sc") else OTHER
    return cls


class ClassTable(dict[int, str]):
    """Code point → class letter, filled on first use; a ``str.translate`` table."""

    def __missing__(self, code: int) -> str:
        cls = word_break_class(chr(code))
        self[code] = cls
        return cls
