"""Folding names for search: case, diacritics and script forgiven; transliteration for display."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socius.common.text import digits_only, fold, has_cyrillic, transliterate


@pytest.mark.parametrize(
    ("value", "folded"),
    [
        ("Łukasz", "lukasz"),
        ("ŁUKASZ ŻÓŁĆ", "lukasz zolc"),
        ("Małgorzata", "malgorzata"),
        ("Ștefan", "stefan"),  # s with comma below (Romanian standard)
        ("Ştefan", "stefan"),  # s with cedilla (legacy Romanian encoding)
        ("Țurcan", "turcan"),  # t with comma below
        ("Ţurcan", "turcan"),  # t with cedilla
        ("Jonė Gražulytė", "jone grazulyte"),
        ("Ąžuolas Čėsna", "azuolas cesna"),
        ("Kęstutis", "kestutis"),
        ("Ольга Иванова", "olga ivanova"),
        ("Щукин Фёдор", "shchukin fedor"),
        ("Юлия Яковлева", "iuliia iakovleva"),
        ("Кошевой", "koshevoi"),
        ("Їжак Євген", "izhak ievgen"),  # Ukrainian letters
    ],
)
def test_fold_strips_diacritics_and_transliterates_cyrillic(value, folded):
    assert fold(value) == folded


@pytest.mark.parametrize(
    ("value", "folded"),
    [
        ("  Anna   Maria  ", "anna maria"),
        ("Kowalska-Nowak, Anna!", "kowalska nowak anna"),
        ("O'Neil\t(Jan)\n", "o neil jan"),
        ("Ioana -- Popescu", "ioana popescu"),
    ],
)
def test_fold_collapses_spaces_and_punctuation_to_single_spaces(value, folded):
    assert fold(value) == folded


def test_fold_keeps_characters_of_emails_and_phone_numbers():
    # @ . + stay so that an e-mail address or an international phone number can still be found.
    assert fold("Jan.Kowalski+ops@Example.PL") == "jan.kowalski+ops@example.pl"
    assert fold("+48 600-100-200") == "+48 600 100 200"


def test_fold_of_nothing_is_empty():
    assert fold(None) == ""
    assert fold("") == ""
    assert fold(" ,;- ") == ""


def test_fold_of_decomposed_input_equals_fold_of_composed_input():
    assert fold("S\u0326tefan Z\u030ci\u0307") == fold("Ștefan Żi") == "stefan zi"


def test_fold_maps_letters_that_do_not_decompose():
    assert fold("Đorđe Øystein Straße Æsa Œuvre") == "dorde oystein strasse aesa oeuvre"


def test_transliterate_keeps_capitals_and_leaves_latin_alone():
    assert transliterate("Ольга Иванова") == "Olga Ivanova"
    assert transliterate("Щукин") == "Shchukin"
    assert transliterate("Юрий Łukasz") == "Iurii Łukasz"


def test_has_cyrillic_tells_cyrillic_names_from_latin_ones():
    assert has_cyrillic("Ольга")
    assert has_cyrillic("Anna Ольга")
    assert not has_cyrillic("Łukasz Șerban Ąžuolas")
    assert not has_cyrillic("")


def test_digits_only_keeps_the_digits_in_order():
    assert digits_only("+48 (600) 100-200") == "48600100200"
    assert digits_only(None) == ""


@pytest.mark.parametrize(
    ("value", "folded"),
    [
        ("Zo\U0001d165fia", "zofia"),  # a combining mark beyond the Basic Multilingual Plane
        ("İlona", "ilona"),  # lower() gives i with a combining dot above
        ("ﬁlip", "filip"),  # a compatibility ligature
        ("Anna\u00a0Nowak\u3000Kowalska", "anna nowak kowalska"),  # no-break and ideographic spaces
    ],
)
def test_fold_decomposes_beyond_latin_1(value, folded):
    assert fold(value) == folded


def _fold_one_char_at_a_time(value: str) -> str:
    """fold as first written (every character tested for a combining mark): the definition fold keeps."""
    import re
    import unicodedata

    from socius.common.text import _CYRILLIC_TABLE, _SPECIAL

    text = unicodedata.normalize("NFKD", value.lower().translate(_SPECIAL).translate(_CYRILLIC_TABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", re.sub(r"[^\w@.+]+", " ", text)).strip()


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40))
@settings(max_examples=500, deadline=None)
def test_fold_answers_as_its_character_by_character_definition(value):
    assert fold(value) == _fold_one_char_at_a_time(value)
