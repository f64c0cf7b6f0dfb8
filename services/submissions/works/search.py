"""Pure search keys: what staff type in the search box matches a work however its Persian was typed."""

import unicodedata

from shared.persian import normalize_text, to_ascii_digits

_SEARCH_LETTERS = str.maketrans({"ة": "ه", "ە": "ه", "ۀ": "ه", "ٱ": "ا", "ء": None, "ـ": None})


def search_key(text: str) -> str:
    """Words for matching: letter variants (ي/ی, ك/ک, أ/ا, ة/ه...), diacritics, case, digits and ZWNJ ignored."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf"):  # diacritics, hamza/madda above, ZWNJ and other invisibles
            continue
        kept.append(" " if category[0] in "PSZC" else char)
    text = normalize_text("".join(kept)).translate(_SEARCH_LETTERS)
    return " ".join(to_ascii_digits(unicodedata.normalize("NFKC", text)).split())


def compact_key(text: str) -> str:
    """The search key without spaces, so 'می‌شود', 'می شود' and 'میشود' are one key."""
    return search_key(text).replace(" ", "")


def search_terms(query: str) -> list[str]:
    """Terms of a staff search box, each matched against compact keys."""
    return [term for term in search_key(query).split() if term][:10]
