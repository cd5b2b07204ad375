"""Folding names for search: case, diacritics and script forgiven; transliteration for display."""

import pytest

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
