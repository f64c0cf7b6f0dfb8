"""Search keys ignore letter variants, diacritics, digits' scripts and ZWNJ, so staff find a work however its
Persian was typed (property-based)."""

from hypothesis import given
from hypothesis import strategies as st

from services.submissions.works.search import compact_key, search_key, search_terms
from shared.persian import normalize_text

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
ZWNJ = "\u200c"
# Arabic letters a Persian text may arrive with, and what a Persian keyboard would have typed.
VARIANTS = {"ی": "يى", "ک": "ك", "ه": "ةە", "ا": "أإٱ", "و": "ؤ"}
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

persian_words = st.text(alphabet=PERSIAN_LETTERS, min_size=1, max_size=8)
persian_texts = st.lists(persian_words, min_size=1, max_size=6).map(" ".join)


@st.composite
def variant_spelling(draw, text: str) -> str:
    """The same text as another keyboard or an OCR'd letter might spell it."""
    out = []
    for char in text:
        if char in VARIANTS and draw(st.booleans()):
            char = draw(st.sampled_from(VARIANTS[char]))
        out.append(char)
        if char != " " and draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(DIACRITICS)))
    return "".join(out)


@given(st.text(max_size=80))
def test_search_keys_are_stable(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
    assert key == key.strip() and "  " not in key and ZWNJ not in key
    assert " " not in compact_key(text) and compact_key(compact_key(text)) == compact_key(text)


@given(persian_texts, st.data())
def test_letter_variants_and_diacritics_do_not_change_the_key(text: str, data: st.DataObject) -> None:
    variant = data.draw(variant_spelling(text))
    assert search_key(variant) == search_key(text)


@given(persian_texts, st.data())
def test_zwnj_or_a_space_inside_a_word_does_not_change_the_compact_key(text: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(text)))
    joiner = data.draw(st.sampled_from([ZWNJ, " ", "  ", " " + ZWNJ]))
    assert compact_key(text[:position] + joiner + text[position:]) == compact_key(text)


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([PERSIAN_DIGITS, ARABIC_DIGITS]))
def test_digits_of_any_script_give_the_same_key(number: int, digits: dict) -> None:
    assert search_key(str(number).translate(digits)) == str(number)


@given(persian_texts, st.data())
def test_every_term_of_a_search_for_part_of_a_text_is_found_in_it(text: str, data: st.DataObject) -> None:
    words = text.split()
    start = data.draw(st.integers(0, len(words) - 1))
    query = data.draw(variant_spelling(" ".join(words[start:start + 2])))
    haystack = compact_key(text)
    assert all(term.replace(" ", "") in haystack for term in search_terms(query))


@given(st.text(alphabet=PERSIAN_LETTERS + " " + ZWNJ + "يك", max_size=60))
def test_normalised_display_text_keeps_its_key(text: str) -> None:
    assert search_key(normalize_text(text)) == search_key(text)
